import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Environment, HostGroup } from './index';
import { resolve } from './resolved';
import { patchMethodOf, dataDiskOf, hostRack } from './resolve';
import { updatePolicy } from './update-policy';
import { forRole, ROLE_FACTS, SITE_FACTS, siteFacts } from './roles';

const master = (racks?: Record<string, string>): HostGroup => ({
  role: 'mesos-master', name: 'm', size: 'big', subnet: 'a', hosts: 3, firstIp: '10.0.1.10', mesosVersion: '1', zookeeperVersion: '3-1', marathonVersion: '1', ...(racks ? { racks } : {}),
});
const env = (over: Partial<Environment> = {}): Environment => ({
  name: 'e', description: 'd',
  site: { kind: 'aws', region: 'us-east-2', zones: ['za', 'zb'], vpcCidr: '10.0.0.0/16', instanceTypes: {}, state: { kind: 's3', bucket: 'b', key: 'k', region: 'us-east-2', lockTable: 't' } },
  network: { domain: 'e.test', dnsServers: ['10.0.0.2'], subnets: [{ name: 'a', cidr: '10.0.1.0/24', gateway: '10.0.1.1', zone: 'za' }, { name: 'b', cidr: '10.0.2.0/24', gateway: '10.0.2.1', zone: 'zb' }] },
  stemcell: { name: 's', version: '1', os: 'ubuntu-14.04', cloudInit: '0.7.5', transports: ['ec2-metadata'], images: {}, patches: [] },
  sizes: { big: { cpus: 8, memoryMiB: 8192, diskGiB: 10 } },
  hostGroups: [
    master({ 'm-01': 'r1' }),
    { role: 'mesos-agent', name: 'ag', size: 'big', subnet: 'b', hosts: ['ag-01', 'ag-02', 'ag-03'], firstIp: '10.0.2.10', mesosVersion: '1', dockerVersion: '1-1', racks: { 'ag-01': 'r1', 'ag-02': 'r1' } },
    { role: 'app-server', name: 'app', size: 'big', subnet: 'a', hosts: 1, firstIp: '10.0.1.50', apps: [] },
    { role: 'database', name: 'db', size: 'big', subnet: 'b', engine: 'postgresql', engineVersion: '9.6', port: 5432, dataDir: '/d', data: { sizeGiB: 1, mountPoint: '/d', filesystem: 'ext4' }, hosts: [{ name: 'db-01', ip: '10.0.2.5' }] },
  ],
  apps: [
    { id: '/go', image: 'r/go:1', runtime: 'go', cpus: 1, mem: 100, disk: 10, instances: 2, ports: [] },
    { id: '/jvm', image: 'r/jvm:1', runtime: 'jvm', cpus: 0.5, mem: 200, disk: 0, instances: 1, ports: [] },
  ],
  sidecar: { version: '1.0.0', url: 'https://a.test/s', cpus: 0.1, mem: 32, port: 9901, waitSeconds: 1 },
  hadoop: [],
  ...over,
});

test('resolve: one frozen object per environment object, hosts with address, rack and failure domain', () => {
  const e = env();
  const r = resolve(e);
  assert.is(resolve(e), r, 'memoised per environment object');
  assert.is.not(resolve(env()), r, 'another environment object is resolved on its own');
  assert.ok(Object.isFrozen(r) && Object.isFrozen(r.hosts) && r.hosts.every(Object.isFrozen));
  assert.throws(() => (r.hosts as unknown as unknown[]).push(1));
  assert.equal(r.hosts.map((h) => [h.name, h.ip, h.rack, h.failureDomain]), [
    // Agents and masters are rolled by failure domain: their rack, else their subnet's zone.
    ['ag-01', '10.0.2.10', 'r1', 'r1'], ['ag-02', '10.0.2.11', 'r1', 'r1'], ['ag-03', '10.0.2.12', undefined, 'zb'],
    ['app-01', '10.0.1.50', undefined, undefined],
    ['db-01', '10.0.2.5', undefined, undefined],
    ['m-01', '10.0.1.10', 'r1', 'r1'], ['m-02', '10.0.1.11', undefined, 'za'], ['m-03', '10.0.1.12', undefined, 'za'],
  ]);
  assert.is(r.host('db-01')?.role, 'database');
  assert.equal(r.withRole('mesos-agent').map((h) => h.name), ['ag-01', 'ag-02', 'ag-03']);
  assert.is(r.withRole('mesos-agent'), r.withRole('mesos-agent'));
});

test('resolve: agents, their failure domains and the capacity report, sidecars included', () => {
  const r = resolve(env());
  assert.equal(r.agents.map((a) => [a.name, a.rack, a.cpus, a.mem, a.disk]), [['ag-01', 'r1', 8, 8192, 10240], ['ag-02', 'r1', 8, 8192, 10240], ['ag-03', undefined, 8, 8192, 10240]]);
  assert.equal(r.failureDomains.map((d) => `${d.kind}:${d.name}:${d.agents.join('+')}`), ['rack:r1:ag-01+ag-02', 'agent:ag-03:ag-03']);
  const c = r.capacity;
  assert.is(c, r.capacity, 'derived once');
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.resources.cpus));
  // /go: 2 × (1 + 0.1 sidecar) cpus, 2 × (100 + 32) MiB; /jvm: no sidecar.
  assert.equal(c.apps.map((a) => [a.id, a.sidecar, a.perInstance.cpus, a.perInstance.mem]), [['/go', true, 1.1, 132], ['/jvm', false, 0.5, 200]]);
  assert.equal([c.resources.cpus.demand, c.resources.cpus.supply, c.resources.cpus.largestDomain?.name, c.resources.cpus.supplyAfterLoss], [2.7, 24, 'r1', 8]);
  assert.equal([c.resources.mem.demand, c.resources.mem.shortfall], [464, 0]);
});

test('resolve: a definition validation refuses is still asked for its hosts without computing capacity', () => {
  const broken = env({ apps: undefined as never });
  const r = resolve(broken);
  assert.is(r.hosts.length, 8);
  assert.throws(() => r.capacity);
});

test('role facts: rack, patching, data disk and update defaults come from one table', () => {
  const e = env();
  const [m, ag, app, db] = e.hostGroups;
  assert.equal([hostRack(m, 'm-01'), hostRack(ag, 'ag-03'), hostRack({ ...ag, rack: 'r9' } as HostGroup, 'ag-03'), hostRack(app, 'app-01')], ['r1', undefined, 'r9', undefined]);
  assert.equal(e.hostGroups.map(patchMethodOf), ['replace', 'replace', 'replace', 'patch-in-place']);
  assert.equal(dataDiskOf(db), { sizeGiB: 1, mountPoint: '/d', filesystem: 'ext4' });
  assert.is(dataDiskOf(app), undefined);
  assert.equal(e.hostGroups.map((g) => updatePolicy(g).maxInFlight), [1, 3, 1, 1]);
  assert.is(updatePolicy({ ...m, update: { maxInFlight: 3 } } as HostGroup).maxInFlight, 1, 'masters: always one at a time');
  assert.is(updatePolicy({ ...app, rollout: { batchSize: 2, healthCheck: { port: 1, path: '/' } } } as HostGroup).maxInFlight, 2);
  assert.equal(Object.keys(ROLE_FACTS).sort(), ['app-server', 'database', 'mesos-agent', 'mesos-master']);
  assert.equal(Object.keys(SITE_FACTS).sort(), ['aws', 'vsphere']);
});

test('a definition validation refuses (unknown role or site kind) gets neutral facts, not a crash; a kind\'s table names it', () => {
  const e = env();
  const odd = { ...e.hostGroups[2], role: 'web-server' } as unknown as HostGroup;
  const broken = env({ hostGroups: [...e.hostGroups, odd], site: { ...e.site, kind: 'openstack' } as never });
  assert.equal([hostRack(odd, 'app-01'), patchMethodOf(odd), dataDiskOf(odd), updatePolicy(odd).maxInFlight], [undefined, 'replace', undefined, 1]);
  assert.is(resolve(broken).hosts.length, 9);
  assert.is(siteFacts(broken.site).hadoopOnInstances, false);
  assert.throws(() => forRole({ 'mesos-master': () => 1, 'mesos-agent': () => 1, 'app-server': () => 1, database: () => 1 }, odd),
    (err: Error) => err.message === 'no row for role "web-server": only a validated definition reaches this table');
});

test.run();
