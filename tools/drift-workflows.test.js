// drift.yml and dr.yml do what README "Drift" and "Disaster recovery" say: drift on a schedule
// and by hand, one job per environment on its site's runner, issues written, nothing applied;
// the DR bring-up gated by a confirmation, the reviewed hash and the protected environment, then
// the readiness report; the scheduled drill plans only and opens the drill issue when it fails.
// Every action pinned by a full commit SHA.
const { test } = require('uvu');
const assert = require('uvu/assert');
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const DIR = path.join(__dirname, '..', '.github/workflows');
const load = (f) => YAML.parse(fs.readFileSync(path.join(DIR, f), 'utf8'));
const steps = (job) => job.steps.map((s) => s.run || '').join('\n');
const uses = (doc) => Object.values(doc.jobs).flatMap((j) => (j.steps || []).map((s) => s.uses).filter(Boolean));

for (const file of ['drift.yml', 'dr.yml']) {
  test(`${file}: every action pinned by commit SHA`, () => {
    const all = uses(load(file));
    assert.ok(all.length > 0);
    for (const u of all) assert.match(u, /^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/, u);
  });
}

test('drift.yml: schedule and dispatch, one job per environment on its site, least privilege, never applies', () => {
  const doc = load('drift.yml');
  assert.ok(doc.on.schedule && 'workflow_dispatch' in doc.on);
  const job = doc.jobs.drift;
  assert.equal(job['runs-on'], ['self-hosted', '${{ matrix.site }}']);
  assert.equal(job.permissions, { contents: 'read', deployments: 'read', issues: 'write', 'id-token': 'write' });
  assert.match(steps(job), 'npx infra drift "$ENV" --format md --issue');
  assert.not.match(steps(doc.jobs.drift) + steps(doc.jobs.environments), 'infra apply');
});

test('dr.yml: the bring-up needs the confirmation, the reviewed hash and the aws-dr environment, then reports readiness', () => {
  const doc = load('dr.yml');
  const inputs = doc.on.workflow_dispatch.inputs;
  assert.ok(inputs.confirm.required && inputs.reviewed.required);
  const job = doc.jobs['bring-up'];
  assert.is(job.environment, 'aws-dr');
  assert.is(job.if, "github.event_name == 'workflow_dispatch'");
  const runs = job.steps.map((s) => s.run || '');
  const confirm = runs.findIndex((r) => r.includes('"$CONFIRM" != "bring up aws-dr"'));
  const apply = runs.findIndex((r) => r.includes('npx infra apply aws-dr --to "$GITHUB_SHA" --reviewed "$REVIEWED"'));
  const ready = runs.findIndex((r) => r.includes('npx infra drift aws-dr --readiness'));
  assert.ok(confirm === 0 && apply > confirm && ready > apply, 'confirmation first, then apply, then readiness');
});

test('dr.yml: the scheduled drill renders, checks parity, plans with --dry-run, and a failure opens the drill issue', () => {
  const doc = load('dr.yml');
  const job = doc.jobs.drill;
  assert.is(job.if, "github.event_name == 'schedule'");
  assert.is(job.permissions.issues, 'write');
  const runs = steps(job);
  assert.match(runs, 'npx infra render aws-dr');
  assert.match(runs, 'npx infra check lenexa aws-dr');
  assert.match(runs, 'npx infra apply aws-dr --dry-run');
  for (const line of runs.split('\n').filter((l) => l.includes('infra apply'))) assert.match(line, '--dry-run', `the drill applies nothing: ${line}`);
  const onFailure = job.steps.find((s) => s.if === 'failure()');
  assert.match(onFailure.run, 'npx infra drift aws-dr --drill failure --body-file drill-issue.md');
  assert.match(job.steps.find((s) => s.if === 'success()').run, 'npx infra drift aws-dr --drill success');
});

test.run();
