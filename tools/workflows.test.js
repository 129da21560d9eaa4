// Every GitHub workflow validates against SchemaStore's github-workflow schema (reference/),
// runs with read-only permissions unless it says why, and never cancels a run in progress.
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

test('there are workflows to check', () => {
  assert.ok(workflows.includes('ci.yml'));
});

for (const file of workflows) {
  test(`${file} validates against the GitHub workflow schema and grants least privilege`, () => {
    const doc = YAML.parse(fs.readFileSync(path.join(DIR, file), 'utf8'));
    assert.ok(validate(doc), JSON.stringify(validate.errors, null, 2));
    assert.ok(doc.permissions, 'top-level permissions are set explicitly');
    assert.not.equal(doc.permissions, 'write-all');
    assert.not.ok(doc.concurrency && doc.concurrency['cancel-in-progress'] === true, 'never cancel a run in progress');
  });
}

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
