import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dataHolding } from '@infra/generator-terraform';
import type { Tree } from '@infra/render';
import type { ApplyKinds } from './kinds';
import { notInFullPlan, plannedChanges, refusals, reviewedAllowDestroy, rollout, type PlannedChange } from './terraform-plan';
import { reviewedDiff } from './testing/reviewed-diff';
import { editJson, renderedTree } from './testing/trees';

// The pure judgement of a plan, on the real renderings of both sites (no terraform run: the
// planned actions are what the reviewed diff says, which is what a faithful plan shows).

const KINDS: ApplyKinds = { dataHolding, marathonDependencies: () => [] };
const none = { allowDestroy: [], allowUnreviewed: [] };
const plannedOf = (env: string, base: Tree, target: Tree): PlannedChange[] =>
  reviewedDiff(env, base, target).changes.terraform.map((c) => ({ address: c.address, type: c.address.split('.')[0], action: c.action }));

const awsDr = renderedTree('aws-dr');
/** A new AMI (the stemcell on AWS) for every instance. */
const newAmi = (tree: Map<string, string>) => {
  let out = tree;
  for (const f of [...tree.keys()].filter((p) => /^terraform\/(vm|hadoop)-.*\.tf\.json$/.test(p))) {
    out = editJson(out, f, (doc) => {
      for (const i of Object.values(((doc.resource as Record<string, Record<string, Record<string, unknown>>>).aws_instance) ?? {})) i.ami = 'ami-0ffffffffffffffff';
    });
  }
  return out;
};

test('show -json actions in review terms; no-op and read dropped; a replacement either way round', () => {
  const rc = (address: string, actions: string[]) => ({ address, type: address.split('.')[0], name: address.split('.')[1], change: { actions } });
  assert.equal(plannedChanges([rc('a.x', ['no-op']), rc('a.y', ['delete', 'create']), rc('a.z', ['create', 'delete']), rc('d.r', ['read']), rc('a.c', ['create'])]).map((p) => `${p.action} ${p.address}`),
    ['create a.c', 'replace a.y', 'replace a.z']);
});

test('aws-dr: a new AMI replaces every instance; databases and Hadoop hosts are refused, each named with both overrides', () => {
  const target = newAmi(awsDr);
  const planned = plannedOf('aws-dr', awsDr, target);
  assert.ok(planned.length >= 20 && planned.every((p) => p.action === 'replace'));
  const out = refusals('aws-dr', planned, reviewedDiff('aws-dr', awsDr, target).changes.terraform, awsDr, target, KINDS, none);
  const named = out.map((r) => /^terraform: (\S+) would be replaced, and it holds data/.exec(r)?.[1]);
  assert.ok(named.every(Boolean), out.join('\n'));
  assert.ok(named.includes('aws_instance.db-ledger-01'));
  assert.ok(named.some((n) => n!.startsWith('aws_instance.hdp-')), 'Hadoop hosts hold data too');
  assert.not.ok(named.some((n) => n!.includes('mesos')));
  assert.match(out[0], 'allowDestroy in environments/aws-dr');
  assert.match(out[0], 'infra apply aws-dr --allow-destroy aws_instance.');
  const allowed = refusals('aws-dr', planned, reviewedDiff('aws-dr', awsDr, target).changes.terraform, awsDr, target, KINDS, { allowDestroy: named as string[], allowUnreviewed: [] });
  assert.equal(allowed, []);
});

test('an action the review did not list, or listed as another, is refused by address', () => {
  const lenexa = renderedTree('lenexa');
  const planned: PlannedChange[] = [
    { address: 'vsphere_virtual_machine.mesos-agent-07', type: 'vsphere_virtual_machine', action: 'update' },
    { address: 'vsphere_virtual_machine.mesos-agent-08', type: 'vsphere_virtual_machine', action: 'replace' },
  ];
  const reviewed = [{ address: 'vsphere_virtual_machine.mesos-agent-08', action: 'update' as const, reasons: [], attributes: [], dataHolding: 'none' as const }];
  const out = refusals('lenexa', planned, reviewed, lenexa, lenexa, KINDS, none);
  assert.equal(out.length, 2);
  assert.match(out[0], 'mesos-agent-07 would be updated, but the reviewed diff does not list it');
  assert.match(out[1], 'mesos-agent-08 would be replaced, but the reviewed diff shows it updated');
  assert.equal(refusals('lenexa', planned, reviewed, lenexa, lenexa, KINDS, { allowDestroy: [], allowUnreviewed: planned.map((p) => p.address) }), []);
});

test('aws-dr rollout: masters one at a time, each agent group a canary then its rack, then one host at a time', () => {
  const target = newAmi(awsDr);
  const planned = plannedOf('aws-dr', awsDr, target);
  const batches = rollout(planned, awsDr, target);
  const names = batches.map((b) => b.hosts.map((h) => h.hostname).join(','));
  assert.equal(names.slice(0, 9), [
    'mesos-master-01', 'mesos-master-02', 'mesos-master-03',
    'mesos-agent-01', 'mesos-agent-02,mesos-agent-03,mesos-agent-04',
    'mesos-agent-05', 'mesos-agent-06,mesos-agent-07,mesos-agent-08',
    'mesos-agent-09', 'mesos-agent-10,mesos-agent-11,mesos-agent-12',
  ]);
  assert.ok(batches.slice(9).every((b) => b.hosts.length === 1), 'everything else one host at a time');
  assert.equal(new Set(batches.flatMap((b) => b.addresses)).size, planned.length, 'every planned change in exactly one batch');
  assert.equal(batches.filter((b) => b.canary).map((b) => b.hosts[0].group).slice(0, 4), ['mesos-master', 'mesos-agent-a', 'mesos-agent-b', 'mesos-agent-c']);
});

test('a batch plan with more than the full plan, or another action, is caught', () => {
  const full: PlannedChange[] = [{ address: 'a.x', type: 'a', action: 'replace' }];
  assert.equal(notInFullPlan([{ address: 'a.x', type: 'a', action: 'replace' }], full), []);
  assert.equal(notInFullPlan([{ address: 'a.x', type: 'a', action: 'delete' }, { address: 'a.y', type: 'a', action: 'create' }], full),
    ['a.x (delete; the full plan: replace)', 'a.y (create; not in the full plan)']);
});

test('allowDestroy entries are read from the manifest, as strings or { address, reason }', () => {
  const t = editJson(awsDr, 'manifest.json', (m) => { m.allowDestroy = [{ address: 'aws_instance.db-ledger-01', reason: 'r' }, 'aws_ebs_volume.x']; });
  assert.equal(reviewedAllowDestroy(t), ['aws_instance.db-ledger-01', 'aws_ebs_volume.x']);
  assert.equal(reviewedAllowDestroy(awsDr), []);
});

test.run();
