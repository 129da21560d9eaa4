import { deriveDisasterRecovery, type DisasterRecoveryPlan } from '@infra/model';
import lenexa from '../lenexa';

/**
 * Disaster recovery: a skeleton of production in AWS, derived from lenexa so that it cannot fall
 * behind. Only what differs is written here: site, addresses, sizes, and what DR leaves out.
 */
export const plan: DisasterRecoveryPlan = {
  name: 'aws-dr',
  description: 'Disaster-recovery copy of lenexa in AWS us-east-2',
  site: {
    kind: 'aws',
    region: 'us-east-2',
    zones: ['us-east-2a', 'us-east-2b', 'us-east-2c'],
    // On AWS a rack is an availability zone: each production rack's agents run in a zone of their own.
    racks: { 'rack-a': 'us-east-2a', 'rack-b': 'us-east-2b', 'rack-c': 'us-east-2c' },
    vpcCidr: '10.120.0.0/16',
    instanceTypes: { small: 't3.medium', medium: 'm5.xlarge', large: 'm5.2xlarge', xlarge: 'm5.4xlarge', hadoop: 'i3en.6xlarge' },
    state: { kind: 's3', bucket: 'lenexa-dr-terraform-state', key: 'aws-dr/terraform.tfstate', region: 'us-east-2', lockTable: 'terraform-locks' },
  },
  network: {
    domain: 'dr.lenexa.example.net',
    dnsServers: ['10.120.0.2'],
    subnets: [
      { name: 'control', cidr: '10.120.1.0/24', gateway: '10.120.1.1', zone: 'us-east-2a' },
      // One compute subnet per zone: agents keep their offset inside the subnet of their rack's zone.
      { name: 'compute-a', cidr: '10.120.10.0/24', gateway: '10.120.10.1', zone: 'us-east-2a' },
      { name: 'compute-b', cidr: '10.120.11.0/24', gateway: '10.120.11.1', zone: 'us-east-2b' },
      { name: 'compute-c', cidr: '10.120.12.0/24', gateway: '10.120.12.1', zone: 'us-east-2c' },
      { name: 'apps', cidr: '10.120.4.0/24', gateway: '10.120.4.1', zone: 'us-east-2a' },
      { name: 'data', cidr: '10.120.5.0/24', gateway: '10.120.5.1', zone: 'us-east-2b' },
      { name: 'hadoop', cidr: '10.120.8.0/24', gateway: '10.120.8.1', zone: 'us-east-2a' },
    ],
  },
  // The Hadoop hosts' data lives on volumes of their own here: their root disk is only the system.
  sizes: { hadoop: { cpus: 24, memoryMiB: 131072, diskGiB: 100 } },
  subnets: { control: 'control', apps: 'apps', data: 'data', hadoop: 'hadoop' },
  zoneSubnets: { compute: { 'us-east-2a': 'compute-a', 'us-east-2b': 'compute-b', 'us-east-2c': 'compute-c' } },
  exclude: [
    { kind: 'hadoop-host', name: 'hdp-dn-06', reason: 'being decommissioned in production; its blocks already live elsewhere' },
  ],
};

export default deriveDisasterRecovery(lenexa, plan);
