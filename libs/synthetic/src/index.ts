// Synthetic datacenters of any size, built through the public model API, for the benchmark and
// for tests that need more than the two real environments (kill-during-render, linearity).
import { defineEnvironment, dependsOnApp, dependsOnDatabase, formatIp, parseIp, secret, type Environment, type HadoopHost, type HostGroup, type MarathonApp } from '@infra/model';

export interface SyntheticOptions {
  name: string;
  /** Number of VMs; Marathon apps are vms/5 and Hadoop hosts vms/20. */
  vms: number;
  /** Changing it changes every VM's user-data (and so most files): used to make a big diff. */
  stemcellVersion?: string;
}

const ip = (base: string, offset: number) => formatIp(parseIp(base)! + offset);

export function syntheticEnvironment({ name, vms, stemcellVersion = '3468.21' }: SyntheticOptions): Environment {
  const masters = vms >= 100 ? 5 : 3;
  const databases = Math.max(3, Math.floor(vms / 50));
  const appServers = Math.max(1, Math.floor(vms / 10));
  const agents = Math.max(3, vms - masters - databases - appServers);
  const appCount = Math.max(1, Math.floor(vms / 5));
  const hadoopHosts = Math.max(6, Math.floor(vms / 20));
  const racks = Math.max(2, Math.ceil(agents / 40));

  const dbHosts = Array.from({ length: databases }, (_, i) => ({ name: `db-${String(i + 1).padStart(4, '0')}`, ip: ip('10.30.0.10', i) }));
  const hostGroups: HostGroup[] = [
    { role: 'mesos-master', name: 'master', size: 'medium', subnet: 'control', hosts: masters, firstIp: '10.1.0.11', mesosVersion: '1.4.3', zookeeperVersion: '3.4.5+dfsg-1', marathonVersion: '1.6.549' },
    // One group per rack, as operators are advised to define them (see environments/lenexa).
    ...Array.from({ length: racks }, (_, r): HostGroup => ({
      role: 'mesos-agent', name: `agent-r${r}`, rack: `rack-${r}`, size: 'xlarge', subnet: 'compute', firstIp: '10.2.0.11', mesosVersion: '1.4.3', dockerVersion: '18.06.3~ce~3-0~ubuntu',
      // Agent i is in rack i % racks: step through this rack's agents only (linear in agents).
      hosts: Array.from({ length: Math.ceil((agents - r) / racks) }, (_, k) => `agent-${String(r + k * racks + 1).padStart(2, '0')}`),
    })),
    { role: 'app-server', name: 'app', size: 'large', subnet: 'apps', hosts: appServers, firstIp: '10.20.0.11', apps: [{ name: 'legacy', package: 'legacy-app', version: '1.0.0', port: 8080 }] },
    { role: 'database', name: 'db', size: 'xlarge', subnet: 'data', engine: 'postgresql', engineVersion: '9.6', port: 5432, dataDir: '/var/lib/postgresql/9.6/main', data: { sizeGiB: 500, mountPoint: '/var/lib/postgresql', filesystem: 'ext4' }, hosts: dbHosts },
  ];
  const runtimes: MarathonApp['runtime'][] = ['jvm', 'go', 'node', 'python'];
  const apps: MarathonApp[] = Array.from({ length: appCount }, (_, i) => {
    const id = `/team-${i % 50}/svc-${i}`;
    const dependsOn = [dependsOnDatabase(dbHosts[i % databases].name)];
    if (i > 0) dependsOn.push(dependsOnApp(`/team-${(i - 1) % 50}/svc-${i - 1}`));
    return {
      id, image: `registry.example.net/team-${i % 50}/svc-${i}:1.${i % 7}.0`, runtime: runtimes[i % runtimes.length],
      cpus: 0.5, mem: 512, disk: 256, instances: 2, ports: [{ name: 'http', containerPort: 8080 }],
      healthCheck: { path: '/health', port: 'http' }, dependsOn,
      ...(runtimes[i % runtimes.length] === 'jvm' ? {} : { command: [`/usr/local/bin/svc-${i}`] }),
      secrets: { DB_PASSWORD: secret(`kv/team-${i % 50}/svc-${i}#db-password`) },
      ...(i % 10 === 0 ? { expose: { vhost: `svc-${i}.example.net`, port: 'http' } } : {}),
    };
  });
  const hadoop: HadoopHost[] = Array.from({ length: hadoopHosts }, (_, i) => ({
    name: `hdp-${String(i + 1).padStart(4, '0')}`, ip: ip('10.40.0.11', i), rack: `/dc/rack-${i % 4}`,
    roles: i < 2 ? ['namenode', 'zookeeper'] : i === 2 ? ['hmaster', 'zookeeper'] : ['datanode', 'regionserver'],
    state: 'active',
  }));
  return defineEnvironment({
    name,
    description: `Synthetic datacenter of ${vms} VMs`,
    site: { kind: 'vsphere', vcenter: 'vcenter.example.net', datacenter: 'dc1', cluster: 'cluster-1', datastore: 'ds-1', folder: 'synthetic', racks: Object.fromEntries(Array.from({ length: racks }, (_, r) => [`rack-${r}`, [`esx-${r}.example.net`]])), state: { kind: 'consul', address: 'consul.example.net:8500', path: `terraform/${name}` } },
    network: {
      domain: 'example.net', dnsServers: ['10.0.0.2'],
      subnets: [
        { name: 'control', cidr: '10.1.0.0/24', gateway: '10.1.0.1', portGroup: 'pg-control' },
        { name: 'compute', cidr: '10.2.0.0/16', gateway: '10.2.0.1', portGroup: 'pg-compute' },
        { name: 'apps', cidr: '10.20.0.0/16', gateway: '10.20.0.1', portGroup: 'pg-apps' },
        { name: 'data', cidr: '10.30.0.0/16', gateway: '10.30.0.1', portGroup: 'pg-data' },
        { name: 'hadoop', cidr: '10.40.0.0/16', gateway: '10.40.0.1', portGroup: 'pg-hadoop' },
      ],
    },
    stemcell: {
      name: 'ubuntu-trusty-hardened', version: stemcellVersion, os: 'ubuntu-14.04', cloudInit: '0.7.5', transports: ['vmware-guestinfo', 'ec2-metadata'],
      images: { [stemcellVersion]: { vsphere: { template: `templates/ubuntu-trusty-hardened-${stemcellVersion}` } } },
      patches: [{ id: 'USN-3970-1', packages: [{ name: 'openssl', version: '1.0.1f-1ubuntu2.27' }] }],
    },
    sizes: {
      medium: { cpus: 4, memoryMiB: 16384, diskGiB: 80 },
      large: { cpus: 8, memoryMiB: 32768, diskGiB: 200 },
      xlarge: { cpus: 16, memoryMiB: 65536, diskGiB: 500 },
      hadoop: { cpus: 24, memoryMiB: 131072, diskGiB: 4000 },
    },
    hostGroups,
    apps,
    sidecar: { version: '1.0.0', url: 'https://artifacts.example.net/infra-sidecar', cpus: 0.1, mem: 64, port: 9901, waitSeconds: 30 },
    hadoop: [{ name: 'hbase', subnet: 'hadoop', size: 'hadoop', hosts: hadoop }],
  });
}
