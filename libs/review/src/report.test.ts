import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { EnvironmentDiff, Risk, TerraformChange } from '@infra/render';
import { COMMENT_LIMIT, CUT_NOTICE, markdownReport } from './report';
import type { Review } from './review';

const envWith = (n: number, risks: Risk[]): EnvironmentDiff => {
  const terraform: TerraformChange[] = Array.from({ length: n }, (_, i) => ({ address: `vsphere_virtual_machine.db-${i}`, action: 'replace', reasons: ['stemcell s 1 → 2'], attributes: [{ path: 'replace_trigger', before: 'a', after: 'b' }], dataHolding: 'data', role: 'database', host: `db-${i}` }));
  return { name: 'big', reviewedHash: 'd'.repeat(64), counts: { created: 0, updated: 0, replaced: n, destroyed: 0, appsRestarted: 0, hostsDecommissioned: 0, instancesAffected: 0, risks: risks.length }, risks, changes: { terraform, cloudInit: [], marathon: [], hadoop: [], patches: [], summary: [] } };
};
const review = (e: EnvironmentDiff): Review => ({ schema: 'infra.diff/v1', base: { ref: 'main', sha: 'a'.repeat(40) }, head: { ref: 'HEAD', sha: 'b'.repeat(40) }, environments: [e] });

test('a small review is whole, with no cut notice', () => {
  const md = markdownReport(review(envWith(3, [])), COMMENT_LIMIT);
  assert.not.ok(md.includes(CUT_NOTICE));
  assert.ok(md.includes('vsphere_virtual_machine.db-2'));
});

test('so many risks that one line each cannot fit: grouped by id, every address still there, under the limit', () => {
  const risks: Risk[] = Array.from({ length: 3000 }, (_, i) => ({ id: 'data-holding-replaced', severity: 'high', address: `vsphere_virtual_machine.db-${i}`, message: `vsphere_virtual_machine.db-${i} (database) holds data and is replaced (destroyed, then created empty) because of stemcell s 1 → 2. Apply refuses this unless a reviewed allowDestroy names the address.` }));
  const md = markdownReport(review(envWith(3000, risks)), COMMENT_LIMIT);
  assert.ok(md.length <= COMMENT_LIMIT, String(md.length));
  assert.ok(md.includes('`data-holding-replaced` ×3000'));
  const listed = /`vsphere_virtual_machine\.\{([^}]*)\}`/.exec(md)![1].split(', ');
  assert.equal(listed, risks.map((r) => r.address.replace('vsphere_virtual_machine.', '')));
  assert.ok(md.includes(`<!-- infra:reviewed env=big sha256=${'d'.repeat(64)} head=${'b'.repeat(40)} -->`));
  assert.ok(md.includes(CUT_NOTICE));
});

test.run();
