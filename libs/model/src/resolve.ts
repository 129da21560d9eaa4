import type { Environment } from './environment';
import type { HostGroup, MesosAgentGroup, Role } from './hosts';
import { formatIp, parseIp } from './ipv4';

/** A VM of the environment with everything derived from its group filled in. */
export interface Host {
  name: string;
  /** Undefined only when the definition gives no way to find it (validation reports that). */
  ip: string | undefined;
  role: Role;
  group: HostGroup;
  size: string;
  subnet: string;
}

/** Names of the hosts of a group, in the order the definition gives them. */
export function hostNames(group: HostGroup): string[] {
  if (typeof group.hosts === 'number') {
    return Array.from({ length: group.hosts }, (_, i) => `${group.name}-${String(i + 1).padStart(2, '0')}`);
  }
  return group.hosts.map((h) => (typeof h === 'string' ? h : h.name));
}

/** The number a host name ends with (`agent-07` → 7), the basis of its stable address. */
export function hostOrdinal(name: string): number | undefined {
  const m = /(\d+)$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

function allocate(group: HostGroup, name: string, given: string | undefined): string | undefined {
  if (given !== undefined) return given;
  const first = group.firstIp === undefined ? undefined : parseIp(group.firstIp);
  const ordinal = hostOrdinal(name);
  if (first === undefined || ordinal === undefined || ordinal < 1) return undefined;
  return formatIp(first + ordinal - 1);
}

export function groupHosts(group: HostGroup): Host[] {
  const specs = typeof group.hosts === 'number' ? hostNames(group) : group.hosts;
  return specs.map((spec) => {
    const name = typeof spec === 'string' ? spec : spec.name;
    const ip = typeof spec === 'string' ? undefined : spec.ip;
    return { name, ip: allocate(group, name, ip), role: group.role, group, size: group.size, subnet: group.subnet };
  });
}

/** Every VM of the environment, sorted by name so output never depends on definition order. */
export function hostsOf(env: Environment): Host[] {
  return env.hostGroups.flatMap(groupHosts).sort((a, b) => compare(a.name, b.name));
}

export function hostsWithRole(env: Environment, role: Role): Host[] {
  return hostsOf(env).filter((h) => h.role === role);
}

/** The rack of a Mesos agent: its own entry in `racks`, else the group's `rack`. */
export function agentRack(group: MesosAgentGroup, host: string): string | undefined {
  return group.racks?.[host] ?? group.rack;
}

/** Locale-independent string order (never `localeCompare`: output must not depend on LANG). */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortedBy<T>(items: readonly T[], key: (t: T) => string): T[] {
  return [...items].sort((a, b) => compare(key(a), key(b)));
}
