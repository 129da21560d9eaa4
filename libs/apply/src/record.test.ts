import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ApplyBusy } from './errors';
import { acquireApplyLock } from './lock';
import { FileRecord } from './record';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'infra-record-'));

test('the record file keeps each environment apart, sorted, written whole', async () => {
  const dir = tmp();
  const rec = new FileRecord(path.join(dir, '.infra', 'applied.json'));
  assert.equal(await rec.read('lenexa'), {});
  await rec.write('lenexa', { applied: { commit: 'a', at: 't' } });
  await rec.write('aws-dr', { attempt: { from: '', to: 'b', startedAt: 't', steps: { terraform: { status: 'failed', startedAt: 't', error: 'x' } } } });
  const doc = JSON.parse(fs.readFileSync(rec.file, 'utf8'));
  assert.equal(Object.keys(doc.environments), ['aws-dr', 'lenexa']);
  assert.is((await rec.read('lenexa')).applied?.commit, 'a');
  assert.equal(fs.readdirSync(path.dirname(rec.file)), ['applied.json'], 'no temporary file left');
  fs.rmSync(dir, { recursive: true });
});

test('one apply per environment: a second is busy; a dead holder\'s lock is taken over', async () => {
  const dir = tmp();
  const file = path.join(dir, 'apply-lenexa.lock');
  // A live holder: another process.
  const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
  fs.writeFileSync(file, `${holder.pid}\n`);
  assert.throws(() => acquireApplyLock(file, 'lenexa'), (err: Error) => err instanceof ApplyBusy && err.message.includes(`another infra apply of lenexa is running (process ${holder.pid}`));
  holder.kill('SIGKILL');
  await new Promise((r) => holder.once('exit', r));
  const release = acquireApplyLock(file, 'lenexa');
  assert.is(fs.readFileSync(file, 'utf8').trim(), String(process.pid));
  release();
  assert.not.ok(fs.existsSync(file));
  fs.rmSync(dir, { recursive: true });
});

test.run();
