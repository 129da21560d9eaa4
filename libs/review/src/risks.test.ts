// Each risk from the changes that cause it (the shapes each kind's diff returns), and only then.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { EnvironmentChanges, InventoryChange, TerraformChange } from '@infra/render';
import { RISK_IDS, risksOf } from './risks';

const none = (): EnvironmentChanges => ({ terraform: [], cloudInit: [], marathon: [], hadoop: [], patches: [], summary: [] });
const inventory = (over: Partial<InventoryChange> = {}): InventoryChange => ({
  serversAdded: [], serversRemoved: [], serversChanged: [], appsAdded: [], appsRemoved: [], capacity: [], unprovided: [],
  before: { byRole: { 'mesos-master': 3, 'mesos-agent': 6 }, agentsByDomain: { 'rack-a': 3, 'rack-b': 3 } }, agentDomains: {}, ...over,
});
const vm = (host: string, role: string, action: TerraformChange['action'], over: Partial<TerraformChange> = {}): TerraformChange =>
  ({ address: `vsphere_virtual_machine.${host}`, action, reasons: [], attributes: [], dataHolding: 'none', role, host, group: role, ...over });
const ids = (c: EnvironmentChanges) => risksOf(c).map((r) => `${r.severity} ${r.id} ${r.address}`);

test('no change, no risk', () => {
  assert.equal(risksOf({ ...none(), inventory: inventory() }), []);
});

test('two of three masters replaced: a ZooKeeper majority, not all of them', () => {
  const c = { ...none(), inventory: inventory(), terraform: [vm('m1', 'mesos-master', 'replace'), vm('m2', 'mesos-master', 'replace'), vm('m3', 'mesos-master', 'update')] };
  assert.equal(ids(c), ['high zookeeper-majority-replaced role mesos-master']);
  c.terraform[2].action = 'replace';
  assert.equal(ids(c), ['high all-mesos-masters-replaced role mesos-master']);
});

test('agents of one failure domain is no risk; of two is', () => {
  const c = { ...none(), inventory: inventory(), terraform: [vm('a1', 'mesos-agent', 'replace', { failureDomain: 'rack-a' }), vm('a2', 'mesos-agent', 'replace', { failureDomain: 'rack-a' })] };
  assert.equal(ids(c), []);
  c.terraform.push(vm('b1', 'mesos-agent', 'delete', { failureDomain: 'rack-b' }));
  assert.equal(ids(c), ['high agent-failure-domains-replaced role mesos-agent']);
  assert.match(risksOf(c)[0].message, /rack-a: 2 of 3, rack-b: 1 of 3/);
});

test('a hundred racks at once: the risk names eight and counts the rest', () => {
  const c = { ...none(), inventory: inventory(), terraform: Array.from({ length: 10 }, (_, i) => vm(`a${i}`, 'mesos-agent', 'replace', { failureDomain: `rack-${i}` })) };
  const message = risksOf(c)[0].message;
  assert.match(message, /\(rack-0: 1, rack-1: 1, .*rack-7: 1, and 2 more\)/);
  assert.not.match(message, /rack-8/);
  assert.match(message, /^Mesos agents of 10 failure domains/);
});

test('data: destroyed, replaced, or on a kept disk', () => {
  const c = { ...none(), terraform: [
    vm('db1', 'database', 'delete', { dataHolding: 'data' }),
    vm('db2', 'database', 'replace', { dataHolding: 'data', reasons: ['stemcell x 1 → 2'] }),
    vm('db3', 'database', 'replace', { dataHolding: 'stateful-vm' }),
    vm('db4', 'database', 'update', { dataHolding: 'data' }),
  ] };
  assert.equal(ids(c), [
    'high data-holding-destroyed vsphere_virtual_machine.db1',
    'high data-holding-replaced vsphere_virtual_machine.db2',
    'medium stateful-vm-replaced vsphere_virtual_machine.db3',
  ]);
  assert.match(risksOf(c)[1].message, /because of stemcell x 1 → 2\. Apply refuses this unless a reviewed allowDestroy names the address/);
});

test('encoding-only user-data is one risk per group, naming its hosts', () => {
  const c = { ...none(), terraform: [vm('a1', 'app', 'update', { encodingOnly: true, group: 'crm' }), vm('a2', 'app', 'update', { encodingOnly: true, group: 'crm' })] };
  assert.equal(ids(c), ['medium user-data-encoding-only group crm']);
  assert.match(risksOf(c)[0].message, /2 instance\(s\) are touched: a1, a2/);
});

test('apps: deleted, and a dependency left without provider', () => {
  const c = { ...none(), marathon: [{ id: '/a', action: 'delete' as const, restarts: false, attributes: [], dependsOn: [], instancesBefore: 2 }], inventory: inventory({ unprovided: [{ app: '/b', dependency: '/a' }] }) };
  assert.equal(ids(c), ['high dependency-unprovided /b', 'medium marathon-app-deleted /a']);
});

test('capacity after losing the largest domain: worse is a risk, high when demand no longer fits; better is none', () => {
  const cap = { resource: 'cpus', unit: 'cpus', demandBefore: 100, demandAfter: 100, supplyAfterLossBefore: 128, supplyAfterLossAfter: 96, utilizationAfterLossBefore: 0.78, utilizationAfterLossAfter: 1.04, shortfallBefore: 0, shortfallAfter: 4, largestDomainAfter: 'rack rack-a' };
  assert.equal(ids({ ...none(), inventory: inventory({ capacity: [cap] }) }), ['high capacity-after-domain-loss capacity/cpus']);
  assert.equal(ids({ ...none(), inventory: inventory({ capacity: [{ ...cap, supplyAfterLossAfter: 120, utilizationAfterLossAfter: 0.83, shortfallAfter: 0 }] }) }), ['medium capacity-after-domain-loss capacity/cpus']);
  assert.equal(ids({ ...none(), inventory: inventory({ capacity: [{ ...cap, supplyAfterLossAfter: 160, utilizationAfterLossAfter: 0.6, shortfallAfter: 0 }] }) }), []);
});

test('DR parity lost; Hadoop hosts removed undecommissioned, racks moved, a ZooKeeper majority leaving', () => {
  const c: EnvironmentChanges = { ...none(), parity: { lost: [{ kind: 'databases', name: 'db-x', before: 'paired', after: 'missing' }], regained: [] }, hadoop: [
    { cluster: 'h', host: 'dn1', action: 'remove', detail: 'removed without being decommissioned first: its blocks may be lost' },
    { cluster: 'h', host: 'dn2', action: 'remove', detail: 'was decommissioned first' },
    { cluster: 'h', host: 'dn3', action: 'rack-move', detail: '/r1 → /r2' },
    { cluster: 'h', host: 'z1', action: 'zookeeper-leave', detail: 'ensemble 3 → 1' },
    { cluster: 'h', host: 'z2', action: 'zookeeper-leave', detail: 'ensemble 3 → 1' },
  ] };
  assert.equal(ids(c), [
    'high dr-parity-lost parity/databases/db-x',
    'high hadoop-host-removed-undecommissioned hadoop h/dn1',
    'high zookeeper-majority-replaced hadoop h',
    'medium namenode-restart-required hadoop h',
  ]);
});

test('every id used is documented', () => {
  for (const id of Object.keys(RISK_IDS)) assert.ok(RISK_IDS[id as keyof typeof RISK_IDS].length > 20, id);
});

test.run();
