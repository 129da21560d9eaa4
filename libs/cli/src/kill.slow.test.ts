// A `kill -9` at any moment of a render must leave rendered/<env> wholly old or wholly new.
// The render is killed at delays spread over its whole run, again and again; after each kill
// the tree is compared with the old and the new tree by content hash. Slow (~20 s): it runs in
// the cli's own `test-slow` target, which prints a line per round so a run never looks hung.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { recover } from '@infra/render';
import { infra, infraAsync, treeHash } from './testing/workspace';

const ROUNDS = 12;

function syntheticWorkspace(version: string): string {
  const ws = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'infra-kill-'));
  fs.mkdirSync(path.join(ws, 'environments/synth'), { recursive: true });
  fs.writeFileSync(path.join(ws, 'environments/synth/index.ts'),
    `import { syntheticEnvironment } from '@infra/synthetic';\nexport default syntheticEnvironment({ name: 'synth', vms: 1500, stemcellVersion: '${version}' });\n`);
  return ws;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const progress = (line: string) => process.stderr.write(`    kill test: ${line}\n`);

test('kill -9 at any moment leaves rendered/<env> wholly old or wholly new', async () => {
  progress('rendering the old and the new tree once (1,500 VMs each)');
  const oldWs = syntheticWorkspace('1.0');
  assert.is(infra(oldWs, ['render']).status, 0);
  const oldHash = treeHash(path.join(oldWs, 'rendered/synth'));
  const newWs = syntheticWorkspace('2.0');
  const started = Date.now();
  assert.is(infra(newWs, ['render']).status, 0);
  const duration = Date.now() - started;
  const newHash = treeHash(path.join(newWs, 'rendered/synth'));
  assert.is.not(oldHash, newHash);

  const seen = { old: 0, new: 0, recovered: 0, duringWrite: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const ws = syntheticWorkspace('2.0');
    fs.cpSync(path.join(oldWs, 'rendered'), path.join(ws, 'rendered'), { recursive: true });
    const child = infraAsync(ws, ['render']);
    const exited = new Promise((r) => child.on('exit', r));
    if (round % 2 === 0) {
      // Anywhere in the run: loading, validating, rendering, writing, or after.
      await sleep(Math.round(((round + 0.5) / ROUNDS) * duration * 1.6));
    } else {
      // Inside the write itself: wait for the staging tree to appear, then kill a little later.
      const staging = path.join(ws, 'rendered/.staging');
      const deadline = Date.now() + duration * 3;
      while (!fs.existsSync(staging) && Date.now() < deadline) await sleep(1);
      if (fs.existsSync(staging)) seen.duringWrite++;
      await sleep(round % 4 === 1 ? 0 : 5);
    }
    child.kill('SIGKILL');
    await exited;
    progress(`round ${round + 1}/${ROUNDS}: killed ${round % 2 === 0 ? 'at a delay' : 'while writing'}`);
    const target = path.join(ws, 'rendered/synth');
    if (!fs.existsSync(target)) {
      // Killed between the two renames: the old tree waits in .staging and recover() restores it.
      recover(path.join(ws, 'rendered'));
      assert.is(treeHash(target), oldHash, `round ${round}: recovery restored the old tree`);
      seen.recovered++;
      continue;
    }
    const hash = treeHash(target);
    assert.ok(hash === oldHash || hash === newHash, `round ${round}: rendered/synth is neither the old nor the new tree`);
    seen[hash === oldHash ? 'old' : 'new']++;
    // And the next command always finds a consistent tree to work from.
    assert.is(infra(ws, ['check']).status, hash === newHash ? 0 : 1);
  }
  console.log(`    kills over a ${duration} ms render (${seen.duringWrite} while writing): ${seen.old} left the old tree, ${seen.new} the new, ${seen.recovered} recovered`);
  assert.is(seen.old + seen.new + seen.recovered, ROUNDS);
  assert.ok(seen.duringWrite > 0, 'at least one kill landed while the tree was being written');
});

test.run();
