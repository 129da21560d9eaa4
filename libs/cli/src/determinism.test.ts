import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Environment } from '@infra/model';
import { renderTree, type RenderContext, type RenderedTree } from '@infra/render';
import { shuffled } from '@infra/render/testing';
import lenexa from '@infra/env-lenexa';
import awsDr from '@infra/env-aws-dr';
import { GENERATORS } from './generators';

const ENVS: Environment[] = [lenexa, awsDr];
const ctx: RenderContext = { environment: (name) => ENVS.find((e) => e.name === name) };
const flat = (t: RenderedTree): [string, string][] => [...t].map(([p, f]) => [p, f.content]);

for (const env of ENVS) {
  test(`${env.name}: every generator's output is identical across runs and with every unordered list shuffled`, () => {
    const first = flat(renderTree(env, GENERATORS, ctx));
    assert.equal(flat(renderTree(env, GENERATORS, ctx)), first);
    for (const seed of [1, 2, 3, 4, 5]) {
      const other = flat(renderTree(shuffled(env, seed), GENERATORS, ctx));
      assert.equal(other.map(([p]) => p).sort(), first.map(([p]) => p).sort(), `seed ${seed}: same paths`);
      const byPath = new Map(other);
      for (const [p, content] of first) assert.is(byPath.get(p), content, `seed ${seed}: ${p}`);
    }
  });
}



const changedPaths = (a: RenderedTree, b: RenderedTree) =>
  [...new Set([...a.keys(), ...b.keys()])].filter((p) => a.get(p)?.content !== b.get(p)?.content).sort();

test('changing one app\'s image changes exactly its Marathon file (and the manifest that hashes it)', () => {
  const before = renderTree(lenexa, GENERATORS, ctx);
  const env = structuredClone(lenexa);
  env.apps.find((a) => a.id === '/catalog/search')!.image = 'registry.lenexa.example.net/catalog/search:3.1.0';
  assert.equal(changedPaths(before, renderTree(env, GENERATORS, ctx)), ['manifest.json', 'marathon/catalog/search.json']);
});
test.run();
