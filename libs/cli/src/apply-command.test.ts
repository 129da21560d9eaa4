import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import YAML from 'yaml';
import { manifestHash } from '@infra/apply';
import { LoopbackGitHub } from '@infra/loopback';
import { LoopbackMarathon } from '@infra/apply/testing';
import { reviewedDiff } from '@infra/apply/testing';
import { standinWorld } from '@infra/apply/testing';
import { renderedTree, resourceCount } from '@infra/apply/testing';
import { applyCommand, APPLY_KINDS, type ApplyDeps } from './apply-command';
import { renderedAt } from './rendered-at';
import { commandNamed, parseFor } from './main';

/** A command line parsed as `infra apply` parses it (its options live in the command table). */
const args = (argv: string[]) => parseFor(commandNamed('apply')!, argv);
import type { Io } from './commands';

// A small repository of its own (rendered/lenexa of this one, without the Hadoop files so that no
// ssh is needed), two commits, the stand-in terraform and a loopback Marathon.
const tree = new Map([...renderedTree('lenexa')].filter(([p]) => !p.startsWith('hadoop/') && !p.startsWith('patches/')));
const deps: ApplyDeps = { kinds: APPLY_KINDS, diff: (env, base, target) => reviewedDiff(env, base, target) };

function repo() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-apply-repo-'));
  const git = (...a: string[]) => execFileSync('git', a, { cwd: dir, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 't@example.net');
  git('config', 'user.name', 't');
  fs.writeFileSync(path.join(dir, '.gitignore'), '.infra/\n');
  for (const [p, text] of tree) {
    fs.mkdirSync(path.dirname(path.join(dir, 'rendered/lenexa', p)), { recursive: true });
    fs.writeFileSync(path.join(dir, 'rendered/lenexa', p), text);
  }
  git('add', '-A');
  git('commit', '-qm', 'c1');
  const c1 = git('rev-parse', 'HEAD');
  const app = path.join(dir, 'rendered/lenexa/marathon/web/storefront.json');
  fs.writeFileSync(app, fs.readFileSync(app, 'utf8').replace('"instances": 6', '"instances": 8'));
  git('commit', '-qam', 'c2');
  return { dir, git, c1, c2: git('rev-parse', 'HEAD') };
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) } as Io };
}

async function world() {
  const w = standinWorld();
  const marathon = new LoopbackMarathon({ deploymentMs: 10 });
  await marathon.start();
  return { w, marathon, env: { ...w.env, INFRA_MARATHON_URL: marathon.url, GITHUB_ACTIONS: '' }, stop: async () => { await marathon.stop(); w.cleanup(); } };
}

test('renderedAt reads rendered/<env> at a commit byte for byte', () => {
  const r = repo();
  const t = renderedAt(r.dir, r.c1, 'lenexa');
  assert.equal([...t.keys()], [...tree.keys()]);
  for (const [p, text] of tree) assert.is(t.get(p), text, p);
  assert.is(renderedAt(r.dir, r.c1, 'nowhere').size, 0);
  fs.rmSync(r.dir, { recursive: true });
});

test('a wrong command line: every problem at once, exit 2, nothing applied', async () => {
  const r = repo();
  const o = io();
  const code = await applyCommand(r.dir, args(['--deadline', '0', '--reviewed', 'xyz', '--allow-destroy', 'db ledger', '--concurrency', '1.5']), o.io, deps, {});
  assert.is(code, 2);
  const text = o.err.join('\n');
  for (const m of ['name exactly one environment', '--deadline 0: must be a positive number', '--reviewed xyz', '--allow-destroy db ledger: not a resource address', '--concurrency 1.5', '5 problem(s)']) assert.match(text, m);
  const unknown = io();
  assert.is(await applyCommand(r.dir, args(['staging', '--to', 'nope']), unknown.io, deps, {}), 2);
  assert.match(unknown.err.join('\n'), '--to nope: not a commit of this repository');
  const noEnv = io();
  assert.is(await applyCommand(r.dir, args(['staging']), noEnv.io, deps, {}), 2);
  assert.match(noEnv.err.join('\n'), 'there is no rendered/staging at HEAD');
  fs.rmSync(r.dir, { recursive: true });
});

test('--dry-run prints the plan and applies nothing; then an apply, and the next one from the record', async () => {
  const r = repo();
  const s = await world();
  try {
    const dry = io();
    assert.is(await applyCommand(r.dir, args(['lenexa', '--to', r.c1, '--dry-run']), dry.io, deps, s.env), 0, dry.err.join('\n'));
    // Every resource of the rendered configuration (VMs, data disks, rack rules) is created.
    const resources = resourceCount(tree);
    assert.ok(resources > 23);
    assert.ok(dry.out.some((l) => l.includes(`terraform: ${resources} to create`)), dry.out.join('\n'));
    assert.is(s.marathon.apps.size, 0);
    assert.not.ok(fs.existsSync(path.join(r.dir, '.infra/applied.json')));

    const first = io();
    assert.is(await applyCommand(r.dir, args(['lenexa', '--to', r.c1]), first.io, deps, s.env), 0, first.out.concat(first.err).join('\n'));
    const rec = JSON.parse(fs.readFileSync(path.join(r.dir, '.infra/applied.json'), 'utf8'));
    assert.is(rec.environments.lenexa.applied.commit, r.c1);
    assert.is(s.marathon.apps.size, 9);

    const second = io();
    assert.is(await applyCommand(r.dir, args(['lenexa']), second.io, deps, s.env), 0, second.out.concat(second.err).join('\n'));
    assert.ok(second.out.some((l) => l.startsWith(`Plan of lenexa: ${r.c1.slice(0, 12)} → ${r.c2.slice(0, 12)}`)), 'from the last applied commit');
    assert.is(s.marathon.puts('/web/storefront'), 2);
    assert.is(s.marathon.puts('/payments/gateway'), 1, 'only what changed');
    assert.is(s.marathon.apps.get('/web/storefront')!.instances, 8);
    assert.is(r.git('status', '--porcelain'), '', 'the repository is as it was');
    assert.not.ok(s.w.calls().some((c) => c.cwd.startsWith(path.join(r.dir, 'rendered'))));
  } finally {
    await s.stop();
    fs.rmSync(r.dir, { recursive: true });
  }
});

test('a second apply of the same environment exits 75', async () => {
  const r = repo();
  const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
  try {
    fs.mkdirSync(path.join(r.dir, '.infra'));
    fs.writeFileSync(path.join(r.dir, '.infra/apply-lenexa.lock'), `${holder.pid}\n`);
    const o = io();
    assert.is(await applyCommand(r.dir, args(['lenexa']), o.io, deps, {}), 75);
    assert.match(o.err.join('\n'), 'another infra apply of lenexa is running');
  } finally {
    holder.kill('SIGKILL');
    fs.rmSync(r.dir, { recursive: true });
  }
});

test('in Actions: refused without a reviewed PR; applied with the PR comment\'s hash, recorded as a Deployment', async () => {
  const r = repo();
  const s = await world();
  const gh = new LoopbackGitHub();
  await gh.start();
  try {
    const env = { ...s.env, GITHUB_ACTIONS: 'true', GITHUB_TOKEN: 'ghs_test', GITHUB_REPOSITORY: 'acme/infra', GITHUB_API_URL: gh.url, GITHUB_RUN_ID: '7' };
    const refused = io();
    assert.is(await applyCommand(r.dir, args(['lenexa', '--to', r.c1]), refused.io, deps, env), 3);
    assert.ok(refused.out.some((l) => l.includes('no reviewed hash was found')));
    assert.is(s.marathon.apps.size, 0);

    gh.pulls.set(r.c1, [{ number: 5, merged_at: '2026-01-01T00:00:00Z' }]);
    gh.pull(5).comments.push({ id: 1, html_url: 'x#1', user: { login: 'github-actions[bot]' }, body: `<!-- infra:review -->\n<!-- infra:reviewed env=lenexa sha256=${manifestHash(tree)} head=${r.c1} -->` });
    const ok = io();
    assert.is(await applyCommand(r.dir, args(['lenexa', '--to', r.c1]), ok.io, deps, env), 0, ok.out.concat(ok.err).join('\n'));
    const d = gh.deployments.at(-1)!;
    assert.is(d.environment, 'lenexa');
    assert.equal(d.statuses.map((x) => x.state), ['in_progress', 'in_progress', 'in_progress', 'in_progress', 'in_progress', 'success']);
    assert.match(d.statuses[0].log_url!, '/acme/infra/actions/runs/7');
    assert.not.ok(fs.existsSync(path.join(r.dir, '.infra/applied.json')), 'the record is GitHub');
  } finally {
    await gh.stop();
    await s.stop();
    fs.rmSync(r.dir, { recursive: true });
  }
});

test('apply.yml: on push to main touching rendered/, per environment, pinned, least privilege, never cancelled', () => {
  const root = path.resolve(__dirname, '../../..');
  const text = fs.readFileSync(path.join(root, '.github/workflows/apply.yml'), 'utf8');
  const doc = YAML.parse(text);
  assert.equal(doc.on.push, { branches: ['main'], paths: ['rendered/**'] });
  assert.equal(doc.permissions, { contents: 'read' });
  const job = doc.jobs.apply;
  assert.equal(job['runs-on'], ['self-hosted', '${{ matrix.site }}']);
  assert.is(job.environment, '${{ matrix.env }}');
  assert.equal(job.concurrency, { group: 'apply-${{ matrix.env }}', 'cancel-in-progress': false });
  assert.equal(job.permissions, { actions: 'read', contents: 'read', deployments: 'write', 'id-token': 'write', 'pull-requests': 'read' });
  const uses = Object.values(doc.jobs).flatMap((j) => (j as { steps: { uses?: string }[] }).steps.map((st) => st.uses).filter(Boolean)) as string[];
  assert.ok(uses.some((u) => u.startsWith('hashicorp/setup-terraform@')));
  for (const u of uses) assert.match(u, /@[0-9a-f]{40}$/, `${u} is pinned by commit SHA`);
  assert.match(doc.jobs.environments.steps[1].run, '[ "$env" = aws-dr ] && continue');
  assert.ok(job.steps.some((st: { run?: string }) => st.run === 'npx infra apply "$ENV" --to "$GITHUB_SHA"'));
});

test.run();
