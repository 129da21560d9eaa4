import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Environment } from '@infra/model';
import { FileMap, type Generator, type Provider, type RegisteredGenerator } from './file-map';
import type { CloudInitOutput } from './needs';
import { renderTree, wireGenerators } from './pipeline';

const env = { name: 'env' } as Environment;
const ctx = { environment: (name: string) => (name === 'env' ? env : undefined) };

/** A cloud-init stand-in that records the order in which kinds ran. */
function kinds(log: string[]) {
  const output: CloudInitOutput = { userData: (_e, g) => `#cloud-config ${g.name}`, userDataHash: () => 'h', hadoopUserData: () => '#cloud-config' };
  const cloudInit: Provider<'cloud-init'> = {
    name: 'cloud-init',
    provides: output,
    generate: () => (log.push('cloud-init'), new FileMap([['cloud-init/a.yaml', 'a']])),
  };
  const seen: Record<string, string[]> = {};
  const terraform: Generator<'cloud-init'> = {
    name: 'terraform',
    needs: ['cloud-init'],
    check: (_e, c) => ((seen['terraform check'] = Object.keys(c.needs)), []),
    generate(_e, c) {
      log.push('terraform');
      seen.terraform = Object.keys(c.needs);
      return new FileMap([['terraform/a.tf.json', c.needs['cloud-init'].userData(env, { name: 'a' } as never)]]);
    },
  };
  const marathon: Generator = {
    name: 'marathon',
    generate: (_e, c) => (log.push('marathon'), (seen.marathon = Object.keys(c.needs ?? {})), assert.is(c.environment('env'), env), new FileMap()),
  };
  return { cloudInit, terraform, marathon, seen, output };
}

test('wireGenerators runs a kind after the kinds it needs, registry order otherwise', () => {
  const log: string[] = [];
  const { cloudInit, terraform, marathon } = kinds(log);
  const wired = wireGenerators([terraform, marathon, cloudInit]);
  assert.equal(wired.map((g) => g.name), ['marathon', 'cloud-init', 'terraform']);
  const tree = renderTree(env, wired, ctx);
  assert.equal(log, ['marathon', 'cloud-init', 'terraform']);
  assert.is(tree.get('terraform/a.tf.json')?.content, '#cloud-config a', 'terraform embeds what cloud-init provides');
  assert.equal(wireGenerators([cloudInit, marathon, terraform]).map((g) => g.name), ['cloud-init', 'marathon', 'terraform']);
});

test('a kind sees exactly the outputs it declared, in check and generate; one that needs nothing sees none', () => {
  const { cloudInit, terraform, marathon, seen } = kinds([]);
  const wired = wireGenerators([cloudInit, terraform, marathon]);
  // A context that carries another kind's output does not leak it through.
  const leaky = { ...ctx, needs: { 'cloud-init': undefined, secret: 'x' } } as never;
  for (const g of wired) { g.check?.(env, leaky); g.generate(env, leaky); }
  assert.equal(seen, { 'terraform check': ['cloud-init'], terraform: ['cloud-init'], marathon: [] });
});

test('a need that names no registered kind is an error when the registry is built', () => {
  const { terraform, marathon } = kinds([]);
  assert.throws(() => wireGenerators([terraform, marathon]), (e: Error) => e.message ===
    'generator "terraform" needs "cloud-init", which is not registered: register that kind in libs/cli/src/generators.ts, or remove it from terraform\'s needs');
});

test('a need of a kind that provides nothing is an error', () => {
  const { terraform } = kinds([]);
  const mute: Generator = { name: 'cloud-init', generate: () => new FileMap() };
  assert.throws(() => wireGenerators([mute, terraform]), /generator "terraform" needs "cloud-init", which provides nothing: give cloud-init a `provides`/);
});

test('a cycle of needs is an error naming the cycle', () => {
  const { output } = kinds([]);
  // Only cloud-init provides today; a cloud-init that needs a kind needing it is the smallest cycle.
  const a = { name: 'cloud-init', needs: ['cloud-init'], provides: output, generate: () => new FileMap() } as RegisteredGenerator;
  assert.throws(() => wireGenerators([a]), (e: Error) => e.message ===
    'the needs of the generators form a cycle (cloud-init -> cloud-init): a kind may not need, even through others, a kind that needs it');
  const b = { name: 'cloud-init', needs: ['terraform'], provides: output, generate: () => new FileMap() } as unknown as RegisteredGenerator;
  const c = { name: 'terraform', needs: ['cloud-init'], provides: output, generate: () => new FileMap() } as unknown as RegisteredGenerator;
  const m: Generator = { name: 'marathon', generate: () => new FileMap() };
  assert.throws(() => wireGenerators([m, b, c]), /form a cycle \(cloud-init -> terraform -> cloud-init\)/);
});

test('two generators of one name are an error', () => {
  const { marathon } = kinds([]);
  assert.throws(() => wireGenerators([marathon, marathon]), /two generators are named "marathon"/);
});

test('an unwired generator with needs does not type-check where wired ones are expected', () => {
  const { terraform } = kinds([]);
  // @ts-expect-error renderTree takes wired generators: terraform's needs are not met here
  assert.throws(() => renderTree(env, [terraform], ctx));
});

test.run();
