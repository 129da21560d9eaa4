// What the model itself knows about each role, as one table: adding a role to `HostGroup` makes
// the compiler ask for its row here (and in the tables of the kinds: ports in terraform, the
// template in cloud-init, the patch health check in patches…), so nothing a role must provide is
// forgotten silently. Site kinds have their table below for the same reason.
import type { DataDisk, HostGroup, Role } from './hosts';
import type { Site, SiteKind } from './site';
import type { PatchMethod } from './stemcell';

/** The group type of one role. */
export type GroupOf<R extends Role> = Extract<HostGroup, { role: R }>;
/** The site type of one site kind. */
export type SiteOf<K extends SiteKind> = Extract<Site, { kind: K }>;

/** One function per role, each given its own group type. */
export type PerRole<T> = { readonly [R in Role]: (group: GroupOf<R>) => T };
/** One function per site kind, each given its own site type. */
export type PerSiteKind<A extends unknown[], T> = { readonly [K in SiteKind]: (site: SiteOf<K>, ...args: A) => T };

/**
 * Calls the row of `group.role`. TypeScript cannot correlate a union with a mapped type's key,
 * so the one cast lives here and every table stays fully typed.
 */
export function forRole<T>(table: PerRole<T>, group: HostGroup): T {
  const row = table[group.role] as ((g: HostGroup) => T) | undefined;
  if (row === undefined) throw new Error(`no row for role "${group.role}": only a validated definition reaches this table`);
  return row(group);
}

/** Calls the row of `site.kind` (see forRole). */
export function forSite<A extends unknown[], T>(table: PerSiteKind<A, T>, site: Site, ...args: A): T {
  const row = table[site.kind] as ((s: Site, ...a: A) => T) | undefined;
  if (row === undefined) throw new Error(`no row for site kind "${site.kind}": only a validated definition reaches this table`);
  return row(site, ...args);
}

export interface RoleFacts<R extends Role> {
  /** How the group stays patched when it does not say: data-holding roles keep their VMs. */
  defaultPatching: PatchMethod;
  /** The rack the definition places a host in (Mesos attribute, DRS pin), if any. */
  rack(group: GroupOf<R>, host: string): string | undefined;
  /**
   * Whether its hosts are rolled by failure domain (a rack, else their subnet's zone): agents
   * never two domains at once, masters one at a time across domains.
   */
  failureDomains: boolean;
  /** The disk its data lives on, for a role that keeps data. */
  dataDisk(group: GroupOf<R>): DataDisk | undefined;
  /** Hosts replaced at a time when `update.maxInFlight` is not given. */
  defaultMaxInFlight(group: GroupOf<R>, hosts: number): number;
  /** A value `update.maxInFlight` cannot override (the masters' ZooKeeper quorum), if any. */
  fixedMaxInFlight?: number;
  /** How DR parity pairs its hosts: as databases (by engine, `database` exclusions) or as hosts. */
  parityKind: 'host' | 'database';
}

export const ROLE_FACTS: { readonly [R in Role]: RoleFacts<R> } = {
  'mesos-master': {
    defaultPatching: 'replace',
    rack: (group, host) => group.racks?.[host],
    failureDomains: true,
    dataDisk: () => undefined,
    defaultMaxInFlight: () => 1,
    fixedMaxInFlight: 1,
    parityKind: 'host',
  },
  'mesos-agent': {
    defaultPatching: 'replace',
    rack: (group, host) => group.racks?.[host] ?? group.rack,
    failureDomains: true,
    dataDisk: () => undefined,
    // A whole failure domain, the loss capacity is checked against; apply splits it by domain.
    defaultMaxInFlight: (_group, hosts) => Math.max(1, hosts),
    parityKind: 'host',
  },
  'app-server': {
    defaultPatching: 'replace',
    rack: () => undefined,
    failureDomains: false,
    dataDisk: () => undefined,
    defaultMaxInFlight: (group) => group.rollout?.batchSize ?? 1,
    parityKind: 'host',
  },
  database: {
    defaultPatching: 'patch-in-place',
    rack: () => undefined,
    failureDomains: false,
    dataDisk: (group) => group.data,
    defaultMaxInFlight: () => 1,
    parityKind: 'database',
  },
};

/**
 * The facts of a group's own role. Validation's other rules ask them of definitions it refuses
 * too (an unknown role, which the schema reports): those get neutral facts, so that every
 * problem is still reported at once instead of a crash.
 */
export function roleFacts(group: Pick<HostGroup, 'role'>): RoleFacts<Role> {
  return (ROLE_FACTS[group.role] as RoleFacts<Role> | undefined) ?? UNKNOWN_ROLE;
}

const UNKNOWN_ROLE: RoleFacts<Role> = {
  defaultPatching: 'replace',
  rack: () => undefined,
  failureDomains: false,
  dataDisk: () => undefined,
  defaultMaxInFlight: () => 1,
  parityKind: 'host',
};

export interface SiteFacts {
  /**
   * Whether the Hadoop hosts are instances of the stemcell (AWS: Terraform creates them and
   * cloud-init configures them) rather than bare metal configured by its own build (vSphere).
   */
  hadoopOnInstances: boolean;
}

export const SITE_FACTS: { readonly [K in SiteKind]: SiteFacts } = {
  vsphere: { hadoopOnInstances: false },
  aws: { hadoopOnInstances: true },
};

/** The facts of a site's kind; neutral ones for a kind validation refuses (see roleFacts). */
export function siteFacts(site: Pick<Site, 'kind'>): SiteFacts {
  return (SITE_FACTS[site.kind] as SiteFacts | undefined) ?? { hadoopOnInstances: false };
}
