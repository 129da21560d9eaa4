// Problems only the Terraform generator can see, each located by stable names and ending with
// what to change. Validation has already checked addresses, sizes, subnets and images.
import {
  compare, forSite, groupHosts, hostNames, parseCidr, parseIp, siteFacts,
  type AwsSite, type Environment, type PerSiteKind, type Problem, type SiteKind,
} from '@infra/model';
import { isIdentifier } from './tf-json';
import { AWS_USER_DATA_LIMIT, encodeUserData, type UserDataSource } from './user-data';
import type { HadoopUserDataSource } from './hadoop-user-data';

type Report = (path: string, message: string) => void;

/** What each site kind checks beyond names and user-data: a new site kind says what it needs. */
const SITE_CHECKS: PerSiteKind<[Environment, Report], void> = {
  vsphere: () => {},
  aws: (site, env, report) => checkAws(env, site, report),
};

/** The most user-data a site accepts, gzipped (EC2: 16 KB before base64); none known for guestinfo. */
const USER_DATA_LIMIT: { readonly [K in SiteKind]: number | undefined } = {
  vsphere: undefined,
  aws: AWS_USER_DATA_LIMIT,
};

export function checkTerraform(env: Environment, userDataOf: UserDataSource, hadoopUserDataOf?: HadoopUserDataSource): Problem[] {
  const problems: Problem[] = [];
  const report: Report = (path, message) => problems.push({ env: env.name, path, message });
  checkNames(env, report);
  checkUserData(env, userDataOf, report);
  if (hadoopUserDataOf) checkHadoopUserData(env, hadoopUserDataOf, report);
  // A site kind validation refuses has no row: the other checks still report what they find.
  if (Object.prototype.hasOwnProperty.call(SITE_CHECKS, env.site.kind)) forSite(SITE_CHECKS, env.site, env, report);
  return problems.sort((a, b) => compare(a.path, b.path) || compare(a.message, b.message));
}

const NAME_RULE = 'start with a letter or "_" and use only letters, digits, "_" and "-"';

/** Names that become Terraform labels (resources, locals, file names) must be identifiers. */
function checkNames(env: Environment, report: Report): void {
  for (const group of env.hostGroups) {
    if (!isIdentifier(group.name)) report(`hostGroups/${group.name}/name`, `"${group.name}" names Terraform resources and files: ${NAME_RULE}`);
    for (const name of hostNames(group)) {
      if (!isIdentifier(name)) report(`hosts/${name}`, `"${name}" is the Terraform resource name of this VM: ${NAME_RULE}; rename the host`);
    }
  }
  for (const subnet of env.network.subnets) {
    if (!isIdentifier(subnet.name)) report(`network/subnets/${subnet.name}/name`, `"${subnet.name}" names a Terraform data source or resource: ${NAME_RULE}`);
  }
  if (!siteFacts(env.site).hadoopOnInstances) return; // bare metal: no resources.
  for (const cluster of env.hadoop) {
    for (const host of cluster.hosts) {
      if (!isIdentifier(host.name)) report(`hadoop/${cluster.name}/hosts/${host.name}`, `"${host.name}" is the Terraform resource name of its instance: ${NAME_RULE}; rename the host`);
    }
  }
}

/** Rendering user-data can fail (a strict template); say which group, not just that it failed. */
function checkUserData(env: Environment, userDataOf: UserDataSource, report: Report): void {
  for (const group of env.hostGroups) {
    let text: string;
    try {
      text = userDataOf(env, group);
    } catch (error) {
      report(`hostGroups/${group.name}`, `its user-data could not be rendered: ${(error as Error).message}`);
      continue;
    }
    const limit = USER_DATA_LIMIT[env.site.kind];
    if (limit === undefined) continue;
    const encoded = encodeUserData(text);
    if (encoded.gzipBytes > limit) {
      report(
        `hostGroups/${group.name}`,
        `user-data of role ${group.role} is ${encoded.gzipBytes} bytes gzipped (${encoded.rawBytes} bytes raw); ` +
          `EC2 accepts at most ${limit} bytes before base64: move large files out of the role's cloud-config (e.g. into a package)`,
      );
    }
  }
}

/** Where Hadoop hosts are instances, their user-data must render and fit EC2's limit too. */
function checkHadoopUserData(env: Environment, hadoopUserDataOf: HadoopUserDataSource, report: Report): void {
  if (!siteFacts(env.site).hadoopOnInstances) return;
  const limit = USER_DATA_LIMIT[env.site.kind] ?? Infinity;
  for (const cluster of env.hadoop) {
    let text: string;
    try {
      text = hadoopUserDataOf(env, cluster);
    } catch (error) {
      report(`hadoop/${cluster.name}`, `its user-data could not be rendered: ${(error as Error).message}`);
      continue;
    }
    const encoded = encodeUserData(text);
    if (encoded.gzipBytes > limit) {
      report(`hadoop/${cluster.name}`, `user-data of its hosts is ${encoded.gzipBytes} bytes gzipped; EC2 accepts at most ${limit} bytes before base64: list fewer hosts per cluster or move files into a package`);
    }
  }
}

function checkAws(env: Environment, site: AwsSite, report: Report): void {
  const known = Object.keys(site.instanceTypes).sort(compare).join(', ');
  const needType = (path: string, size: string) => {
    if (!site.instanceTypes[size]) {
      report(path, `size "${size}" has no EC2 instance type in site.instanceTypes (mapped: ${known}): add "${size}": "<instance type>" to the AWS site`);
    }
  };
  for (const group of env.hostGroups) needType(`hostGroups/${group.name}/size`, group.size);
  for (const cluster of env.hadoop) needType(`hadoop/${cluster.name}/size`, cluster.size);

  const zones = new Set(env.network.subnets.map((s) => s.zone));
  if (zones.size < 2) {
    report('network/subnets', `every subnet is in ${[...zones].join(', ')}: disaster recovery must survive the loss of one zone; put subnets in at least two of ${site.zones.join(', ')}`);
  }
  const vpc = parseCidr(site.vpcCidr);
  for (const s of env.network.subnets) {
    const cidr = parseCidr(s.cidr);
    if (vpc && cidr && (cidr.base < vpc.base || cidr.base + cidr.size > vpc.base + vpc.size)) {
      report(`network/subnets/${s.name}/cidr`, `${s.cidr} is not inside the VPC ${site.vpcCidr}: choose a subnet of site.vpcCidr`);
    }
  }
  checkReservedAddresses(env, report);
}

/**
 * AWS keeps the first four addresses and the last one of every subnet (network, router, DNS,
 * reserved, broadcast); an instance asking for one fails at apply time, so say it now.
 */
function checkReservedAddresses(env: Environment, report: Report): void {
  const subnets = new Map(env.network.subnets.map((s) => [s.name, parseCidr(s.cidr)]));
  const verify = (path: string, ip: string | undefined, subnetName: string) => {
    const cidr = subnets.get(subnetName);
    const addr = ip === undefined ? undefined : parseIp(ip);
    if (!cidr || addr === undefined) return;
    const offset = addr - cidr.base;
    if (offset >= 0 && offset < cidr.size && (offset < 4 || offset === cidr.size - 1)) {
      report(path, `${ip} is reserved by AWS in subnet ${subnetName} (the first four and the last address are): use another address`);
    }
  };
  for (const group of env.hostGroups) for (const h of groupHosts(group)) verify(`hosts/${h.name}/ip`, h.ip, group.subnet);
  for (const c of env.hadoop) for (const h of c.hosts) verify(`hadoop/${c.name}/hosts/${h.name}/ip`, h.ip, c.subnet);
}
