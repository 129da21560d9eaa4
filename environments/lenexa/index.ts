import { defineEnvironment } from '@infra/model';
import { appCatalogue, PRODUCTION, sidecar, sizes, stemcell } from '../common';

/** Production: the Lenexa datacenter on vSphere, plus its bare-metal Hadoop/HBase cluster. */
export default defineEnvironment({
  name: 'lenexa',
  description: 'Production in the Lenexa datacenter (vSphere)',
  site: {
    kind: 'vsphere',
    vcenter: 'vcenter.lenexa.example.net',
    datacenter: 'lenexa-dc1',
    cluster: 'compute-01',
    datastore: 'vsan-lenexa-01',
    folder: 'infra/lenexa',
    // The ESXi hosts of compute-01 by physical rack (power and top-of-rack switch): DRS keeps
    // each rack's VMs on its own hosts, so losing a rack loses exactly what the capacity check plans for.
    racks: {
      'rack-a': ['esx-a-01.lenexa.example.net', 'esx-a-02.lenexa.example.net', 'esx-a-03.lenexa.example.net'],
      'rack-b': ['esx-b-01.lenexa.example.net', 'esx-b-02.lenexa.example.net', 'esx-b-03.lenexa.example.net'],
      'rack-c': ['esx-c-01.lenexa.example.net', 'esx-c-02.lenexa.example.net', 'esx-c-03.lenexa.example.net'],
    },
    state: { kind: 'consul', address: 'consul.lenexa.example.net:8500', path: 'terraform/lenexa' },
  },
  network: {
    domain: 'lenexa.example.net',
    dnsServers: ['10.20.0.2', '10.20.0.3'],
    subnets: [
      { name: 'control', cidr: '10.20.1.0/24', gateway: '10.20.1.1', portGroup: 'vlan-201-control' },
      { name: 'compute', cidr: '10.20.2.0/23', gateway: '10.20.2.1', portGroup: 'vlan-202-compute' },
      { name: 'apps', cidr: '10.20.4.0/24', gateway: '10.20.4.1', portGroup: 'vlan-204-apps' },
      { name: 'data', cidr: '10.20.5.0/24', gateway: '10.20.5.1', portGroup: 'vlan-205-data' },
      { name: 'hadoop', cidr: '10.20.8.0/24', gateway: '10.20.8.1', portGroup: 'vlan-208-hadoop' },
    ],
  },
  stemcell,
  sizes,
  hostGroups: [
    {
      role: 'mesos-master', name: 'mesos-master', size: 'medium', subnet: 'control', hosts: 3, firstIp: '10.20.1.11',
      // One master (and ZooKeeper member) per rack: a rack failure leaves a quorum.
      racks: { 'mesos-master-01': 'rack-a', 'mesos-master-02': 'rack-b', 'mesos-master-03': 'rack-c' },
      mesosVersion: '1.4.3', zookeeperVersion: '3.4.5+dfsg-1', marathonVersion: '1.6.549',
    },
    // One agent group per rack: a group's user-data names its rack, so adding an agent to a
    // rack changes that agent alone. Addresses come from the shared firstIp and the host number.
    ...(['a', 'b', 'c'] as const).map((rack, i) => ({
      role: 'mesos-agent' as const, name: `mesos-agent-${rack}`, rack: `rack-${rack}`, size: 'xlarge', subnet: 'compute', firstIp: '10.20.2.11',
      hosts: [1, 2, 3, 4].map((n) => `mesos-agent-${String(i * 4 + n).padStart(2, '0')}`),
      mesosVersion: '1.4.3', dockerVersion: '18.06.3~ce~3-0~ubuntu',
    })),
    {
      role: 'app-server', name: 'billing-app', size: 'large', subnet: 'apps', hosts: ['billing-app-01', 'billing-app-02'], firstIp: '10.20.4.21',
      apps: [{ name: 'billing-engine', package: 'billing-engine', version: '11.3.2', port: 8443 }],
      rollout: { batchSize: 1, healthCheck: { port: 8443, path: '/status' } },
    },
    {
      role: 'app-server', name: 'crm-app', size: 'medium', subnet: 'apps', hosts: 2, firstIp: '10.20.4.41',
      apps: [
        { name: 'crm-portal', package: 'crm-portal', version: '6.0.4', port: 8080 },
        { name: 'crm-batch', package: 'crm-batch', version: '6.0.4', port: 8081 },
      ],
      rollout: { batchSize: 1, healthCheck: { port: 8080, path: '/health' } },
    },
    {
      role: 'database', name: 'db-ledger', size: 'xlarge', subnet: 'data', engine: 'postgresql', engineVersion: '9.6', port: 5432,
      dataDir: '/var/lib/postgresql/9.6/main', data: { sizeGiB: 2000, mountPoint: '/var/lib/postgresql', filesystem: 'ext4' },
      hosts: [{ name: 'db-ledger-01', ip: '10.20.5.10' }],
    },
    {
      role: 'database', name: 'db-customer', size: 'large', subnet: 'data', engine: 'postgresql', engineVersion: '9.6', port: 5432,
      dataDir: '/var/lib/postgresql/9.6/main', data: { sizeGiB: 1000, mountPoint: '/var/lib/postgresql', filesystem: 'ext4' },
      hosts: [{ name: 'db-customer-01', ip: '10.20.5.20' }],
    },
    {
      role: 'database', name: 'db-catalog', size: 'large', subnet: 'data', engine: 'mysql', engineVersion: '5.7', port: 3306,
      dataDir: '/var/lib/mysql', data: { sizeGiB: 500, mountPoint: '/var/lib/mysql', filesystem: 'ext4' },
      hosts: [{ name: 'db-catalog-01', ip: '10.20.5.30' }],
    },
    {
      role: 'database', name: 'db-reporting', size: 'large', subnet: 'data', engine: 'postgresql', engineVersion: '9.6', port: 5432,
      dataDir: '/var/lib/postgresql/9.6/main', data: { sizeGiB: 1000, mountPoint: '/var/lib/postgresql', filesystem: 'ext4' },
      hosts: [{ name: 'db-reporting-01', ip: '10.20.5.40' }],
    },
  ],
  ...appCatalogue(PRODUCTION),
  sidecar,
  hadoop: [
    {
      name: 'hbase-lenexa',
      subnet: 'hadoop',
      size: 'hadoop',
      // HDFS and ZooKeeper data: the servers' own disks here; a volume of its own per host in DR.
      data: { sizeGiB: 4000, mountPoint: '/data', filesystem: 'ext4' },
      hosts: [
        { name: 'hdp-nn-01', ip: '10.20.8.11', rack: '/lenexa/rack-h1', roles: ['namenode', 'zookeeper'], state: 'active' },
        { name: 'hdp-nn-02', ip: '10.20.8.12', rack: '/lenexa/rack-h2', roles: ['namenode', 'hmaster', 'zookeeper'], state: 'active' },
        { name: 'hdp-hm-01', ip: '10.20.8.13', rack: '/lenexa/rack-h1', roles: ['hmaster', 'zookeeper'], state: 'active' },
        { name: 'hdp-dn-01', ip: '10.20.8.21', rack: '/lenexa/rack-h1', roles: ['datanode', 'regionserver'], state: 'active' },
        { name: 'hdp-dn-02', ip: '10.20.8.22', rack: '/lenexa/rack-h1', roles: ['datanode', 'regionserver'], state: 'active' },
        { name: 'hdp-dn-03', ip: '10.20.8.23', rack: '/lenexa/rack-h1', roles: ['datanode', 'regionserver'], state: 'active' },
        { name: 'hdp-dn-04', ip: '10.20.8.31', rack: '/lenexa/rack-h2', roles: ['datanode', 'regionserver'], state: 'active' },
        { name: 'hdp-dn-05', ip: '10.20.8.32', rack: '/lenexa/rack-h2', roles: ['datanode', 'regionserver'], state: 'active' },
        { name: 'hdp-dn-06', ip: '10.20.8.33', rack: '/lenexa/rack-h2', roles: ['datanode'], state: 'decommissioning' },
      ],
    },
  ],
});
