// rendered/.lock as an operator meets it: a live writer makes others wait (exit 75), a reader
// does not need the lock, and a writer killed with `kill -9` that stays a zombie (its parent
// never reaps it, as in a container without an init) does not block anyone.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BIN, copyWorkspace, infra, treeHash } from './testing/workspace';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A live process that is not infra, to stand for a writer holding the lock. */
function liveHolder() {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  return child;
}

test('a live lock holder makes render exit 75 (busy) with advice, and rendered/ untouched', () => {
  const ws = copyWorkspace();
  const holder = liveHolder();
  try {
    fs.writeFileSync(path.join(ws, 'rendered/.lock'), `${holder.pid}\n`);
    const before = treeHash(path.join(ws, 'rendered'));
    const r = infra(ws, ['render']);
    assert.is(r.status, 75, r.stderr);
    assert.match(r.stderr, `infra render: another infra command (pid ${holder.pid}) is writing`);
    assert.match(r.stderr, 'run this one again when it has finished');
    assert.is(treeHash(path.join(ws, 'rendered')), before);
  } finally {
    holder.kill('SIGKILL');
  }
});

test('check reads without the lock: it runs while another command holds it, unless it must recover', () => {
  const ws = copyWorkspace();
  const holder = liveHolder();
  try {
    fs.writeFileSync(path.join(ws, 'rendered/.lock'), `${holder.pid}\n`);
    const r = infra(ws, ['check']);
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stdout, 'up to date: aws-dr, lenexa');
    // A half-written tree in .staging must be recovered first, which needs the lock.
    fs.mkdirSync(path.join(ws, 'rendered/.staging/lenexa.new-1'), { recursive: true });
    const busy = infra(ws, ['check']);
    assert.is(busy.status, 75, busy.stderr);
    assert.match(busy.stderr, 'infra check: another infra command');
  } finally {
    holder.kill('SIGKILL');
  }
});

function syntheticWorkspace(): string {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-zombie-'));
  fs.mkdirSync(path.join(ws, 'environments/synth'), { recursive: true });
  fs.writeFileSync(path.join(ws, 'environments/synth/index.ts'),
    "import { syntheticEnvironment } from '@infra/synthetic';\nexport default syntheticEnvironment({ name: 'synth', vms: 1500, stemcellVersion: '1.0' });\n");
  return ws;
}

const stateOf = (pid: number) => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 1).trim()[0];
  } catch {
    return 'gone';
  }
};

test('a render killed with kill -9 that stays a zombie holding the lock blocks neither check nor render', async () => {
  let attempt = 0;
  for (; attempt < 5; attempt++) {
    const ws = syntheticWorkspace();
    // `exec sleep` replaces the shell with a process that never waits for its children: the
    // killed render stays a zombie, its pid still "exists" for kill(pid, 0).
    const parent = spawn('sh', ['-c', `"${process.execPath}" "${BIN}" render >/dev/null 2>&1 & echo $!; exec sleep 120`], {
      cwd: ws, env: { ...process.env, INFRA_ROOT: ws }, stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      const pid = await new Promise<number>((resolve) => parent.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
      const lock = path.join(ws, 'rendered/.lock');
      const staging = path.join(ws, 'rendered/.staging');
      const deadline = Date.now() + 60_000;
      // Kill it while it writes: it holds the lock and has a half-built tree in .staging.
      while (!fs.existsSync(staging) && stateOf(pid) !== 'gone' && Date.now() < deadline) await sleep(2);
      process.kill(pid, 'SIGKILL');
      await sleep(100);
      let held = '';
      try { held = fs.readFileSync(lock, 'utf8').trim(); } catch { /* the kill missed the write */ }
      if (held !== String(pid) || !fs.existsSync(staging)) continue;
      assert.is(stateOf(pid), 'Z', 'the killed render is a zombie, not reaped');

      const check = infra(ws, ['check']);
      assert.ok(check.status === 1 || check.status === 0, `check runs (exit ${check.status}): ${check.stderr}`);
      assert.not.match(check.stderr, 'another infra command');
      const render = infra(ws, ['render']);
      assert.is(render.status, 0, render.stderr);
      assert.is(infra(ws, ['check']).status, 0);
      assert.not.ok(fs.existsSync(lock), 'the lock is released');
      assert.not.ok(fs.existsSync(staging), 'the half-built tree is gone');
      assert.is(stateOf(pid), 'Z', 'and the killed render was a zombie all along');
      return;
    } finally {
      parent.kill('SIGKILL');
    }
  }
  assert.unreachable(`no kill landed while the render was writing in ${attempt} attempts`);
});

test.run();
