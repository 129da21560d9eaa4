// The git reader against a real temporary repository with two commits, through a stand-in `git`
// first on PATH that logs every invocation and runs the real one: the whole tree costs a fixed
// handful of git processes, whatever the number of files.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readRenderedAtRefs, ReviewInputError } from './git';

const REAL_GIT = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-review-git-'));
const bin = path.join(dir, 'bin');
const log = path.join(dir, 'git.log');
const repo = path.join(dir, 'repo');
fs.mkdirSync(bin);
fs.writeFileSync(path.join(bin, 'git'), `#!/bin/sh\necho "$1" >> "${log}"\nexec "${REAL_GIT}" "$@"\n`, { mode: 0o755 });
const realPath = process.env.PATH;
process.env.PATH = `${bin}${path.delimiter}${realPath}`;

const git = (...args: string[]) => execFileSync(REAL_GIT, args, { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.net', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.net' } }).trim();
const write = (rel: string, text: string) => { fs.mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true }); fs.writeFileSync(path.join(repo, rel), text); };
const calls = () => fs.readFileSync(log, 'utf8').trim().split('\n');

fs.mkdirSync(repo);
git('init', '-q', '-b', 'main');
for (let i = 0; i < 300; i++) write(`rendered/lab/marathon/app-${i}.json`, `{"id":"/app-${i}","instances":1}\n`);
write('rendered/lab/manifest.json', '{"files":1}\n');
write('rendered/lab/inventory.json', '{"servers":[]}\n');
write('rendered/lab/terraform/gone.tf.json', '{}\n');
write('environments/README', 'definitions live here\n');
git('add', '-A');
git('commit', '-qm', 'one');
const first = git('rev-parse', 'HEAD');
git('checkout', '-qb', 'feature');
for (let i = 0; i < 150; i++) write(`rendered/lab/marathon/app-${i}.json`, `{"id":"/app-${i}","instances":2}\n`);
write('rendered/lab/manifest.json', '{"files":2}\n');
write('rendered/lab/terraform/new.tf.json', '{"resource":{}}\n');
fs.rmSync(path.join(repo, 'rendered/lab/terraform/gone.tf.json'));
write('rendered/other/manifest.json', '{}\n');
git('add', '-A');
git('commit', '-qm', 'two');
const second = git('rev-parse', 'HEAD');

test('two commits: only what differs (and what a kind needs) is read, in a fixed number of git processes', async () => {
  fs.rmSync(log, { force: true });
  const r = await readRenderedAtRefs(repo, { base: first, head: second, needs: (p) => p === 'inventory.json' });
  assert.equal([r.base.sha, r.head.sha, r.head.ref], [first, second, second]);
  const lab = r.environments.get('lab')!;
  assert.is(lab.changed.size, 150 + 1 + 2);
  assert.ok(lab.changed.has('terraform/new.tf.json') && lab.changed.has('terraform/gone.tf.json'));
  assert.is(lab.before.get('marathon/app-7.json'), '{"id":"/app-7","instances":1}\n');
  assert.is(lab.after.get('marathon/app-7.json'), '{"id":"/app-7","instances":2}\n');
  assert.not.ok(lab.before.has('marathon/app-200.json') || lab.after.has('marathon/app-200.json'), 'unchanged files are not read');
  assert.is(lab.after.get('inventory.json'), '{"servers":[]}\n', 'a needed unchanged file is read, on both sides');
  assert.is(lab.before.get('inventory.json'), lab.after.get('inventory.json'));
  assert.ok(lab.before.has('terraform/gone.tf.json') && !lab.after.has('terraform/gone.tf.json'));
  assert.ok(!lab.before.has('terraform/new.tf.json') && lab.after.has('terraform/new.tf.json'));
  const other = r.environments.get('other')!;
  assert.equal([other.inBase, other.inHead], [false, true]);
  const c = calls();
  assert.is(c.filter((x) => x === 'cat-file').length, 1, c.join(' '));
  assert.ok(c.length <= 6, `git ran ${c.length} times: ${c.join(' ')}`);
});

test('the working tree is the default head (untracked files too); the base defaults to the merge base with main', async () => {
  write('rendered/lab/marathon/app-299.json', '{"id":"/app-299","instances":9}\n');
  write('rendered/lab/hadoop/c1/dfs.hosts', 'h1\n');
  write('rendered/.lock', 'not an environment file');
  try {
    const r = await readRenderedAtRefs(repo);
    assert.is(r.base.sha, first);
    assert.is(r.base.ref, 'merge base with main');
    assert.is(r.head.ref, 'working tree');
    const lab = r.environments.get('lab')!;
    assert.ok(lab.changed.has('marathon/app-299.json') && lab.changed.has('hadoop/c1/dfs.hosts'));
    assert.is(lab.after.get('marathon/app-299.json'), '{"id":"/app-299","instances":9}\n');
  } finally {
    git('checkout', '-q', '--', '.');
    git('clean', '-qfd');
  }
});

test('a ref that is no commit is the user\'s error, with what to do', async () => {
  try {
    await readRenderedAtRefs(repo, { base: 'no-such-branch' });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, ReviewInputError);
    assert.match((err as Error).message, /"no-such-branch" is not a commit in this repository: pass a branch, tag or commit/);
  }
});

test('no --base and no main to find the merge base with: say so and what to pass', async () => {
  const lone = path.join(dir, 'lone');
  fs.mkdirSync(lone);
  execFileSync(REAL_GIT, ['init', '-q', '-b', 'trunk'], { cwd: lone });
  execFileSync(REAL_GIT, ['-c', 'user.name=t', '-c', 'user.email=t@example.net', 'commit', '-q', '--allow-empty', '-m', 'x'], { cwd: lone });
  try {
    await readRenderedAtRefs(lone);
    assert.unreachable();
  } catch (err) {
    assert.instance(err, ReviewInputError);
    assert.is((err as Error).message, 'no --base given and no main (or origin/main) to find the merge base with: pass --base REF (a branch, tag or commit)');
  }
});

test.after(() => {
  process.env.PATH = realPath;
  fs.rmSync(dir, { recursive: true, force: true });
});

test.run();
