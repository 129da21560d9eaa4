import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dataHolding, vmMarks } from '@infra/generator-terraform';
import { driftPath, scenario } from '@infra/apply/testing';
import { LoopbackGitHub } from '@infra/loopback';
import { BIN, copyWorkspace, infra, treeHash } from './testing/workspace';
import { renderedAt } from './rendered-at';

// `infra drift` as a user runs it, in a git clone: after an apply to the loopback Marathon, the
// stand-in terraform and hosts it exits 0; after an app is scaled by hand it exits 1 naming the
// app and the field, and --issue opens the environment's issue, which the next clean run closes.

/** The command run without blocking this process (the loopback servers answer from it). */
function infraAsync(root: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: root, env: { ...process.env, INFRA_ROOT: root, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function gitWorkspace(): { ws: string; commit: string } {
  const ws = copyWorkspace();
  // The real patch plans address lenexa's real hosts, which no test can reach (apply's patch step
  // probes them); the patch comparison is tested in libs/apply with loopback hosts.
  fs.rmSync(path.join(ws, 'rendered/lenexa/patches'), { recursive: true, force: true });
  const g = (...args: string[]) => execFileSync('git', args, { cwd: ws, encoding: 'utf8' }).trim();
  g('init', '-q');
  g('-c', 'user.email=t@example.net', '-c', 'user.name=t', 'add', '-A');
  g('-c', 'user.email=t@example.net', '-c', 'user.name=t', 'commit', '-qm', 'c1');
  return { ws, commit: g('rev-parse', 'HEAD') };
}

test('usage: no environment, an unknown one, a bad format, --issue without GitHub: every problem at once, exit 2', () => {
  const { ws } = gitWorkspace();
  const r = infra(ws, ['drift', 'nowhere', '--format', 'yaml', '--issue'], { GITHUB_TOKEN: '', GITHUB_REPOSITORY: '' });
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, 'infra drift: nowhere: no such environment; known: aws-dr, lenexa');
  assert.match(r.stderr, '--format yaml: use text, md or json');
  assert.match(r.stderr, 'GITHUB_TOKEN is not set');
  assert.is(infra(ws, ['drift']).status, 2);
  assert.match(infra(ws, ['drift', '--help']).stdout, 'usage: infra drift ENV...');
});

test('never applied: skipped with a note, exit 0', () => {
  const { ws } = gitWorkspace();
  const r = infra(ws, ['drift', 'aws-dr']);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, 'aws-dr: never applied — skipped');
});

test('after an apply: exit 0; scaled by hand: exit 1 naming app and field, the issue opened; back: exit 0, the issue closed', async () => {
  const { ws, commit } = gitWorkspace();
  const s = await scenario({ dataHolding, vmMarks, marathonDependencies: (app) => (app.dependencies ?? []) as string[] });
  const gh = new LoopbackGitHub({ repository: 'acme/infra', token: 'tok' });
  await gh.start();
  try {
    const out = await s.apply({ commit: '', tree: new Map() }, { commit, tree: renderedAt(ws, commit, 'lenexa') });
    assert.is(out.exit, 0, s.lines.join('\n'));
    const before = treeHash(path.join(ws, 'rendered'));
    const env = { ...driftPath(s.world.env), INFRA_MARATHON_URL: s.marathon.url, GITHUB_TOKEN: 'tok', GITHUB_REPOSITORY: 'acme/infra', GITHUB_API_URL: gh.url };
    const run = (...args: string[]) => infraAsync(ws, ['drift', 'lenexa', '--record', path.join(s.world.dir, 'applied.json'), ...args], env);

    const clean = await run('--issue');
    assert.is(clean.status, 0, clean.stdout + clean.stderr);
    assert.match(clean.stdout, 'lenexa: no drift');
    assert.match(clean.stdout, 'systems: terraform in-sync, marathon in-sync, hadoop in-sync, patches not-rendered');
    assert.is(gh.issues.length, 0, 'no issue without drift');

    (s.marathon.apps.get('/web/storefront') as Record<string, unknown>).instances = 9;
    const drifted = await run('--issue');
    assert.is(drifted.status, 1, drifted.stderr);
    assert.match(drifted.stdout, '/web/storefront: instances: 6 → 9');
    assert.is(gh.issues.length, 1);
    assert.match(gh.issues[0].body, /^<!-- infra:drift:lenexa -->\n/);
    assert.match(gh.issues[0].body, '`/web/storefront`: instances: 6 → 9');
    const json = JSON.parse((await run('--format', 'json')).stdout);
    assert.equal([json.schema, json.base.sha, json.environments[0].status, json.environments[0].counts.marathon], ['infra.drift/v1', commit, 'drift', 1]);

    (s.marathon.apps.get('/web/storefront') as Record<string, unknown>).instances = 6;
    const healed = await run('--issue');
    assert.is(healed.status, 0, healed.stderr);
    assert.equal([gh.issues.length, gh.issues[0].state], [1, 'closed']);
    assert.match(gh.issues[0].comments[0].body, 'No drift in lenexa any more');
    assert.is(treeHash(path.join(ws, 'rendered')), before, 'rendered/ untouched');
  } finally {
    await gh.stop();
    await s.stop();
  }
});

test('a failing drill opens the drill issue, a second failure updates it, a passing drill closes it; readiness of a skeleton never brought up is 1', async () => {
  const { ws } = gitWorkspace();
  const gh = new LoopbackGitHub({ repository: 'acme/infra', token: 'tok' });
  await gh.start();
  try {
    const env = { GITHUB_TOKEN: 'tok', GITHUB_REPOSITORY: 'acme/infra', GITHUB_API_URL: gh.url };
    const body = path.join(ws, 'drill.md');
    fs.writeFileSync(body, 'infra apply aws-dr --dry-run exited 3: refused\n');
    const failed = await infraAsync(ws, ['drift', 'aws-dr', '--drill', 'failure', '--body-file', body], env);
    assert.is(failed.status, 0, failed.stderr);
    assert.equal([gh.issues.length, gh.issues[0].title], [1, 'DR drill of aws-dr failed']);
    assert.match(gh.issues[0].body, /^<!-- infra:drill:aws-dr -->\nThe scheduled disaster-recovery drill of aws-dr failed/);
    assert.match(gh.issues[0].body, 'infra apply aws-dr --dry-run exited 3: refused');
    fs.writeFileSync(body, 'parity check failed\n');
    await infraAsync(ws, ['drift', 'aws-dr', '--drill', 'failure', '--body-file', body], env);
    assert.is(gh.issues.length, 1, 'updated, not opened again');
    assert.match(gh.issues[0].body, 'parity check failed');
    const passed = await infraAsync(ws, ['drift', 'aws-dr', '--drill', 'success'], env);
    assert.is(passed.status, 0, passed.stderr);
    assert.equal([gh.issues[0].state, gh.issues[0].comments.length], ['closed', 1]);
    const notUp = infra(ws, ['drift', 'aws-dr', '--readiness']);
    assert.is(notUp.status, 1);
    assert.match(notUp.stdout, 'aws-dr: not ready: it has never been applied');
    assert.is(infra(ws, ['drift', 'aws-dr', '--drill', 'maybe'], env).status, 2);
  } finally {
    await gh.stop();
  }
});

test('in Actions the applied commit comes from GitHub Deployments (apply\'s record there); one the clone lacks is named', async () => {
  const { ws, commit } = gitWorkspace();
  const gh = new LoopbackGitHub({ token: 'ghs_x' });
  await gh.start();
  try {
    gh.deployments.push({ id: 1, sha: commit, ref: commit, environment: 'aws-dr', payload: { from: '', to: commit, steps: [] }, statuses: [{ state: 'success', description: 'applied' }] });
    const env = { GITHUB_ACTIONS: 'true', GITHUB_TOKEN: 'ghs_x', GITHUB_REPOSITORY: 'acme/infra', GITHUB_API_URL: gh.url };
    const skip = ['--skip', 'terraform', '--skip', 'marathon', '--skip', 'hadoop', '--skip', 'patches'];
    const r = await infraAsync(ws, ['drift', 'aws-dr', ...skip], env);
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stdout, `aws-dr: no drift (applied ${commit.slice(0, 12)})`);
    gh.deployments.push({ id: 2, sha: 'f'.repeat(40), ref: 'f'.repeat(40), environment: 'aws-dr', payload: { from: commit, to: 'f'.repeat(40), steps: [] }, statuses: [{ state: 'success', description: 'applied' }] });
    const missing = await infraAsync(ws, ['drift', 'aws-dr', ...skip], env);
    assert.is(missing.status, 2);
    assert.match(missing.stderr, `aws-dr was last applied at ${'f'.repeat(40)}, which this clone does not have: fetch the whole history`);
  } finally {
    await gh.stop();
  }
});

test.run();
