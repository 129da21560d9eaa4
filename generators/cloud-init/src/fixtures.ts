// Small named environments for the tests: each shows one shape of input, small enough to read
// its golden output whole. Imported only from *.test.ts files.
import type { Environment, HostGroup, Stemcell } from '@infra/model';

export const stemcell: Stemcell = {
  name: 'trusty-test',
  version: '100.1',
  os: 'ubuntu-14.04',
  cloudInit: '0.7.5',
  transports: ['vmware-guestinfo', 'ec2-metadata'],
  images: { vsphere: { template: 'templates/trusty-test-100.1' }, aws: { 'us-east-2': 'ami-0123456789abcdef0' } },
  patches: [
    { id: 'USN-0002-1', packages: [{ name: 'zlib1g', version: '1:1.2.8.dfsg-1ubuntu1.1' }] },
    { id: 'USN-0001-1', packages: [{ name: 'openssl', version: '1.0.1f-1ubuntu2.27' }, { name: 'libssl1.0.0', version: '1.0.1f-1ubuntu2.27' }] },
  ],
};

const vsphereSite: Environment['site'] = {
  kind: 'vsphere', vcenter: 'vc.test', datacenter: 'dc', cluster: 'c', datastore: 'ds', folder: 'f',
  state: { kind: 'consul', address: 'consul.test:8500', path: 'tf/test' },
};

const awsSite: Environment['site'] = {
  kind: 'aws', region: 'us-east-2', zones: ['us-east-2a', 'us-east-2b'], vpcCidr: '10.9.0.0/16',
  instanceTypes: { small: 't3.small' },
  state: { kind: 's3', bucket: 'b', key: 'k', region: 'us-east-2', lockTable: 'locks' },
};

function environment(name: string, site: Environment['site'], hostGroups: HostGroup[]): Environment {
  return {
    name,
    description: `test environment ${name}`,
    site,
    network: {
      domain: `${name}.test`,
      dnsServers: ['10.9.0.2'],
      subnets: [{ name: 'net', cidr: '10.9.0.0/16', gateway: '10.9.0.1', portGroup: 'pg', zone: 'us-east-2a' }],
    },
    stemcell,
    sizes: { small: { cpus: 2, memoryMiB: 4096, diskGiB: 40 } },
    hostGroups,
    apps: [],
    sidecar: { version: '1.0.0', url: 'https://artifacts.test/infra-sidecar', cpus: 0.1, mem: 32, port: 9901, waitSeconds: 30 },
    hadoop: [],
  };
}

const group = { size: 'small', subnet: 'net' };

/**
 * Every role on vSphere: three masters, agents in mixed racks (one without), agents all in one
 * rack, two apps on one server, both database engines.
 */
export function everyRole(): Environment {
  return environment('every-role', vsphereSite, [
    { ...group, role: 'mesos-master', name: 'master', hosts: 3, firstIp: '10.9.1.1', mesosVersion: '1.4.3', zookeeperVersion: '3.4.14', marathonVersion: '1.6.549' },
    {
      ...group, role: 'mesos-agent', name: 'agent', hosts: 3, firstIp: '10.9.2.1', mesosVersion: '1.4.3', dockerVersion: '18.06.3',
      racks: { 'agent-02': 'rack-b', 'agent-01': 'rack-a' },
    },
    {
      ...group, role: 'mesos-agent', name: 'edge', hosts: 2, firstIp: '10.9.2.101', mesosVersion: '1.4.3', dockerVersion: '18.06.3',
      racks: { 'edge-01': 'rack-e', 'edge-02': 'rack-e' },
    },
    {
      ...group, role: 'app-server', name: 'shop', hosts: ['shop-01'], firstIp: '10.9.3.1',
      apps: [{ name: 'shop-web', package: 'shop-web', version: '2.0.1', port: 8080 }, { name: 'shop-admin', package: 'shop-admin', version: '2.0.1', port: 8081 }],
    },
    { ...group, role: 'database', name: 'db-orders', engine: 'postgresql', engineVersion: '9.6', port: 5433, dataDir: '/srv/pg/orders', hosts: [{ name: 'db-orders-01', ip: '10.9.4.10' }] },
    { ...group, role: 'database', name: 'db-search', engine: 'mysql', engineVersion: '5.7', port: 3306, dataDir: '/var/lib/mysql', hosts: [{ name: 'db-search-01', ip: '10.9.4.20' }] },
  ]);
}

/** AWS, one master (quorum 1), agents without racks, master names without numbers. */
export function singleMasterAws(): Environment {
  return environment('single-master', awsSite, [
    { ...group, role: 'mesos-master', name: 'control', hosts: [{ name: 'control', ip: '10.9.1.5' }], mesosVersion: '1.4.3', zookeeperVersion: '3.4.14', marathonVersion: '1.6.549' },
    { ...group, role: 'mesos-agent', name: 'worker', hosts: 2, firstIp: '10.9.2.1', mesosVersion: '1.4.3', dockerVersion: '18.06.3' },
  ]);
}
