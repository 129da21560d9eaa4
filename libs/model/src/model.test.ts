import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatIp, parseCidr, parseIp } from './ipv4';
import { groupHosts, hostsOf, patchLevel, patchMethodOf, patchNeedsReboot, stemcellImages } from './resolve';
import { secret, type SecretRef } from './secret';
import { deriveDisasterRecovery, type DisasterRecoveryPlan } from './disaster-recovery';
import { parityOf } from './parity';
import type { Environment, HostGroup, MarathonApp } from './index';

test('IPv4 parsing and formatting round-trip; junk is undefined', () => {
  assert.is(formatIp(parseIp('10.20.5.10')!), '10.20.5.10');
  assert.is(formatIp(parseIp('255.255.255.255')!), '255.255.255.255');
  assert.is(parseIp('10.20.5.256'), undefined);
  assert.is(parseIp('10.20.5'), undefined);
  assert.equal(parseCidr('10.20.2.0/23'), { base: parseIp('10.20.2.0'), prefix: 23, size: 512 });
  assert.is(parseCidr('10.20.2.1/23'), undefined, 'host bits set');
  assert.is(parseCidr('10.20.2.0/33'), undefined);
});

const agents = (hosts: HostGroup['hosts']): HostGroup => ({
  role: 'mesos-agent', name: 'agent', size: 'xlarge', subnet: 'compute', hosts, firstIp: '10.20.2.11', mesosVersion: '1.4.3', dockerVersion: '18.06.3~ce~3-0~ubuntu',
});

test('allocated addresses depend only on the host name: adding, removing or reordering moves nobody', () => {
  const ipOf = (g: HostGroup) => Object.fromEntries(groupHosts(g).map((h) => [h.name, h.ip]));
  const three = ipOf(agents(3));
  assert.equal(three, { 'agent-01': '10.20.2.11', 'agent-02': '10.20.2.12', 'agent-03': '10.20.2.13' });
  assert.equal(ipOf(agents(4))['agent-03'], three['agent-03']);
  const withoutTwo = ipOf(agents(['agent-03', 'agent-01']));
  assert.equal(withoutTwo, { 'agent-03': '10.20.2.13', 'agent-01': '10.20.2.11' });
  assert.is(ipOf(agents([{ name: 'agent-07', ip: '10.20.2.200' }]))['agent-07'], '10.20.2.200', 'a given ip wins');
});

test('a secret is a reference object; its text must name a vault path and key', () => {
  assert.equal(secret('kv/ledger/db#password'), { vault: 'kv/ledger/db#password' });
  assert.throws(() => secret('hunter2'), /expected "<vault path>#<key>"/);
  // @ts-expect-error a plain string is not a SecretRef: this line must not compile
  const plain: SecretRef = 'hunter2';
  assert.type(plain, 'string');
  // @ts-expect-error nor can a plain string sit in an app's secrets
  const app: Pick<MarathonApp, 'secrets'> = { secrets: { DB_PASSWORD: 'hunter2' } };
  assert.ok(app);
});

const prod: Environment = {
  name: 'prod', description: 'p',
  site: { kind: 'vsphere', vcenter: 'vc', datacenter: 'dc', cluster: 'c', datastore: 'ds', folder: 'f', state: { kind: 'consul', address: 'c:8500', path: 'p' } },
  network: { domain: 'prod.example', dnsServers: ['10.0.0.2'], subnets: [
    { name: 'compute', cidr: '10.20.2.0/23', gateway: '10.20.2.1', portGroup: 'pg' },
    { name: 'data', cidr: '10.20.5.0/24', gateway: '10.20.5.1', portGroup: 'pg2' },
  ] },
  stemcell: { name: 's', version: '1', os: 'ubuntu-14.04', cloudInit: '0.7.5', transports: ['vmware-guestinfo', 'ec2-metadata'], images: { '1': { vsphere: { template: 't' } } }, patches: [] },
  sizes: { xlarge: { cpus: 16, memoryMiB: 65536, diskGiB: 500 } },
  hostGroups: [
    agents(3),
    { role: 'database', name: 'db', size: 'xlarge', subnet: 'data', engine: 'postgresql', engineVersion: '9.6', port: 5432, dataDir: '/d', hosts: [{ name: 'db-01', ip: '10.20.5.10' }] },
  ],
  apps: [{ id: '/a', image: 'r/a:1', runtime: 'go', cpus: 1, mem: 64, disk: 0, instances: 1, ports: [] }],
  sidecar: { version: '1.0.0', url: 'https://a.test/infra-sidecar', cpus: 0.1, mem: 32, port: 9901, waitSeconds: 30 },
  hadoop: [],
};
const plan: DisasterRecoveryPlan = {
  name: 'dr', description: 'd',
  site: { kind: 'aws', region: 'us-east-2', zones: ['a', 'b'], vpcCidr: '10.120.0.0/16', instanceTypes: { xlarge: 'm5.4xlarge' }, state: { kind: 's3', bucket: 'b', key: 'k', region: 'us-east-2', lockTable: 't' } },
  network: { domain: 'dr.example', dnsServers: ['10.120.0.2'], subnets: [
    { name: 'dr-compute', cidr: '10.120.2.0/23', gateway: '10.120.2.1', zone: 'a' },
    { name: 'dr-data', cidr: '10.120.5.0/24', gateway: '10.120.5.1', zone: 'b' },
  ] },
  subnets: { compute: 'dr-compute', data: 'dr-data' },
};

test('DR keeps every host, database and app, moving addresses to the same offset in the DR subnet', () => {
  const dr = deriveDisasterRecovery(prod, plan);
  assert.equal(hostsOf(dr).map((h) => [h.name, h.ip, h.subnet]), [
    ['agent-01', '10.120.2.11', 'dr-compute'], ['agent-02', '10.120.2.12', 'dr-compute'], ['agent-03', '10.120.2.13', 'dr-compute'], ['db-01', '10.120.5.10', 'dr-data'],
  ]);
  assert.equal(dr.apps.map((a) => a.id), ['/a']);
  assert.equal(dr.derivedFrom, { environment: 'prod', exclusions: [] });
});

test('DR follows production: a host added to production appears in DR without touching the plan', () => {
  const grown = { ...prod, hostGroups: [agents(4), prod.hostGroups[1]] };
  assert.ok(hostsOf(deriveDisasterRecovery(grown, plan)).some((h) => h.name === 'agent-04' && h.ip === '10.120.2.14'));
});

test('DR leaves out exactly what the plan excludes', () => {
  const dr = deriveDisasterRecovery(prod, { ...plan, exclude: [{ kind: 'host', name: 'agent-02', reason: 'r' }, { kind: 'app', name: '/a', reason: 'r' }] });
  assert.equal(hostsOf(dr).map((h) => [h.name, h.ip]), [['agent-01', '10.120.2.11'], ['agent-03', '10.120.2.13'], ['db-01', '10.120.5.10']]);
  assert.equal(dr.apps, []);
});

test('DR puts a racked group in the subnet of its rack\'s zone, at the same offset; a master group\'s racks are dropped', () => {
  const racked: Environment = {
    ...prod,
    hostGroups: [
      { ...agents(2), name: 'agent-x', rack: 'rack-x', hosts: ['agent-01', 'agent-02'] } as HostGroup,
      { ...agents(4), name: 'agent-y', rack: 'rack-y', hosts: ['agent-03', 'agent-04'] } as HostGroup,
      { role: 'mesos-master', name: 'm', size: 'xlarge', subnet: 'compute', hosts: 2, firstIp: '10.20.2.101', racks: { 'm-01': 'rack-x', 'm-02': 'rack-y' }, mesosVersion: '1', zookeeperVersion: '3-1', marathonVersion: '1' },
    ],
  };
  const zoned: DisasterRecoveryPlan = {
    ...plan,
    site: { ...plan.site, racks: { 'rack-x': 'a', 'rack-y': 'b' } },
    network: { ...plan.network, subnets: [...plan.network.subnets, { name: 'dr-compute-b', cidr: '10.120.12.0/24', gateway: '10.120.12.1', zone: 'b' }] },
    zoneSubnets: { compute: { a: 'dr-compute', b: 'dr-compute-b' } },
  };
  const dr = deriveDisasterRecovery(racked, zoned);
  assert.equal(hostsOf(dr).map((h) => [h.name, h.ip, h.subnet]), [
    ['agent-01', '10.120.2.11', 'dr-compute'], ['agent-02', '10.120.2.12', 'dr-compute'],
    ['agent-03', '10.120.12.13', 'dr-compute-b'], ['agent-04', '10.120.12.14', 'dr-compute-b'],
    ['m-01', '10.120.2.101', 'dr-compute'], ['m-02', '10.120.2.102', 'dr-compute'],
  ]);
  assert.is((dr.hostGroups[2] as { racks?: unknown }).racks, undefined);
});

test('stemcell facts: images of the version only, patch level, reboot, patch method by role', () => {
  const stemcell = { ...prod.stemcell, version: '2', patches: [{ id: 'USN-2-1', packages: [] }, { id: 'USN-10-1', packages: [{ name: 'linux-image-generic', version: '3.13.0.170.181' }] }] };
  assert.is(stemcellImages(stemcell), undefined);
  assert.equal(stemcellImages(prod.stemcell), { vsphere: { template: 't' } });
  assert.is(patchLevel(stemcell), '2+USN-10-1+USN-2-1');
  assert.equal(stemcell.patches.map(patchNeedsReboot), [false, true]);
  assert.is(patchNeedsReboot({ id: 'USN-3-1', packages: [], reboot: true }), true);
  assert.is(patchMethodOf(prod.hostGroups[1]), 'patch-in-place');
  assert.is(patchMethodOf(prod.hostGroups[0]), 'replace');
  assert.is(patchMethodOf({ ...prod.hostGroups[1], patching: 'replace' } as HostGroup), 'replace');
});

test('parity pairs production with its copy, once per pair, frozen; an excluded database is excused with its reason', () => {
  const dr = deriveDisasterRecovery(prod, { ...plan, exclude: [{ kind: 'database', name: 'db-01', reason: 'restored from backups' }] });
  const report = parityOf(prod, dr);
  assert.is(parityOf(prod, dr), report, 'derived once for the pair');
  assert.ok(Object.isFrozen(report) && Object.isFrozen(report.entries[0]));
  assert.equal(report.entries.map((e) => `${e.kind}:${e.name}:${e.status}`), [
    'host:agent-01:paired', 'host:agent-02:paired', 'host:agent-03:paired',
    'database:db-01:excluded',
    'role:database:excluded', 'role:mesos-agent:paired',
    'app:/a:paired',
  ]);
  assert.is(report.entries.find((e) => e.name === 'db-01')!.note, 'restored from backups');
  assert.equal(report.staleExclusions, []);
});

test.run();
