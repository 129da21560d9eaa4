import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dataHolding, vmMarks } from '@infra/generator-terraform';
import type { Tree } from '@infra/render';
import type { ApplyKinds } from './kinds';
import { notInFullPlan, plannedChanges, refusals, reviewedAllowDestroy, rollout, type PlannedChange } from './terraform-plan';
import { healthGate } from './health-gate';
import { LoopbackMesos } from './testing/loopback-mesos';
import { reviewedDiff } from './testing/reviewed-diff';
import { editJson, renderedTree } from './testing/trees';

// The pure judgement of a plan, on the real renderings of both sites (no terraform run: the
// planned actions are what the reviewed diff says, which is what a faithful plan shows).

const KINDS: ApplyKinds = { dataHolding, vmMarks, marathonDependencies: () => [] };
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

test('aws-dr: a new AMI replaces the stateless instances only; databases and Hadoop hosts are patched in place', () => {
  const target = newAmi(awsDr);
  const planned = plannedOf('aws-dr', awsDr, target);
  assert.ok(planned.length >= 15 && planned.every((p) => p.action === 'replace'), JSON.stringify(planned.map((p) => p.address)));
  assert.not.ok(planned.some((p) => p.address.includes('.db-') || p.address.includes('.hdp-')), 'their ami is ignored: they are patched in place');
  assert.equal(refusals('aws-dr', planned, reviewedDiff('aws-dr', awsDr, target).changes.terraform, awsDr, target, KINDS, none), []);
});

test('aws-dr: a database removed from the definition is refused at its volume, named with both overrides', () => {
  const target = new Map(awsDr);
  target.delete('terraform/vm-db-ledger.tf.json');
  const planned = plannedOf('aws-dr', awsDr, target);
  assert.equal(planned.map((p) => `${p.action} ${p.address}`).sort(), ['delete aws_ebs_volume.db-ledger-01', 'delete aws_instance.db-ledger-01', 'delete aws_volume_attachment.db-ledger-01']);
  const out = refusals('aws-dr', planned, reviewedDiff('aws-dr', awsDr, target).changes.terraform, awsDr, target, KINDS, none);
  assert.equal(out.map((r) => /^terraform: (\S+) would be destroyed, and it holds data/.exec(r)?.[1]), ['aws_ebs_volume.db-ledger-01'], out.join('\n'));
  assert.match(out[0], 'allowDestroy in environments/aws-dr');
  assert.match(out[0], 'infra apply aws-dr --allow-destroy aws_ebs_volume.db-ledger-01');
  assert.equal(refusals('aws-dr', planned, reviewedDiff('aws-dr', awsDr, target).changes.terraform, awsDr, target, KINDS, { allowDestroy: ['aws_ebs_volume.db-ledger-01'], allowUnreviewed: [] }), []);
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
  const batches = rollout(planned, awsDr, target, KINDS);
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

test('app servers roll as their rollout file says: its order, a canary of one, then batchSize, each gated on its health check', () => {
  const lenexa = renderedTree('lenexa');
  // billing-app grown to five servers, batches of two, the file listing them in its own order.
  let target = editJson(lenexa, 'terraform/vm-billing-app.tf.json', (doc) => {
    const vms = (doc.resource as Record<string, Record<string, Record<string, unknown>>>).vsphere_virtual_machine;
    for (const n of ['03', '04', '05']) vms[`billing-app-${n}`] = { ...vms['billing-app-02'], name: `billing-app-${n}` };
  });
  const hosts = ['05', '01', '02', '03', '04'].map((n, i) => ({ host: `billing-app-${n}`, address: `127.0.0.${i + 1}` }));
  target = editJson(target, 'rollout/billing-app.json', (doc) => {
    doc.batchSize = 2;
    doc.update = { ...(doc.update as object), maxInFlight: 2 };
    doc.health = { kind: 'tcp', port: 9000 };
    doc.batches = [{ hosts: hosts.slice(0, 1) }, { hosts: hosts.slice(1, 3) }, { hosts: hosts.slice(3) }];
  });
  const planned: PlannedChange[] = ['01', '02', '03', '04', '05'].map((n) => ({ address: `vsphere_virtual_machine.billing-app-${n}`, type: 'vsphere_virtual_machine', action: 'replace' }));
  const batches = rollout(planned, lenexa, target, KINDS);
  assert.equal(batches.map((b) => b.hosts.map((h) => h.hostname)), [['billing-app-05'], ['billing-app-01', 'billing-app-02'], ['billing-app-03', 'billing-app-04']]);
  assert.equal(batches.map((b) => b.canary), [true, false, false]);
  assert.equal(batches[1].probes, [
    { host: 'billing-app-01', address: '127.0.0.2', health: { kind: 'tcp', port: 9000 } },
    { host: 'billing-app-02', address: '127.0.0.3', health: { kind: 'tcp', port: 9000 } },
  ]);
  // Only the servers replaced are taken down: the canary is the first of them in the file's order.
  const some = rollout(planned.filter((p) => !p.address.endsWith('-05')), lenexa, target, KINDS);
  assert.equal(some.map((b) => b.name), ['billing-app: billing-app-01 (canary)', 'billing-app: billing-app-02, billing-app-03', 'billing-app: billing-app-04']);
});

test('the rendered lenexa files: app servers probed over HTTP at their own addresses; agents and masters have no probes', () => {
  const lenexa = renderedTree('lenexa');
  const planned: PlannedChange[] = ['crm-app-01', 'crm-app-02', 'mesos-agent-01', 'mesos-master-01'].map((h) => ({ address: `vsphere_virtual_machine.${h}`, type: 'vsphere_virtual_machine', action: 'replace' }));
  const batches = rollout(planned, lenexa, lenexa, KINDS);
  assert.equal(batches.map((b) => b.name), ['mesos-master: mesos-master-01 (canary)', 'mesos-agent-a: mesos-agent-01 (canary)', 'crm-app: crm-app-01 (canary)', 'crm-app: crm-app-02']);
  assert.equal(batches.map((b) => b.probes?.length ?? 0), [0, 0, 1, 1]);
  assert.equal(batches[2].probes, [{ host: 'crm-app-01', address: '10.20.4.41', health: { kind: 'http', port: 8080, path: '/health' } }]);
});

test('every group rolls by its update policy: canaries one at a time, then maxInFlight; masters one at a time and agents one failure domain whatever a file says', () => {
  const lenexa = renderedTree('lenexa');
  let target = editJson(lenexa, 'rollout/mesos-agent-a.json', (doc) => {
    doc.update = { canaries: 2, maxInFlight: 1, canaryWatchSeconds: 60, updateWatchSeconds: 30 };
  });
  target = editJson(target, 'rollout/mesos-master.json', (doc) => {
    doc.update = { canaries: 0, maxInFlight: 3, canaryWatchSeconds: 60, updateWatchSeconds: 45 };
  });
  // A hand-written file putting two racks' agents in one group's list: never in one batch.
  target = editJson(target, 'rollout/mesos-agent-b.json', (doc) => {
    doc.update = { canaries: 1, maxInFlight: 8, canaryWatchSeconds: 60, updateWatchSeconds: 30 };
  });
  const hosts = ['mesos-master-01', 'mesos-master-02', 'mesos-master-03', 'mesos-agent-01', 'mesos-agent-02', 'mesos-agent-03', 'mesos-agent-04', 'mesos-agent-05', 'mesos-agent-06', 'mesos-agent-07', 'mesos-agent-08'];
  const planned: PlannedChange[] = hosts.map((h) => ({ address: `vsphere_virtual_machine.${h}`, type: 'vsphere_virtual_machine', action: 'replace' }));
  const batches = rollout(planned, lenexa, target, KINDS);
  assert.equal(batches.map((b) => `${b.name} ${b.watchS}s`), [
    'mesos-master: mesos-master-01 45s', 'mesos-master: mesos-master-02 45s', 'mesos-master: mesos-master-03 45s',
    'mesos-agent-a: mesos-agent-01 (canary) 60s', 'mesos-agent-a: mesos-agent-02 (canary) 60s',
    'mesos-agent-a: rack-a (mesos-agent-03) 30s', 'mesos-agent-a: rack-a (mesos-agent-04) 30s',
    'mesos-agent-b: mesos-agent-05 (canary) 60s', 'mesos-agent-b: rack-b (mesos-agent-06, mesos-agent-07, mesos-agent-08) 30s',
  ]);
  // Without a rollout file (an older tree): one canary, then one at a time, no watch time of its own.
  const bare = new Map([...lenexa].filter(([p]) => !p.startsWith('rollout/')));
  assert.equal(rollout(planned.slice(0, 3), bare, bare, KINDS).map((b) => `${b.name} ${b.watchS}`), ['mesos-master: mesos-master-01 (canary) undefined', 'mesos-master: mesos-master-02 undefined', 'mesos-master: mesos-master-03 undefined']);
});

/** apply's batches and the review's, each as "group:[C ]host+host" (the VM batches only). */
function applyAndReview(env: string, base: Tree, target: Tree) {
  const d = reviewedDiff(env, base, target);
  const planned: PlannedChange[] = d.changes.terraform.map((c) => ({ address: c.address, type: c.address.split('.')[0], action: c.action }));
  const applied = rollout(planned, base, target, KINDS, d.changes.terraform).filter((b) => b.hosts.length)
    .map((b) => `${b.hosts[0].group}:${b.canary ? 'C ' : ''}${b.hosts.map((h) => h.hostname).join('+')}`);
  const shown = (d.rollout ?? []).flatMap((g) => g.batches.map((b) => `${g.group}:${b.canary ? 'C ' : ''}${b.hosts.join('+')}`));
  return { applied, shown, planned };
}

test('the review shows exactly the batches apply takes: every VM of both sites replaced; an agent group removed', () => {
  for (const env of ['lenexa', 'aws-dr']) {
    const base = renderedTree(env);
    let target: Map<string, string> = base;
    for (const f of [...base.keys()].filter((p) => /^terraform\/(vm|hadoop)-.*\.tf\.json$/.test(p))) {
      target = editJson(target, f, (doc) => {
        const r = doc.resource as Record<string, Record<string, Record<string, unknown>>>;
        for (const i of Object.values(r.aws_instance ?? {})) i.ami = 'ami-0ffffffffffffffff';
        for (const i of Object.values(r.vsphere_virtual_machine ?? {})) i.replace_trigger = `${String(i.replace_trigger ?? '')} stemcell=next`;
      });
    }
    const all = applyAndReview(env, base, target);
    assert.ok(all.applied.length >= 13, `${env}: ${all.applied.length} batches`);
    assert.equal(all.shown, all.applied, env);
    // A removed group (its base file declaring two in flight) goes at that pace in both.
    const declared = editJson(base, 'rollout/mesos-agent-c.json', (doc) => { (doc.update as { maxInFlight: number }).maxInFlight = 2; });
    const removed = applyAndReview(env, declared, new Map([...base].filter(([p]) => !p.includes('mesos-agent-c'))));
    assert.equal(removed.applied, ['mesos-agent-c:C mesos-agent-09', 'mesos-agent-c:mesos-agent-10+mesos-agent-11', 'mesos-agent-c:mesos-agent-12'], env);
    assert.equal(removed.shown, removed.applied, env);
  }
});

test('a destroyed server is not probed (nothing comes back); the replaced ones of its batch are', () => {
  const lenexa = renderedTree('lenexa');
  const planned: PlannedChange[] = [
    { address: 'vsphere_virtual_machine.crm-app-01', type: 'vsphere_virtual_machine', action: 'replace' },
    { address: 'vsphere_virtual_machine.crm-app-02', type: 'vsphere_virtual_machine', action: 'delete' },
  ];
  const batches = rollout(planned, lenexa, lenexa, KINDS);
  assert.equal(batches.map((b) => b.name), ['crm-app: crm-app-01 (canary)', 'crm-app: crm-app-02']);
  assert.equal(batches.map((b) => b.probes?.map((p) => p.host)), [['crm-app-01'], []]);
});

test('a destroyed Mesos agent is not waited for at the gate; a replaced one is', async () => {
  const lenexa = renderedTree('lenexa');
  const planned: PlannedChange[] = [
    { address: 'vsphere_virtual_machine.mesos-agent-01', type: 'vsphere_virtual_machine', action: 'replace' },
    { address: 'vsphere_virtual_machine.mesos-agent-02', type: 'vsphere_virtual_machine', action: 'delete' },
  ];
  const [canary, second] = rollout(planned, lenexa, lenexa, KINDS);
  assert.equal([canary.hosts.map((h) => [h.hostname, !!h.destroyed]), second.hosts.map((h) => [h.hostname, !!h.destroyed])], [[['mesos-agent-01', false]], [['mesos-agent-02', true]]]);
  // The master knows every agent but those two: the destroyed one's gate passes, the replaced one's waits.
  const mesos = new LoopbackMesos(() => ['mesos-agent-03', 'mesos-agent-04']);
  const mesosUrl = await mesos.start();
  try {
    await healthGate(second, 'destroyed', { mesosUrl, deadlineMs: 2000, pollMs: 20 });
    const err = await healthGate(canary, 'replaced', { mesosUrl, deadlineMs: 100, pollMs: 20 }).catch((e: Error) => e);
    assert.match(String(err), 'agent mesos-agent-01 registered with the Mesos master');
  } finally {
    await mesos.stop();
  }
});

test.run();
