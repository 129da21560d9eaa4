// Derived views of a Hadoop cluster shared by the files, the checks and the summary, so that
// "who is a worker", "who is the active master" and "which ZooKeeper id" are decided once.
import type { Environment, HadoopCluster, HadoopHost, HadoopRole } from '@infra/model';
import { parseIp } from '@infra/model';

/** Roles in the order people read them (masters first); used wherever roles are listed. */
export const ROLE_ORDER: readonly HadoopRole[] = ['namenode', 'hmaster', 'zookeeper', 'datanode', 'regionserver'];

/**
 * Code-unit comparison, not localeCompare: the output must not depend on the locale of the
 * machine that renders it.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every host file names hosts by FQDN, so they resolve the same whatever the search domain. */
export function fqdn(env: Environment, host: HadoopHost): string {
  return `${host.name}.${env.network.domain}`;
}

/** Hosts sorted by name (then address, so even an invalid duplicate sorts the same way). */
export function sortedHosts(cluster: HadoopCluster): HadoopHost[] {
  return [...cluster.hosts].sort((a, b) => compareText(a.name, b.name) || compareText(a.ip, b.ip));
}

export function hasRole(host: HadoopHost, role: HadoopRole): boolean {
  return host.roles.includes(role);
}

export function withRole(cluster: HadoopCluster, role: HadoopRole): HadoopHost[] {
  return sortedHosts(cluster).filter((h) => hasRole(h, role));
}

/** Roles without duplicates, in ROLE_ORDER, whatever order the definition wrote them in. */
export function orderedRoles(host: HadoopHost): HadoopRole[] {
  return ROLE_ORDER.filter((r) => host.roles.includes(r));
}

/**
 * HBase has no "active master" setting: the master started by start-hbase.sh on the local
 * machine races the ones listed in backup-masters, and whoever registers first wins. We make
 * the choice explicit and stable: the hmaster whose name sorts first is the one start-hbase.sh
 * runs on; every other hmaster goes into backup-masters. Sorting by name (not definition order)
 * keeps it unchanged when the definition is reordered.
 */
export function hbaseMasters(cluster: HadoopCluster): { active: HadoopHost | undefined; backups: HadoopHost[] } {
  const [active, ...backups] = withRole(cluster, 'hmaster');
  return { active, backups };
}

/**
 * A ZooKeeper server's id (its `myid` and the N of `server.N`) is the last octet of its IPv4
 * address. Why this rule:
 * - it depends on the host alone, so adding or removing another member never renumbers anyone
 *   (ids from sorted order would: a renumbered member is a different member to ZooKeeper);
 * - aws-dr keeps every address's offset inside its (/24) subnet, so DR gets the same ids;
 * - within a /24 it is unique and falls in 1–254, the range ZooKeeper accepts (254 is the upper
 *   bound once TTL nodes are enabled).
 * A cluster in a larger subnet could give two members the same last octet; check() reports that.
 * The model is left unchanged (no explicit id field) because the committed JSON Schema is
 * generated from it and rejects unknown keys.
 */
export function zookeeperId(host: HadoopHost): number | undefined {
  const ip = parseIp(host.ip);
  return ip === undefined ? undefined : ip & 255;
}

export const ZOOKEEPER_ID_MIN = 1;
export const ZOOKEEPER_ID_MAX = 254;

/** Numeric IPv4 order (so .9 sorts before .10), falling back to text for an unparseable one. */
export function compareIp(a: string, b: string): number {
  const x = parseIp(a);
  const y = parseIp(b);
  if (x !== undefined && y !== undefined && x !== y) return x - y;
  return compareText(a, b);
}
