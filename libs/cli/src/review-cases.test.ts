// Golden diff cases from real edits of lenexa: each edit is made to the real definition, both
// sides are rendered by the real generators, and the review is asked what the change does. The
// actions and the risks are asserted, not only the words.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Environment, HostGroup } from '@infra/model';
import { diffEnvironment, markdownReport, RISK_IDS, textReport } from '@infra/review';
import { DIFFS } from './generators';
import LENEXA from '@infra/env-lenexa';
import { bumpStemcell, edited, rendered } from './review.fixture';

const base = rendered(LENEXA);
const review = (edit: (env: Environment) => void) => diffEnvironment('lenexa', base, rendered(edited(LENEXA, edit)), DIFFS);
const ids = (risks: { id: string }[]) => [...new Set(risks.map((r) => r.id))].sort();
const group = (env: Environment, name: string) => env.hostGroups.find((g) => g.name === name) as HostGroup & { hosts: unknown };

test('nothing changed: no change, no risk, and the reviewed hash is the manifest\'s', () => {
  const d = diffEnvironment('lenexa', base, base, DIFFS);
  assert.equal(d.changes.terraform, []);
  assert.equal(d.changes.marathon, []);
  assert.equal(d.risks, []);
  assert.match(d.reviewedHash, /^[0-9a-f]{64}$/);
});

test('image bump: one app updated, every task restarts, nothing else moves', () => {
  const d = review((env) => {
    const app = env.apps.find((a) => a.id === '/ledger/api')!;
    app.image = app.image.replace(':4.12.0', ':4.13.0');
  });
  assert.equal(d.changes.terraform, []);
  assert.equal(d.changes.marathon.map((m) => [m.id, m.action, m.restarts]), [['/ledger/api', 'update', true]]);
  const image = d.changes.marathon[0].attributes.find((a) => a.path === 'container.docker.image')!;
  assert.ok(String(image.before).endsWith(':4.12.0') && String(image.after).endsWith(':4.13.0'));
  assert.equal(d.counts.appsRestarted, 1);
  assert.equal(d.counts.instancesAffected, 4);
  assert.equal(d.risks, []);
});

test('scaling an app only scales: no restart', () => {
  const d = review((env) => { env.apps.find((a) => a.id === '/web/storefront')!.instances = 8; });
  assert.equal(d.changes.marathon.map((m) => [m.id, m.restarts, m.instancesBefore, m.instancesAfter]), [['/web/storefront', false, 6, 8]]);
  assert.equal(d.counts.appsScaled, 1);
  assert.equal(d.counts.appsRestarted, 0);
});

test('agent added: one VM created and pinned to its rack, nothing replaced', () => {
  const d = review((env) => { (group(env, 'mesos-agent-c').hosts as string[]).push('mesos-agent-13'); });
  assert.equal(d.changes.terraform.map((t) => [t.address, t.action, t.failureDomain]), [
    ['vsphere_compute_cluster_vm_group.mesos-agent-c-rack-c', 'update', undefined],
    ['vsphere_virtual_machine.mesos-agent-13', 'create', 'rack-c'],
  ], 'the rack\'s DRS VM group gains the new VM in place');
  assert.equal(d.counts.vmsCreated, 1);
  assert.equal(d.counts.vmsReplaced, 0);
  assert.equal(d.changes.cloudInit, [], 'the group\'s user-data names no host');
  assert.equal(d.changes.inventory!.serversAdded, ['mesos-agent-13']);
  assert.equal(d.risks, []);
});

test('app removed: the Marathon app is deleted and flagged', () => {
  const d = review((env) => { env.apps = env.apps.filter((a) => a.id !== '/notifications/mailer'); });
  assert.equal(d.changes.marathon.map((m) => [m.id, m.action]), [['/notifications/mailer', 'delete']]);
  assert.equal(ids(d.risks), ['marathon-app-deleted']);
  assert.equal(d.risks[0].address, '/notifications/mailer');
  assert.equal(d.counts.appsDeleted, 1);
});

test('stemcell bump: stateless VMs replaced, databases patched in place keep their VM and data; masters and racks flagged', () => {
  const d = review((env) => bumpStemcell(env));
  const vms = d.changes.terraform.filter((t) => t.address.startsWith('vsphere_virtual_machine.'));
  const replaced = vms.filter((t) => t.action === 'replace');
  assert.is(replaced.length, 19);
  assert.ok(replaced.every((t) => t.reasons.includes('stemcell ubuntu-trusty-hardened 3468.21 → 3468.22') && t.dataHolding === 'none'), JSON.stringify(replaced[0].reasons));
  const databases = vms.filter((t) => t.address.includes('.db-'));
  assert.equal(databases.map((t) => [t.action, t.dataHolding]), Array(4).fill(['update', 'stateful-vm']), 'databases only relabelled, never recreated');
  assert.not.ok(d.changes.terraform.some((t) => t.address.startsWith('vsphere_virtual_disk.')), 'no data disk touched');
  assert.equal(ids(d.risks), ['agent-failure-domains-replaced', 'all-mesos-masters-replaced']);
  assert.is(d.counts.vmsReplaced, 19);
  // User data is shown decoded, never as base64.
  const ud = replaced[0].attributes.find((a) => a.path === 'extra_config.guestinfo.userdata')!;
  assert.ok(ud.lines!.some((l) => l.includes('3468.22')));
  assert.not.ok(JSON.stringify(d).includes('H4sI'), 'no gzip+base64 anywhere in the diff');
});

test('security patch: stateless groups get new user-data; databases and Hadoop get it through their patch plans', () => {
  const d = review((env) => {
    env.stemcell = { ...env.stemcell, patches: [...(env.stemcell.patches ?? []), { id: 'USN-4100-1', packages: [{ name: 'bash', version: '4.3-7ubuntu1.8' }] }] };
  });
  const agents = d.changes.cloudInit.find((c) => c.group === 'mesos-agent-a')!;
  assert.equal(agents.hosts, ['mesos-agent-01', 'mesos-agent-02', 'mesos-agent-03', 'mesos-agent-04']);
  assert.ok(agents.lines.some((l) => l.startsWith('+') && l.includes('bash=4.3-7ubuntu1.8')), agents.lines.join('\n'));
  const ledger = d.changes.terraform.find((t) => t.address === 'vsphere_virtual_machine.db-ledger-01')!;
  assert.is(ledger.action, 'update', 'a database patched in place is never replaced by a patch');
  assert.equal(d.changes.patches.map((p) => p.group), ['db-catalog', 'db-customer', 'db-ledger', 'db-reporting', 'hbase-lenexa']);
  const plan = d.changes.patches.find((p) => p.group === 'db-ledger')!;
  assert.equal(plan.hosts, ['db-ledger-01']);
  assert.ok(plan.packages.some((p) => p.name === 'bash' && p.after === '4.3-7ubuntu1.8'), JSON.stringify(plan.packages));
  assert.not.ok(ids(d.risks).includes('data-holding-replaced'));
});

test('database address changed: the VM is replaced (its address forces a new resource) and its data disk is kept', () => {
  const d = review((env) => {
    const g = group(env, 'db-ledger') as { hosts: { name: string; ip: string }[] };
    g.hosts = [{ name: 'db-ledger-01', ip: '10.20.5.11' }];
  });
  const ledger = d.changes.terraform.find((t) => t.address === 'vsphere_virtual_machine.db-ledger-01')!;
  assert.is(ledger.action, 'replace');
  assert.ok(ledger.reasons.includes('address 10.20.5.10 → 10.20.5.11 (forces a new resource)'), ledger.reasons.join('; '));
  assert.is(ledger.dataHolding, 'stateful-vm');
  assert.not.ok(d.changes.terraform.some((t) => t.address.startsWith('vsphere_virtual_disk.')), 'the data disk is neither destroyed nor replaced');
  const risk = d.risks.find((r) => r.address === ledger.address)!;
  assert.is(risk.id, 'stateful-vm-replaced');
  assert.is(risk.severity, 'medium');
});

test('datanode decommissioned: a decommission, the regionserver leaves, no data risk', () => {
  const d = review((env) => {
    const h = env.hadoop[0].hosts.find((x) => x.name === 'hdp-dn-05')!;
    h.state = 'decommissioning';
    h.roles = h.roles.filter((r) => r !== 'regionserver');
  });
  const actions = d.changes.hadoop.map((h) => [h.host, h.action]);
  assert.equal(actions, [['hdp-dn-05', 'decommission'], ['hdp-dn-05', 'regionserver-remove']]);
  assert.is(d.counts.hostsDecommissioned, 1);
  assert.not.ok(d.risks.some((r) => r.id === 'hadoop-host-removed-undecommissioned'));
});

test('new rack of agents: its VMs are created with their failure domain, nothing replaced', () => {
  const d = review((env) => {
    const c = group(env, 'mesos-agent-c') as HostGroup & { hosts: string[] };
    env.hostGroups.push({ ...c, name: 'mesos-agent-d', rack: 'rack-d', hosts: ['mesos-agent-13', 'mesos-agent-14', 'mesos-agent-15', 'mesos-agent-16'] } as HostGroup);
    (env.site as { racks: Record<string, string[]> }).racks['rack-d'] = ['esx-d-01.lenexa.example.net', 'esx-d-02.lenexa.example.net'];
  });
  const vms = d.changes.terraform.filter((t) => t.address.startsWith('vsphere_virtual_machine.'));
  assert.equal(vms.map((t) => [t.action, t.failureDomain]), Array(4).fill(['create', 'rack-d']));
  assert.equal(d.changes.terraform.filter((t) => !vms.includes(t)).map((t) => [t.address, t.action]), [
    ['vsphere_compute_cluster_host_group.rack-d', 'create'],
    ['vsphere_compute_cluster_vm_group.mesos-agent-d-rack-d', 'create'],
    ['vsphere_compute_cluster_vm_host_rule.mesos-agent-d-rack-d', 'create'],
  ], 'the new rack exists in DRS: its ESXi hosts, its VM group and the rule pinning one to the other');
  assert.equal(d.changes.cloudInit.map((c) => [c.group, c.action, c.hosts.length]), [['mesos-agent-d', 'create', 4]]);
  assert.equal(d.risks, []);
});

test('a Hadoop host moved to a new rack: a rack move and the NameNode restart it needs', () => {
  const d = review((env) => {
    for (const h of env.hadoop[0].hosts) if (h.name === 'hdp-dn-04') h.rack = '/lenexa/rack-h3';
  });
  assert.equal(d.changes.hadoop.filter((h) => h.action === 'rack-move').map((h) => h.host), ['hdp-dn-04']);
  assert.equal(ids(d.risks), ['namenode-restart-required']);
});

test('every risk id raised is in the documented closed list', () => {
  const d = review((env) => { bumpStemcell(env); group(env, 'db-ledger').hosts = [{ name: 'db-ledger-01', ip: '10.20.5.11' }]; env.apps = env.apps.filter((a) => a.id !== '/notifications/mailer'); });
  assert.ok(d.risks.length >= 4);
  for (const r of d.risks) assert.ok(r.id in RISK_IDS, r.id);
});

test('stemcell bump: the review shows the rollout apply will take, in text and markdown', () => {
  const d = review((env) => bumpStemcell(env));
  assert.equal(d.rollout!.map((g) => [g.group, g.batches.map((b) => `${b.canary ? 'canary ' : ''}${b.hosts.join('+')}${b.failureDomain ? `@${b.failureDomain}` : ''}`)]), [
    ['mesos-master', ['canary mesos-master-01', 'mesos-master-02', 'mesos-master-03']],
    ['mesos-agent-a', ['canary mesos-agent-01@rack-a', 'mesos-agent-02+mesos-agent-03+mesos-agent-04@rack-a']],
    ['mesos-agent-b', ['canary mesos-agent-05@rack-b', 'mesos-agent-06+mesos-agent-07+mesos-agent-08@rack-b']],
    ['mesos-agent-c', ['canary mesos-agent-09@rack-c', 'mesos-agent-10+mesos-agent-11+mesos-agent-12@rack-c']],
    ['billing-app', ['canary billing-app-01', 'billing-app-02']],
    ['crm-app', ['canary crm-app-01', 'crm-app-02']],
  ], 'the batches apply takes for the same change (apply.test: 13 batches, canaries first)');
  const line = 'rollout: 13 batches: mesos-master 3 batches of 1; mesos-agent-a rack-a canary 1 then 3; mesos-agent-b rack-b canary 1 then 3; mesos-agent-c rack-c canary 1 then 3; billing-app 2 batches of 1; crm-app 2 batches of 1';
  const ref = { ref: 'main', sha: '' };
  const text = textReport({ schema: 'infra.diff/v1', base: ref, head: ref, environments: [d] });
  assert.ok(text.split('\n').includes(`  ${line}`), text.slice(0, 1500));
  assert.match(markdownReport({ schema: 'infra.diff/v1', base: ref, head: ref, environments: [d] }), `Rollout: ${line.slice('rollout: '.length)}`);
});

test('a change that replaces one group with its own update policy: its canaries, then maxInFlight; no VM down, no rollout', () => {
  const d = review((env) => {
    const g = group(env, 'mesos-agent-a');
    g.update = { canaries: 2, maxInFlight: 1 };
    (g as { dockerVersion: string }).dockerVersion = '18.06.3~ce~4-0~ubuntu';
  });
  assert.equal(d.rollout?.map((g) => [g.group, g.batches.map((b) => b.hosts.length), g.batches.filter((b) => b.canary).length]), [['mesos-agent-a', [1, 1, 1, 1], 2]]);
  assert.is(review((env) => { env.apps.find((a) => a.id === '/web/storefront')!.instances = 8; }).rollout, undefined);
});

test.run();
