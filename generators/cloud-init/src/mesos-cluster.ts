// The Mesos control plane as every role sees it: the masters' ZooKeeper ensemble, its ids, the
// zk:// URLs and the replicated-log quorum. Derived from host names only, so that reordering the
// definition never changes them.
import { type Environment, type Host, hostOrdinal, hostsWithRole } from '@infra/model';

export interface EnsembleMember {
  host: string;
  /** Fully qualified name the other members and clients reach it by. */
  fqdn: string;
  address: string | undefined;
  /** ZooKeeper myid, 1..255. */
  id: number;
}

/** Every Mesos master of the environment, across master groups, sorted by host name. */
export function masters(env: Environment): readonly Host[] {
  return hostsWithRole(env, 'mesos-master');
}

export function fqdn(env: Environment, host: string): string {
  return `${host}.${env.network.domain}`;
}

/**
 * ZooKeeper ids. A master keeps the number its name ends with (mesos-master-02 → 2), so adding
 * or removing a master never renumbers the others (a renumbered member would rejoin with another
 * member's identity). When names do not give unique ids in 1..255, ids follow name order.
 */
export function ensemble(env: Environment): EnsembleMember[] {
  const hosts = masters(env);
  const ordinals = hosts.map((h) => hostOrdinal(h.name));
  const usable = ordinals.every((n) => n !== undefined && n >= 1 && n <= 255) && new Set(ordinals).size === ordinals.length;
  return hosts.map((h, i) => ({ host: h.name, fqdn: fqdn(env, h.name), address: h.ip, id: usable ? ordinals[i]! : i + 1 }));
}

/** `zk://m1:2181,m2:2181,m3:2181/<chroot>` listing every master, in name order. */
export function zkUrl(env: Environment, chroot: 'mesos' | 'marathon'): string {
  return `zk://${masters(env).map((h) => `${fqdn(env, h.name)}:2181`).join(',')}/${chroot}`;
}

/** A majority of the masters: the replicated log needs it to make progress. */
export function quorum(masterCount: number): number {
  return Math.floor(masterCount / 2) + 1;
}
