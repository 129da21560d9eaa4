// `infra diff` and `infra comment` as a user runs them: the real command as a process, in a git
// clone of the workspace with a branch that edits a definition, against a loopback GitHub.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LoopbackGitHub } from '@infra/loopback';
import { diffCommand } from './review-commands';
import { copyWorkspace, edit, infra } from './testing/workspace';

const root = copyWorkspace();
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.net', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.net' } }).trim();
git('init', '-q', '-b', 'main');
fs.writeFileSync(path.join(root, '.gitignore'), 'node_modules/\n');
git('add', '-A');
git('commit', '-qm', 'base');
git('checkout', '-qb', 'bump');
// Environments import each other relative to the workspace: the copy's own catalogue is edited.
edit(path.join(root, 'environments/common/apps.ts'), '/ledger/api:4.12.0', '/ledger/api:4.13.0');
const rendered = infra(root, ['render']);
if (rendered.status !== 0) throw new Error(rendered.stderr);
const schema = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../review/src/diff.schema.json'), 'utf8'));

test('infra diff --base main: the working tree against main, in plain words, no colour in a pipe', () => {
  const r = infra(root, ['diff', '--base', 'main', 'lenexa']);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /infra diff: base main \([0-9a-f]{12}\) → head working tree/);
  assert.match(r.stdout, /~ \/ledger\/api: restarts every task \(4 instance\(s\)\)/);
  assert.match(r.stdout, /container\.docker\.image: registry\.lenexa\.example\.net\/ledger\/api:4\.12\.0 → registry\.lenexa\.example\.net\/ledger\/api:4\.13\.0/);
  assert.not.ok(r.stdout.includes('\x1b['));
});

test('infra diff --format json validates against the schema; both environments by default', () => {
  const r = infra(root, ['diff', '--base', 'main', '--format', 'json']);
  assert.is(r.status, 0, r.stderr);
  const doc: any = JSON.parse(r.stdout); // eslint-disable-line @typescript-eslint/no-explicit-any
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  assert.is(validate(doc), true, JSON.stringify(validate.errors));
  assert.equal(doc.environments.map((e: { name: string }) => e.name), ['aws-dr', 'lenexa']);
  assert.equal(doc.environments[1].changes.marathon.map((m: { id: string }) => m.id), ['/ledger/api']);
  const manifest = fs.readFileSync(path.join(root, 'rendered/lenexa/manifest.json'));
  assert.is(doc.environments[1].reviewedHash, require('node:crypto').createHash('sha256').update(manifest).digest('hex'));
});

test('bad input: exit 2 with what to do', () => {
  const bad = infra(root, ['diff', '--base', 'nope']);
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /"nope" is not a commit in this repository: pass a branch, tag or commit/);
  const fmt = infra(root, ['diff', '--format', 'yaml']);
  assert.is(fmt.status, 2);
  assert.match(fmt.stderr, /--format yaml is not one of text, md, json/);
  const env = infra(root, ['diff', '--base', 'main', 'nowhere']);
  assert.is(env.status, 2);
  assert.match(env.stderr, /"nowhere": no such environment under rendered\/.*known: aws-dr, lenexa/);
  const pr = infra(root, ['comment'], { GITHUB_TOKEN: '', GITHUB_REPOSITORY: '' });
  assert.is(pr.status, 2);
  assert.match(pr.stderr, /--pr must be a pull-request number/);
  assert.match(pr.stderr, /GITHUB_TOKEN is not set/);
});

test('infra comment --pr 7 twice: one comment, created then updated, with the reviewed lines', async () => {
  const gh = new LoopbackGitHub({ token: 't0ken', repository: 'lenexa/infra' });
  await gh.start();
  const comments = gh.pull(7).comments;
  try {
    const env = { GITHUB_TOKEN: 't0ken', GITHUB_REPOSITORY: 'lenexa/infra', GITHUB_API_URL: gh.url };
    const run = () => new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const { spawn } = require('node:child_process') as typeof import('node:child_process');
      const child = spawn(process.execPath, [path.resolve(__dirname, '../bin/infra.js'), 'comment', '--pr', '7', '--base', 'main'], { cwd: root, env: { ...process.env, INFRA_ROOT: root, ...env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => { stdout += c; });
      child.stderr.on('data', (c) => { stderr += c; });
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    const first = await run();
    assert.is(first.status, 0, first.stderr);
    assert.match(first.stdout, /^created the review comment of lenexa\/infra#7/);
    const second = await run();
    assert.is(second.status, 0, second.stderr);
    assert.match(second.stdout, /^updated the review comment/);
    assert.is(comments.length, 1);
    assert.match(comments[0].body, /^<!-- infra:review -->/);
    assert.match(comments[0].body, /<!-- infra:reviewed env=lenexa sha256=[0-9a-f]{64} head=[0-9a-f]{40} -->/);
  } finally {
    await gh.stop();
  }
});

test('colour on a terminal only, and never with NO_COLOR', async () => {
  const run = async (isTTY: boolean, env: NodeJS.ProcessEnv) => {
    let out = '';
    const code = await diffCommand(root, { positionals: ['lenexa'], values: { base: 'main' } }, { out: (t) => { out += t; }, err: () => {}, isTTY, env });
    assert.is(code, 0);
    return out;
  };
  assert.ok((await run(true, {})).includes('\x1b['));
  assert.not.ok((await run(true, { NO_COLOR: '1' })).includes('\x1b['));
  assert.not.ok((await run(false, {})).includes('\x1b['));
});

test.after(() => fs.rmSync(root, { recursive: true, force: true }));

test.run();
