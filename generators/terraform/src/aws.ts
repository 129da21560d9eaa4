// The AWS disaster-recovery root: VPC and subnets, one security group per host group (and per
// Hadoop role) opening only what the role listens on to the VPC, and one aws_instance per host,
// addressed by hostname, with the stemcell AMI and the group's gzipped user-data.
import {
  compare, dataDiskOf, groupHosts, patchLevel, patchMethodOf, sortedBy, stemcellImages,
  type AwsSite, type Environment, type HadoopCluster, type HadoopHost, type HadoopRole, type Host, type HostGroup,
} from '@infra/model';
import { AWS_PROVIDER, terraformBlock } from './backend';
import { groupPorts, hadoopRolePorts, type ListenPort } from './ports';
import { FileMap } from '@infra/render';
import { literal, ref, tfFile } from './tf-json';
import { encodeUserData, groupUserData, type EncodedUserData, type UserDataSource } from './user-data';
import { hadoopUserDataLocal, type HadoopUserDataSource } from './hadoop-user-data';
import { userDataLocal } from './vsphere';
import { dataMark, ignoredOnPatchInPlace } from './lifecycle';

const VPC = 'aws_vpc.main';

export function awsFiles(env: Environment, site: AwsSite, userDataOf: UserDataSource, hadoopUserDataOf: HadoopUserDataSource): FileMap {
  const userData = groupUserData(env, userDataOf);
  const groups = sortedBy(env.hostGroups, (g) => g.name);
  const clusters = sortedBy(env.hadoop, (c) => c.name);
  const files = new FileMap([
    ['terraform/main.tf.json', tfFile(mainDocument(env, site))],
    ['terraform/network.tf.json', tfFile(networkDocument(env, site))],
    ['terraform/security-groups.tf.json', tfFile(securityGroupsDocument(env, site, groups, clusters))],
  ]);
  for (const group of groups) {
    files.set(`terraform/vm-${group.name}.tf.json`, tfFile(groupDocument(env, site, group, userData.get(group.name)!)));
  }
  for (const cluster of clusters) {
    files.set(`terraform/hadoop-${cluster.name}.tf.json`, tfFile(hadoopDocument(env, site, cluster, encodeUserData(hadoopUserDataOf(env, cluster)))));
  }
  return files;
}

function mainDocument(env: Environment, site: AwsSite): Record<string, unknown> {
  return {
    terraform: terraformBlock(site.state, AWS_PROVIDER),
    // Credentials come from the standard AWS chain (environment, profile, instance role) at
    // apply time: nothing secret is configured here.
    provider: {
      aws: { region: literal(site.region), default_tags: { tags: { environment: literal(env.name), 'managed-by': 'infra' } } },
    },
  };
}

function networkDocument(env: Environment, site: AwsSite): Record<string, unknown> {
  const subnets: Record<string, unknown> = {};
  for (const s of sortedBy(env.network.subnets, (s) => s.name)) {
    subnets[s.name] = {
      vpc_id: ref(`${VPC}.id`),
      cidr_block: s.cidr,
      availability_zone: literal(s.zone!),
      map_public_ip_on_launch: false,
      tags: { Name: literal(`${env.name}-${s.name}`) },
    };
  }
  return {
    resource: {
      aws_vpc: { main: { cidr_block: site.vpcCidr, enable_dns_support: true, enable_dns_hostnames: true, tags: { Name: literal(env.name) } } },
      aws_subnet: subnets,
      // Hosts resolve each other under the definition's domain, as they do on vSphere.
      aws_vpc_dhcp_options: {
        main: { domain_name: literal(env.network.domain), domain_name_servers: env.network.dnsServers, tags: { Name: literal(env.name) } },
      },
      aws_vpc_dhcp_options_association: { main: { vpc_id: ref(`${VPC}.id`), dhcp_options_id: ref('aws_vpc_dhcp_options.main.id') } },
    },
  };
}

/** Security group of a host group: named after the group. */
export function groupSecurityGroup(group: HostGroup): string {
  return group.name;
}

/** Security group of one Hadoop role of one cluster. */
export function hadoopSecurityGroup(cluster: HadoopCluster, role: HadoopRole): string {
  return `hadoop-${cluster.name}-${role}`;
}

function securityGroupsDocument(env: Environment, site: AwsSite, groups: HostGroup[], clusters: HadoopCluster[]): Record<string, unknown> {
  const sgs: Record<string, unknown> = {};
  const ingress: Record<string, unknown> = {};
  const egress: Record<string, unknown> = {};
  const add = (name: string, description: string, ports: ListenPort[]) => {
    sgs[name] = { name: literal(`${env.name}-${name}`), description: literal(description), vpc_id: ref(`${VPC}.id`), tags: { Name: literal(`${env.name}-${name}`) } };
    // Every source is the VPC itself. Nothing is open to 0.0.0.0/0: the definition exposes apps
    // only through a load balancer it does not describe, and that is where 80/443 would open.
    for (const p of ports) {
      ingress[`${name}_${p.name}`] = {
        security_group_id: ref(`aws_security_group.${name}.id`),
        description: literal(`${p.name} from the VPC`),
        cidr_ipv4: site.vpcCidr,
        ip_protocol: p.protocol,
        from_port: p.from,
        to_port: p.to,
      };
    }
    // Terraform removes AWS's default allow-all egress; hosts still reach each other.
    egress[`${name}_vpc`] = {
      security_group_id: ref(`aws_security_group.${name}.id`),
      description: 'Everything within the VPC',
      cidr_ipv4: site.vpcCidr,
      ip_protocol: '-1',
    };
  };
  for (const g of groups) add(groupSecurityGroup(g), `Role ${g.role}, group ${g.name}`, groupPorts(g));
  for (const c of clusters) {
    for (const role of clusterRoles(c)) add(hadoopSecurityGroup(c, role), `Hadoop ${role}, cluster ${c.name}`, hadoopRolePorts(role));
  }
  return {
    resource: {
      aws_security_group: sgs,
      aws_vpc_security_group_ingress_rule: ingress,
      aws_vpc_security_group_egress_rule: egress,
    },
  };
}

function clusterRoles(cluster: HadoopCluster): HadoopRole[] {
  return [...new Set(cluster.hosts.flatMap((h) => h.roles))].sort(compare);
}

function groupDocument(env: Environment, site: AwsSite, group: HostGroup, userData: EncodedUserData): Record<string, unknown> {
  const instances: Record<string, unknown> = {};
  const volumes: Record<string, unknown> = {};
  const attachments: Record<string, unknown> = {};
  const data = dataDiskOf(group);
  for (const host of groupHosts(group).sort((a, b) => compare(a.name, b.name))) {
    instances[host.name] = vmInstance(env, site, host, userData);
    if (data) {
      volumes[host.name] = dataVolume(env, host.name, host.role, zoneOf(env, host.subnet), data.sizeGiB);
      attachments[host.name] = volumeAttachment(host.name);
    }
  }
  return {
    locals: { [userDataLocal(group)]: userData.base64 },
    resource: {
      aws_instance: instances,
      ...(data ? { aws_ebs_volume: volumes, aws_volume_attachment: attachments } : {}),
    },
  };
}

function zoneOf(env: Environment, subnet: string): string {
  return env.network.subnets.find((s) => s.name === subnet)!.zone!;
}

/** The device name the data volume is attached as (the guest sees /dev/xvdf, or /dev/nvme1n1 on Nitro). */
export const DATA_DEVICE = '/dev/xvdf';

/**
 * A host's data volume: an EBS volume of its own, in its subnet's zone, never destroyed by
 * Terraform; if it is destroyed all the same (by hand, with the override), a final snapshot is kept.
 * Growing `size` grows it in place.
 */
function dataVolume(env: Environment, host: string, role: string, zone: string, sizeGiB: number): Record<string, unknown> {
  return {
    availability_zone: literal(zone),
    size: sizeGiB,
    type: 'gp3',
    encrypted: true,
    final_snapshot: true,
    tags: { Name: literal(`${host}-data`), host: literal(host), role, data: 'own-disk' },
    lifecycle: { prevent_destroy: true },
  };
}

/**
 * Attaches a host's data volume to its instance. A replaced instance gets a new attachment: the
 * instance is stopped first so the filesystem is clean when the volume moves.
 */
function volumeAttachment(host: string): Record<string, unknown> {
  return {
    device_name: DATA_DEVICE,
    volume_id: ref(`aws_ebs_volume.${host}.id`),
    instance_id: ref(`aws_instance.${host}.id`),
    stop_instance_before_detaching: true,
  };
}

function vmInstance(env: Environment, site: AwsSite, host: Host, userData: EncodedUserData): Record<string, unknown> {
  const inPlace = patchMethodOf(host.group) === 'patch-in-place';
  return {
    ...instanceBase(env, site, host.size, host.subnet, host.ip!),
    vpc_security_group_ids: [ref(`aws_security_group.${groupSecurityGroup(host.group)}.id`)],
    user_data_base64: ref(`local.${userDataLocal(host.group)}`),
    // replace: cloud-init applies user-data on first boot only, so a new mutation needs a new
    // instance. patch-in-place: the instance is kept through a new AMI or user-data (the patch
    // plan brings it up to level); a new address still recreates it, its data volume stays.
    user_data_replace_on_change: !inPlace,
    ...(inPlace ? { lifecycle: { ignore_changes: ignoredOnPatchInPlace('aws_instance') } } : {}),
    tags: {
      Name: literal(host.name),
      role: host.role,
      group: literal(host.group.name),
      data: dataMark(host.group),
      patching: patchMethodOf(host.group),
      'patch-level': literal(patchLevel(env.stemcell)),
      stemcell: literal(`${env.stemcell.name} ${env.stemcell.version}`),
      'user-data-sha256': userData.sha256,
    },
  };
}

function hadoopDocument(env: Environment, site: AwsSite, cluster: HadoopCluster, userData: EncodedUserData): Record<string, unknown> {
  const instances: Record<string, unknown> = {};
  const volumes: Record<string, unknown> = {};
  const attachments: Record<string, unknown> = {};
  // Data on a volume of its own, unless declared rebuildable (then the instance store holds it).
  const volume = cluster.data && !cluster.data.rebuildable ? cluster.data : undefined;
  for (const host of sortedBy(cluster.hosts, (h) => h.name)) {
    instances[host.name] = hadoopInstance(env, site, cluster, host, userData);
    if (volume) {
      volumes[host.name] = dataVolume(env, host.name, 'hadoop', zoneOf(env, cluster.subnet), volume.sizeGiB);
      attachments[host.name] = volumeAttachment(host.name);
    }
  }
  return {
    locals: { [hadoopUserDataLocal(cluster)]: userData.base64 },
    resource: { aws_instance: instances, ...(volume ? { aws_ebs_volume: volumes, aws_volume_attachment: attachments } : {}) },
  };
}

/**
 * A stand-in for a bare-metal Hadoop server: its user-data names it and mounts its data; the
 * host files (generators/hadoop) configure it, as on bare metal. Patched in place like the bare
 * metal it stands for: a new AMI or user-data does not replace it.
 */
function hadoopInstance(env: Environment, site: AwsSite, cluster: HadoopCluster, host: HadoopHost, userData: EncodedUserData): Record<string, unknown> {
  const roles = [...host.roles].sort(compare);
  const data = !cluster.data ? 'on-vm' : cluster.data.rebuildable ? 'rebuildable' : 'own-disk';
  return {
    ...instanceBase(env, site, cluster.size, cluster.subnet, host.ip),
    vpc_security_group_ids: roles.map((r) => ref(`aws_security_group.${hadoopSecurityGroup(cluster, r)}.id`)),
    user_data_base64: ref(`local.${hadoopUserDataLocal(cluster)}`),
    user_data_replace_on_change: false,
    lifecycle: { ignore_changes: ignoredOnPatchInPlace('aws_instance') },
    tags: {
      Name: literal(host.name),
      role: 'hadoop',
      'hadoop-cluster': literal(cluster.name),
      // Space-separated: commas are outside the character set AWS promises for tags in every service.
      'hadoop-roles': roles.join(' '),
      rack: literal(host.rack),
      data,
      patching: 'patch-in-place',
      'patch-level': literal(patchLevel(env.stemcell)),
      stemcell: literal(`${env.stemcell.name} ${env.stemcell.version}`),
      'user-data-sha256': userData.sha256,
    },
  };
}

function instanceBase(env: Environment, site: AwsSite, size: string, subnet: string, ip: string): Record<string, unknown> {
  return {
    ami: literal(stemcellImages(env.stemcell)!.aws![site.region]),
    instance_type: literal(site.instanceTypes[size]),
    subnet_id: ref(`aws_subnet.${subnet}.id`),
    // Every host has an address in the definition; keeping it makes DR addresses predictable
    // and lets databases keep the fixed addresses their clients are configured with.
    private_ip: ip,
    root_block_device: { volume_size: env.sizes[size].diskGiB, volume_type: 'gp3', encrypted: true, delete_on_termination: true },
    // cloud-init 0.7.5 reads instance metadata with IMDSv1 only; requiring tokens (IMDSv2)
    // would leave the stemcell without its user-data.
    metadata_options: { http_endpoint: 'enabled', http_tokens: 'optional' },
  };
}
