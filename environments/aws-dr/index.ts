import { deriveDisasterRecovery } from '@infra/model';
import lenexa from '../lenexa';

/**
 * Disaster recovery: a skeleton of production in AWS, derived from lenexa so that it cannot fall
 * behind. Only what differs is written here: site, addresses, sizes, and what DR leaves out.
 */
export default deriveDisasterRecovery(lenexa, {
  name: 'aws-dr',
  description: 'Disaster-recovery copy of lenexa in AWS us-east-2',
  site: {
    kind: 'aws',
    region: 'us-east-2',
    zones: ['us-east-2a', 'us-east-2b'],
    vpcCidr: '10.120.0.0/16',
    instanceTypes: { small: 't3.medium', medium: 'm5.xlarge', large: 'm5.2xlarge', xlarge: 'm5.4xlarge', hadoop: 'i3en.6xlarge' },
    state: { kind: 's3', bucket: 'lenexa-dr-terraform-state', key: 'aws-dr/terraform.tfstate', region: 'us-east-2', lockTable: 'terraform-locks' },
  },
  network: {
    domain: 'dr.lenexa.example.net',
    dnsServers: ['10.120.0.2'],
    subnets: [
      { name: 'control', cidr: '10.120.1.0/24', gateway: '10.120.1.1', zone: 'us-east-2a' },
      { name: 'compute', cidr: '10.120.2.0/23', gateway: '10.120.2.1', zone: 'us-east-2b' },
      { name: 'apps', cidr: '10.120.4.0/24', gateway: '10.120.4.1', zone: 'us-east-2a' },
      { name: 'data', cidr: '10.120.5.0/24', gateway: '10.120.5.1', zone: 'us-east-2b' },
      { name: 'hadoop', cidr: '10.120.8.0/24', gateway: '10.120.8.1', zone: 'us-east-2a' },
    ],
  },
  subnets: { control: 'control', compute: 'compute', apps: 'apps', data: 'data', hadoop: 'hadoop' },
  exclude: [
    { kind: 'hadoop-host', name: 'hdp-dn-06', reason: 'being decommissioned in production; its blocks already live elsewhere' },
  ],
});
