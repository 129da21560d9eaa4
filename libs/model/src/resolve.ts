import type { Environment } from './environment';
import type { DataDisk, HostGroup, MesosAgentGroup, Role } from './hosts';
import type { PatchMethod, SecurityPatch, Stemcell, StemcellImages } from './stemcell';
import { formatIp, parseIp } from './ipv4';
import { perObject } from './memo';
import { ROLE_FACTS, roleFacts } from './roles';

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

/** The address of host `name` of a group whose host number 1 is at `first` (a parsed firstIp). */
function allocate(first: number | undefined, name: string, given: string | undefined): string | undefined {
  if (given !== undefined) return given;
  const ordinal = hostOrdinal(name);
  if (first === undefined || ordinal === undefined || ordinal < 1) return undefined;
  return formatIp(first + ordinal - 1);
}

/**
 * The hosts of a group, in definition order. Validation, every kind and the resolved environment
 * ask for them, several times per group: they are derived once per group object (definitions never
 * change once defined) and each caller gets its own array (some sort it in place) of shared,
 * frozen hosts.
 */
export function groupHosts(group: HostGroup): Host[] {
  return hostsOfGroup(group).slice();
}

const hostsOfGroup = perObject((group: HostGroup): readonly Host[] => {
  const specs = typeof group.hosts === 'number' ? hostNames(group) : group.hosts;
  // firstIp parsed once per group, not once per host.
  const first = group.firstIp === undefined ? undefined : parseIp(group.firstIp);
  return Object.freeze(specs.map((spec): Host => {
    const name = typeof spec === 'string' ? spec : spec.name;
    const ip = typeof spec === 'string' ? undefined : spec.ip;
    return Object.freeze({ name, ip: allocate(first, name, ip), role: group.role, group, size: group.size, subnet: group.subnet });
  }));
});

// Definitions are immutable once defined, and every generator asks for the hosts, often once per
// app or group: resolve them once per host-group list. The lists are frozen so no caller can
// sort or edit the shared copy in place.
const resolved = new WeakMap<readonly HostGroup[], { all: readonly Host[]; byRole: Map<Role, readonly Host[]> }>();

function resolveHosts(env: Environment) {
  let entry = resolved.get(env.hostGroups);
  if (!entry) {
    const all = Object.freeze(env.hostGroups.flatMap(groupHosts).sort((a, b) => compare(a.name, b.name)));
    entry = { all, byRole: new Map() };
    resolved.set(env.hostGroups, entry);
  }
  return entry;
}

/** Every VM of the environment, sorted by name so output never depends on definition order. */
export function hostsOf(env: Environment): readonly Host[] {
  return resolveHosts(env).all;
}

export function hostsWithRole(env: Environment, role: Role): readonly Host[] {
  const entry = resolveHosts(env);
  let hosts = entry.byRole.get(role);
  if (!hosts) entry.byRole.set(role, (hosts = Object.freeze(entry.all.filter((h) => h.role === role))));
  return hosts;
}

/** The rack of a Mesos agent: its own entry in `racks`, else the group's `rack`. */
export function agentRack(group: MesosAgentGroup, host: string): string | undefined {
  return ROLE_FACTS['mesos-agent'].rack(group, host);
}

/** The rack a host of any group is placed in, if its group places it (agents and masters). */
export function hostRack(group: HostGroup, host: string): string | undefined {
  return roleFacts(group).rack(group, host);
}

/** Locale-independent string order (never `localeCompare`: output must not depend on LANG). */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortedBy<T>(items: readonly T[], key: (t: T) => string): T[] {
  return [...items].sort((a, b) => compare(key(a), key(b)));
}

/** How a group stays patched: its own choice, else `patch-in-place` for databases, `replace` for the rest. */
export function patchMethodOf(group: HostGroup): PatchMethod {
  return group.patching ?? roleFacts(group).defaultPatching;
}

/** The data disk of a group whose role keeps data, if it declares one. */
export function dataDiskOf(group: HostGroup): DataDisk | undefined {
  return roleFacts(group).dataDisk(group);
}

/** The images of the stemcell's own version: undefined when that version was never built. */
export function stemcellImages(stemcell: Stemcell): StemcellImages | undefined {
  return Object.prototype.hasOwnProperty.call(stemcell.images, stemcell.version) ? stemcell.images[stemcell.version] : undefined;
}

/**
 * The patch level every server should be at: the stemcell version, then the ids of its patches,
 * sorted, joined by `+` (the format of the patch plan's `patchLevel`).
 */
export function patchLevel(stemcell: Stemcell): string {
  return [stemcell.version, ...stemcell.patches.map((p) => p.id).sort(compare)].join('+');
}

/** A patch needs a reboot when it says so; a kernel image always does. */
export function patchNeedsReboot(patch: SecurityPatch): boolean {
  return patch.reboot === true || patch.packages.some((p) => /^linux-image-/.test(p.name));
}
