// Small environments and a stub user-data source for the Terraform tests. The stub keeps golden
// files independent of the cloud-init generator, which changes on its own schedule.
import { createHash } from 'node:crypto';
import { cloudInitGenerator } from '@infra/generator-cloud-init';
import { deriveDisasterRecovery, type Environment, type HostGroup } from '@infra/model';
import type { CloudInitOutput, RenderContext } from '@infra/render';
import type { UserDataSource } from '../user-data';
import type { HadoopUserDataSource } from '../hadoop-user-data';

export const stubUserData: UserDataSource = (env: Environment, group: HostGroup) =>
  `#cloud-config\n# stub user-data: ${env.name} ${group.name} (${group.role})\n`;

/** The Hadoop user-data stub, for the same reason. */
export const stubHadoopUserData: HadoopUserDataSource = (env, cluster) => `#cloud-config\n# stub user-data: ${env.name} hadoop ${cluster.name}\n`;

/** A stub whose text for one group can be changed, to show what a new mutation replaces. */
export function userDataWith(overrides: Record<string, string>): UserDataSource {
  return (env, group) => overrides[group.name] ?? stubUserData(env, group);
}

export function smallVsphere(): Environment {
  return {
    name: 'small',
    description: 'Small vSphere site for golden files',
    site: {
      kind: 'vsphere', vcenter: 'vcenter.small.example.net', datacenter: 'dc1', cluster: 'cluster-1', datastore: 'ds-1', folder: 'infra/small',
      state: { kind: 'consul', address: 'consul.small.example.net:8500', path: 'terraform/small' },
    },
    network: {
      domain: 'small.example.net',
      dnsServers: ['10.1.0.2'],
      subnets: [
        { name: 'control', cidr: '10.1.1.0/24', gateway: '10.1.1.1', portGroup: 'pg-control' },
        { name: 'data', cidr: '10.1.2.0/24', gateway: '10.1.2.1', portGroup: 'pg-data' },
        { name: 'hadoop', cidr: '10.1.8.0/24', gateway: '10.1.8.1', portGroup: 'pg-hadoop' },
      ],
    },
    stemcell: {
      name: 'trusty', version: '1.2', os: 'ubuntu-14.04', cloudInit: '0.7.5', transports: ['vmware-guestinfo', 'ec2-metadata'],
      images: { '1.2': { vsphere: { template: 'templates/trusty-1.2' }, aws: { 'us-east-2': 'ami-0123456789abcdef0' } } },
      patches: [],
    },
    sizes: { small: { cpus: 2, memoryMiB: 4096, diskGiB: 40 }, big: { cpus: 8, memoryMiB: 32768, diskGiB: 200 } },
    hostGroups: [
      { role: 'mesos-master', name: 'master', size: 'small', subnet: 'control', hosts: 1, firstIp: '10.1.1.10', mesosVersion: '1.4.3', zookeeperVersion: '3.4.5+dfsg-1', marathonVersion: '1.6.549' },
      { role: 'mesos-agent', name: 'agent', size: 'big', subnet: 'control', hosts: 2, firstIp: '10.1.1.20', mesosVersion: '1.4.3', dockerVersion: '18.06.3~ce~3-0~ubuntu' },
      { role: 'app-server', name: 'web', size: 'small', subnet: 'control', hosts: ['web-01'], firstIp: '10.1.1.40', apps: [{ name: 'portal', package: 'portal', version: '1.0', port: 8443 }] },
      { role: 'database', name: 'db', size: 'big', subnet: 'data', engine: 'postgresql', engineVersion: '9.6', port: 5432, dataDir: '/var/lib/postgresql/9.6/main', data: { sizeGiB: 100, mountPoint: '/var/lib/postgresql', filesystem: 'ext4' }, hosts: [{ name: 'db-01', ip: '10.1.2.10' }] },
    ],
    apps: [
      { id: '/shop/api', image: 'registry.example.net/shop/api:1.0.0', runtime: 'go', cpus: 1, mem: 256, disk: 0, instances: 2, ports: [{ name: 'http', containerPort: 8080 }] },
    ],
    sidecar: { version: '1.0.0', url: 'https://artifacts.example.net/infra-sidecar', cpus: 0.1, mem: 32, port: 9901, waitSeconds: 30 },
    hadoop: [
      {
        name: 'hbase', subnet: 'hadoop', size: 'big',
        // Rebuildable from production: the DR copy keeps it on the instance store, no volume.
        data: { sizeGiB: 500, mountPoint: '/data', filesystem: 'xfs', rebuildable: true },
        hosts: [
          { name: 'hdp-01', ip: '10.1.8.11', rack: '/r1', roles: ['namenode', 'zookeeper'], state: 'active' },
          { name: 'hdp-02', ip: '10.1.8.12', rack: '/r1', roles: ['datanode', 'regionserver'], state: 'active' },
        ],
      },
    ],
  };
}

/** Its AWS copy, derived the way aws-dr is derived from lenexa. */
export function smallAws(prod: Environment = smallVsphere()): Environment {
  return deriveDisasterRecovery(prod, {
    name: 'small-dr',
    description: 'Small AWS copy for golden files',
    site: {
      kind: 'aws', region: 'us-east-2', zones: ['us-east-2a', 'us-east-2b'], vpcCidr: '10.2.0.0/16',
      instanceTypes: { small: 't3.medium', big: 'm5.2xlarge' },
      state: { kind: 's3', bucket: 'small-state', key: 'small-dr/terraform.tfstate', region: 'us-east-2', lockTable: 'locks' },
    },
    network: {
      domain: 'dr.small.example.net',
      dnsServers: ['10.2.0.2'],
      subnets: [
        { name: 'control', cidr: '10.2.1.0/24', gateway: '10.2.1.1', zone: 'us-east-2a' },
        { name: 'data', cidr: '10.2.2.0/24', gateway: '10.2.2.1', zone: 'us-east-2b' },
        { name: 'hadoop', cidr: '10.2.8.0/24', gateway: '10.2.8.1', zone: 'us-east-2a' },
      ],
    },
    subnets: { control: 'control', data: 'data', hadoop: 'hadoop' },
    exclude: [{ kind: 'hadoop-host', name: 'hdp-02', reason: 'the DR copy restores HBase from snapshots onto one node' }],
  });
}

/** cloud-init's output as the registry passes it to terraform, from the sources a test chooses. */
export function cloudInitStub(userData: UserDataSource = stubUserData, hadoopUserData: HadoopUserDataSource = stubHadoopUserData): CloudInitOutput {
  return { userData, hadoopUserData, userDataHash: (env, group) => createHash('sha256').update(userData(env, group), 'utf8').digest('hex') };
}

/**
 * A render context that knows the given environments, with the real cloud-init kind's output as
 * the cli's registry passes it (the tests that compare the embedded user-data with cloud-init's).
 */
export function contextOf(...envs: Environment[]): RenderContext<'cloud-init'> {
  return stubContextOf(cloudInitGenerator.provides, ...envs);
}

/** The same with a chosen cloud-init output (e.g. cloudInitStub()). */
export function stubContextOf(cloudInit: CloudInitOutput, ...envs: Environment[]): RenderContext<'cloud-init'> {
  return { environment: (name: string) => envs.find((e) => e.name === name), needs: { 'cloud-init': cloudInit } };
}
