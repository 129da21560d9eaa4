// The reports of real reviews: the JSON envelope validates against the committed schema (whose
// risk ids are exactly RISK_IDS); the markdown for a change that adds thousands of hosts stays
// under GitHub's 65,536 characters with its summary, every risk and every reviewed line intact.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import LENEXA from '@infra/env-lenexa';
import { COMMENT_LIMIT, CUT_NOTICE, diffEnvironment, jsonReport, markdownReport, RISK_IDS, textReport, type Review } from '@infra/review';
import { syntheticEnvironment } from '@infra/synthetic';
import { DIFFS } from './generators';
import { bumpStemcell, edited, rendered } from './review.fixture';

const schema = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../review/src/diff.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const SHA = 'a'.repeat(40);
const reviewOf = (...environments: Review['environments']): Review => ({ schema: 'infra.diff/v1', base: { ref: 'main', sha: SHA }, head: { ref: 'working tree', sha: 'b'.repeat(40) }, environments });

const base = rendered(LENEXA);
const stemcellBump = diffEnvironment('lenexa', base, rendered(edited(LENEXA, (env) => {
  bumpStemcell(env);
  env.apps = env.apps.filter((a) => a.id !== '/notifications/mailer');
  for (const h of env.hadoop[0].hosts) if (h.name === 'hdp-dn-04') h.rack = '/lenexa/rack-h3';
})), DIFFS);

test('the JSON report validates against the committed infra.diff/v1 schema', () => {
  const doc: any = JSON.parse(jsonReport(reviewOf(stemcellBump))); // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.is(validate(doc), true, JSON.stringify(validate.errors, null, 2));
  assert.is(doc.schema, 'infra.diff/v1');
  assert.ok(doc.environments[0].risks.length >= 4);
});

test('the schema\'s risk ids are exactly the documented closed list, and an unknown id fails', () => {
  const ids = schema.properties.environments.items.properties.risks.items.properties.id.enum;
  assert.equal([...ids].sort(), Object.keys(RISK_IDS).sort());
  const doc: any = JSON.parse(jsonReport(reviewOf(stemcellBump))); // eslint-disable-line @typescript-eslint/no-explicit-any
  doc.environments[0].risks[0].id = 'something-new';
  assert.not.ok(validate(doc));
});

test('markdown: marker first, the reviewed line per environment, risks before details', () => {
  const md = markdownReport(reviewOf(stemcellBump));
  assert.ok(md.startsWith('<!-- infra:review -->\n'));
  assert.ok(md.includes(`<!-- infra:reviewed env=lenexa sha256=${stemcellBump.reviewedHash} head=${'b'.repeat(40)} -->`));
  assert.ok(md.indexOf('data-holding-replaced') < md.indexOf('<details>'));
  assert.ok(md.includes('stemcell ubuntu-trusty-hardened 3468.21 → 3468.22'));
  assert.not.ok(md.includes('H4sI'), 'user data never appears as base64');
});

test('text: colour only when asked', () => {
  const plain = textReport(reviewOf(stemcellBump));
  assert.not.ok(plain.includes('\x1b['));
  assert.ok(textReport(reviewOf(stemcellBump), { colour: true }).includes('\x1b[31m'));
  assert.ok(plain.indexOf('RISKS') < plain.indexOf('  terraform'));
});

test('thousands of hosts added: the comment stays under 65,536 characters with every risk intact', () => {
  const small = syntheticEnvironment({ name: 'synth', vms: 200 });
  const large = syntheticEnvironment({ name: 'synth', vms: 3200, stemcellVersion: '3468.22' });
  const big = diffEnvironment('synth', rendered(small), rendered(large), DIFFS);
  assert.ok(big.counts.vmsCreated >= 2900, String(big.counts.vmsCreated));
  assert.equal(big.risks.map((r) => r.id).sort(), ['agent-failure-domains-replaced', 'all-mesos-masters-replaced'], 'databases are patched in place: a stemcell bump puts no data at risk');
  const review = reviewOf(big, stemcellBump);
  const full = markdownReport(review);
  assert.ok(full.length > COMMENT_LIMIT, `the full report is ${full.length} characters`);
  const md = markdownReport(review, COMMENT_LIMIT);
  assert.ok(md.length <= COMMENT_LIMIT, String(md.length));
  assert.ok(md.includes(CUT_NOTICE));
  for (const e of review.environments) {
    assert.ok(md.includes(`<!-- infra:reviewed env=${e.name} sha256=${e.reviewedHash} head=`));
    for (const r of e.risks) assert.ok(md.includes(r.message), `risk kept: ${r.id} ${r.address}`);
  }
  assert.ok(md.includes('<details>'), 'some details still fit');
});

test.run();
