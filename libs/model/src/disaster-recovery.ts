import type { Environment, ParityExclusion } from './environment';
import type { HostGroup } from './hosts';
import type { AwsSite } from './site';
import type { Network } from './network';
import type { Size } from './sizes';
import type { Stemcell } from './stemcell';
import { formatIp, inCidr, parseCidr, parseIp } from './ipv4';
import { hostNames, hostRack } from './resolve';

/** What differs between production and its disaster-recovery copy. Everything else is inherited. */
export interface DisasterRecoveryPlan {
  name: string;
  description: string;
  site: AwsSite;
  network: Network;
  /** Production subnet name → DR subnet name. Addresses keep their offset inside the subnet. */
  subnets: Record<string, string>;
  /**
   * Production subnet name → DR subnet per availability zone, for racked groups: a group whose
   * hosts share a rack goes to the subnet of its rack's zone (`site.racks`), so racks in DR are
   * zones. Groups without a rack, or whose rack maps to no zone here, use `subnets`.
   */
  zoneSubnets?: Record<string, Record<string, string>>;
  /** Sizes to use instead of production's (same names, so every group keeps its size name). */
  sizes?: Record<string, Size>;
  /** The stemcell as built for AWS (same version, its AMIs and transports). */
  stemcell?: Partial<Pick<Stemcell, 'images' | 'transports'>>;
  /** What DR deliberately does without, each with its reason. */
  exclude?: ParityExclusion[];
  /** Production's unless given: DR takes production's traffic and reads production's secrets. */
  publicDomains?: string[];
  secretPrefix?: string;
}

/**
 * Derives the AWS disaster-recovery environment from production: same roles, hosts, apps,
 * databases and Hadoop hosts, with addresses moved into the DR subnets and sizes replaced.
 * Anything production gains appears in DR on the next render unless excluded with a reason,
 * so DR cannot silently fall behind.
 */
export function deriveDisasterRecovery(prod: Environment, plan: DisasterRecoveryPlan): Environment {
  const excluded = (kind: ParityExclusion['kind'], name: string) =>
    (plan.exclude ?? []).some((e) => e.kind === kind && e.name === name);
  const subnetOf = (prodSubnet: string) => plan.subnets[prodSubnet] ?? prodSubnet;
  const moveIp = (ip: string, prodSubnet: string, drSubnet = subnetOf(prodSubnet)) => translateIp(ip, prod.network, prodSubnet, plan.network, drSubnet);
  /** The DR subnet of a group: its rack's zone's subnet when it has one rack that maps to a zone. */
  const groupSubnet = (group: HostGroup): string => {
    const racks = new Set(hostNames(group).map((h) => hostRack(group, h)));
    const rack = racks.size === 1 ? [...racks][0] : undefined;
    const zone = rack === undefined ? undefined : plan.site.racks?.[rack];
    return (zone !== undefined ? plan.zoneSubnets?.[group.subnet]?.[zone] : undefined) ?? subnetOf(group.subnet);
  };

  const hostGroups = prod.hostGroups.map((group): HostGroup => {
    const drSubnet = groupSubnet(group);
    const moveGroupIp = (ip: string) => moveIp(ip, group.subnet, drSubnet);
    const moved = {
      ...group,
      // A master group has one subnet, so in one zone: its per-rack placement cannot be kept in
      // DR, and a rack it cannot follow is left out rather than rendered as a label.
      ...(group.role === 'mesos-master' ? { racks: undefined } : {}),
      subnet: drSubnet,
      firstIp: group.firstIp === undefined ? undefined : moveGroupIp(group.firstIp),
    };
    if (group.role === 'database') {
      return {
        ...moved,
        role: 'database',
        hosts: group.hosts.filter((h) => !excluded('database', h.name)).map((h) => ({ ...h, ip: moveGroupIp(h.ip) })),
      } as HostGroup;
    }
    const kept = hostNames(group).filter((name) => !excluded('host', name));
    if (typeof group.hosts === 'number' && kept.length === group.hosts) return moved as HostGroup;
    const specs = typeof group.hosts === 'number' ? kept : group.hosts.filter((h) => kept.includes(typeof h === 'string' ? h : h.name));
    return {
      ...moved,
      hosts: specs.map((h) => (typeof h === 'string' || h.ip === undefined ? h : { ...h, ip: moveGroupIp(h.ip) })),
    } as HostGroup;
  });

  return {
    name: plan.name,
    description: plan.description,
    site: plan.site,
    network: plan.network,
    stemcell: { ...prod.stemcell, ...plan.stemcell },
    sizes: { ...prod.sizes, ...plan.sizes },
    hostGroups,
    apps: prod.apps.filter((a) => !excluded('app', a.id)),
    ...inherit('publicDomains', plan.publicDomains ?? prod.publicDomains),
    ...inherit('secretPrefix', plan.secretPrefix ?? prod.secretPrefix),
    sidecar: prod.sidecar,
    hadoop: prod.hadoop.map((c) => ({
      ...c,
      subnet: subnetOf(c.subnet),
      hosts: c.hosts.filter((h) => !excluded('hadoop-host', h.name)).map((h) => ({ ...h, ip: moveIp(h.ip, c.subnet) })),
    })),
    derivedFrom: { environment: prod.name, exclusions: plan.exclude ?? [] },
  };
}

/** A field set only when it has a value, so a derived environment has no `undefined` keys. */
function inherit<K extends 'publicDomains' | 'secretPrefix'>(key: K, value: Environment[K]): Partial<Pick<Environment, K>> {
  return value === undefined ? {} : ({ [key]: value } as Partial<Pick<Environment, K>>);
}

/**
 * Keeps an address's offset within its subnet when moving it to another subnet. Addresses that
 * cannot be moved are returned unchanged, so validation reports them against the DR subnet.
 */
function translateIp(ip: string, from: Network, fromSubnet: string, to: Network, toSubnet: string): string {
  const src = from.subnets.find((s) => s.name === fromSubnet);
  const dst = to.subnets.find((s) => s.name === toSubnet);
  const addr = parseIp(ip);
  const a = src && parseCidr(src.cidr);
  const b = dst && parseCidr(dst.cidr);
  if (addr === undefined || !a || !b || !inCidr(addr, a)) return ip;
  return formatIp(b.base + (addr - a.base));
}
