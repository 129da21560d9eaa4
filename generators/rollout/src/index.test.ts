import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AppServerGroup, Environment, MesosAgentGroup } from '@infra/model';
import lenexa from '@infra/env-lenexa';
import awsDr from '@infra/env-aws-dr';
import { vmBatches, type DownVm } from '@infra/render';
import { rolloutGenerator, rolloutPlan } from './index';

const group = (env: Environment, name: string) => env.hostGroups.find((g) => g.name === name)! as AppServerGroup;
const ctx = { environment: () => undefined };

test('one rollout file per VM group, in both environments, app servers among them', () => {
  for (const env of [lenexa, awsDr]) {
    const names = [...rolloutGenerator.generate(env, ctx).keys()];
    assert.equal(names, env.hostGroups.map((g) => `rollout/${g.name}.json`).sort());
    assert.ok(names.includes('rollout/billing-app.json') && names.includes('rollout/mesos-master.json'));
  }
});

test('safe defaults: one canary, masters one at a time, agents a failure domain at a time, 900 s watches', () => {
  const files = rolloutGenerator.generate(lenexa, ctx);
  const master = JSON.parse(files.get('rollout/mesos-master.json')!);
  assert.equal(master.update, { canaries: 1, maxInFlight: 1, canaryWatchSeconds: 900, updateWatchSeconds: 900 });
  assert.equal(master.batches.map((b: { hosts: unknown[] }) => b.hosts.length), [1, 1, 1]);
  assert.is(master.health, undefined);
  const agents = JSON.parse(files.get('rollout/mesos-agent-a.json')!);
  assert.equal(agents.batches.map((b: { hosts: { host: string; failureDomain: string }[] }) => b.hosts.map((h) => `${h.host}@${h.failureDomain}`)),
    [['mesos-agent-01@rack-a'], ['mesos-agent-02@rack-a', 'mesos-agent-03@rack-a', 'mesos-agent-04@rack-a']]);
  const db = JSON.parse(files.get('rollout/db-ledger.json')!);
  assert.equal(db.update.maxInFlight, 1);
});

test('an update block: canaries one at a time, then maxInFlight within one failure domain; watch times as given', () => {
  const env = structuredClone(lenexa);
  const g = env.hostGroups.find((x) => x.name === 'mesos-agent-a')! as MesosAgentGroup;
  g.update = { canaries: 2, maxInFlight: 1, canaryWatchSeconds: 60, updateWatchSeconds: 30 };
  const plan = rolloutPlan(g, env);
  assert.equal(plan.update, { canaries: 2, maxInFlight: 1, canaryWatchSeconds: 60, updateWatchSeconds: 30 });
  assert.equal(plan.batches.map((b) => b.hosts.map((h) => h.host)), [['mesos-agent-01'], ['mesos-agent-02'], ['mesos-agent-03'], ['mesos-agent-04']]);
  // A group spanning two racks: a batch never mixes them, however many are in flight.
  const spanning: MesosAgentGroup = { ...g, hosts: 4, racks: { 'mesos-agent-a-01': 'rack-a', 'mesos-agent-a-02': 'rack-b', 'mesos-agent-a-03': 'rack-a', 'mesos-agent-a-04': 'rack-b' }, update: { canaries: 1, maxInFlight: 5 } };
  assert.equal(rolloutPlan(spanning, env).batches.map((b) => b.hosts.map((h) => `${h.host}@${h.failureDomain}`)),
    [['mesos-agent-a-01@rack-a'], ['mesos-agent-a-03@rack-a'], ['mesos-agent-a-02@rack-b', 'mesos-agent-a-04@rack-b']]);
});

test('an agent without a rack: its failure domain is its subnet\'s zone (AWS)', () => {
  const env = structuredClone(awsDr);
  const g = env.hostGroups.find((x) => x.role === 'mesos-agent')! as MesosAgentGroup;
  delete g.rack;
  delete g.racks;
  const zone = env.network.subnets.find((s) => s.name === g.subnet)!.zone!;
  assert.ok(zone);
  assert.ok(rolloutPlan(g, env).batches.flatMap((b) => b.hosts).every((h) => h.failureDomain === zone));
});

test('app servers: update.maxInFlight is their batch size; one that differs from rollout.batchSize is refused', () => {
  const env = structuredClone(lenexa);
  const g = group(env, 'crm-app');
  g.hosts = 4;
  g.update = { maxInFlight: 2 };
  delete g.rollout;
  assert.equal(rolloutPlan(g, env).batches.map((b) => b.hosts.length), [1, 2, 1]);
  assert.is(rolloutPlan(g, env).batchSize, 2);
  g.rollout = { batchSize: 3, healthCheck: { port: 8080, path: '/health' } };
  assert.equal(rolloutGenerator.check!(env, ctx), [{
    env: 'lenexa', path: 'hostGroups/crm-app/update/maxInFlight',
    message: '2 differs from rollout.batchSize (3), which says the same thing: give one of them',
  }]);
  g.rollout = { healthCheck: { port: 8080, path: '/health' } };
  g.update = { maxInFlight: 4 };
  assert.equal(rolloutGenerator.check!(env, ctx).map((p) => p.path), ['hostGroups/crm-app/update/maxInFlight']);
});

test('a canary of one server, then batches of batchSize, with the group\'s HTTP health check', () => {
  const g: AppServerGroup = { ...group(lenexa, 'crm-app'), hosts: 6, rollout: { batchSize: 2, healthCheck: { port: 8080, path: '/health' } } };
  const plan = rolloutPlan(g);
  assert.equal(plan.health, { kind: 'http', port: 8080, path: '/health' });
  assert.equal(plan.batches.map((b) => b.hosts.map((h) => h.host)), [['crm-app-01'], ['crm-app-02', 'crm-app-03'], ['crm-app-04', 'crm-app-05'], ['crm-app-06']]);
  assert.equal(plan.batches[0].hosts[0], { host: 'crm-app-01', address: '10.20.4.41' });
});

test('without a declared rollout: one server at a time, gated on the first app\'s port accepting TCP', () => {
  const g: AppServerGroup = { ...group(lenexa, 'crm-app') };
  delete g.rollout;
  const plan = rolloutPlan(g);
  assert.is(plan.batchSize, 1);
  assert.equal(plan.health, { kind: 'tcp', port: 8081 });
  assert.equal(plan.batches.map((b) => b.hosts.length), [1, 1]);
});

test('the rendered file is the plan, marked as generated; DR addresses are DR\'s', () => {
  const file = JSON.parse(rolloutGenerator.generate(awsDr, ctx).get('rollout/billing-app.json')!);
  assert.match(file['//'], 'Generated by `infra render` (rollout)');
  assert.equal(file.batches, [{ hosts: [{ host: 'billing-app-01', address: '10.120.4.21' }] }, { hosts: [{ host: 'billing-app-02', address: '10.120.4.22' }] }]);
});

test('a batch size that would replace every server at once is refused', () => {
  const env = structuredClone(lenexa);
  group(env, 'crm-app').rollout = { batchSize: 2, healthCheck: { port: 8080, path: '/health' } };
  assert.equal(rolloutGenerator.check!(env, ctx), [{
    env: 'lenexa', path: 'hostGroups/crm-app/rollout/batchSize',
    message: '2 would replace every server of crm-app (2) at once, taking all its apps down: use at most 1',
  }]);
});

/**
 * Every host of the file's group taken down at once, through the rule the review and apply batch
 * with: the batches must be the file's own, host for host.
 */
function replayed(file: { group: string; role: string; batches: { hosts: { host: string }[] }[] }): string[][] {
  const tree = new Map([[`rollout/${file.group}.json`, JSON.stringify(file)]]);
  // Given in reverse name order and without failure domains: the file alone must give both.
  const down: DownVm[] = file.batches.flatMap((b) => b.hosts).map((h) => ({ address: `vsphere_virtual_machine.${h.host}`, host: h.host, group: file.group, role: file.role, destroyed: false }))
    .sort((a, b) => (a.host < b.host ? 1 : -1));
  return vmBatches(down, new Map(), tree).map((b) => b.members.map((m) => m.host));
}

test('the rollout file and the review/apply batching are one rule: every rendered file replays to itself', () => {
  let groups = 0;
  for (const env of [lenexa, awsDr]) {
    for (const [, text] of rolloutGenerator.generate(env, ctx)) {
      const file = JSON.parse(text);
      assert.equal(replayed(file), file.batches.map((b: { hosts: { host: string }[] }) => b.hosts.map((h) => h.host)), `${env.name} ${file.group}`);
      groups++;
    }
  }
  assert.ok(groups >= 20, `${groups} groups`);
});

test('the same under policies the environments do not use: agents across racks with batches of 2, a wide app-server batch', () => {
  const env = structuredClone(lenexa);
  const agents = env.hostGroups.find((x) => x.name === 'mesos-agent-a')! as MesosAgentGroup;
  const spanning: MesosAgentGroup = { ...agents, hosts: 6, racks: { 'mesos-agent-a-01': 'rack-b', 'mesos-agent-a-02': 'rack-a', 'mesos-agent-a-03': 'rack-c', 'mesos-agent-a-04': 'rack-a', 'mesos-agent-a-05': 'rack-b', 'mesos-agent-a-06': 'rack-c' }, update: { canaries: 1, maxInFlight: 2 } };
  const app: AppServerGroup = { ...group(lenexa, 'crm-app'), hosts: 7, update: { canaries: 3, maxInFlight: 3 } };
  delete app.rollout;
  for (const g of [spanning, app]) {
    const file = JSON.parse(JSON.stringify(rolloutPlan(g, env)));
    assert.equal(replayed(file), file.batches.map((b: { hosts: { host: string }[] }) => b.hosts.map((h) => h.host)), g.name);
    assert.ok(file.batches.length >= 4, g.name);
  }
});

test('every object of a plan is built with its keys in stableJson\'s order, so the serializer copies none (agents, app servers with either health check)', () => {
  const unsorted: string[] = [];
  const walk = (v: unknown, at: string): void => {
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) { v.forEach((x, i) => walk(x, `${at}/${i}`)); return; }
    const keys = Object.keys(v);
    if (keys.join('\0') !== [...keys].sort().join('\0')) unsorted.push(`${at}: ${keys.join(', ')}`);
    for (const k of keys) walk((v as Record<string, unknown>)[k], `${at}/${k}`);
  };
  const tcp = structuredClone(lenexa);
  for (const g of tcp.hostGroups) if (g.role === 'app-server') delete (g as AppServerGroup).rollout;
  for (const env of [lenexa, awsDr, tcp]) for (const g of env.hostGroups) walk(rolloutPlan(g, env), `${env.name}/${g.name}`);
  assert.equal(unsorted, []);
  const kinds = new Set([lenexa, tcp].flatMap((env) => env.hostGroups.map((g) => rolloutPlan(g, env).health?.kind)));
  assert.ok(kinds.has('http') && kinds.has('tcp') && kinds.has(undefined));
});

test.run();
