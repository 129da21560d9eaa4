// What the inventory shows of each Hadoop cluster: hosts with rack, roles and state, plus the
// decisions this generator makes (active HBase master, ZooKeeper ids) so they are visible.
import type { Environment, HadoopHost, HadoopRole } from '@infra/model';
import { compareText, fqdn, hasRole, hbaseMasters, orderedRoles, sortedHosts, zookeeperId } from './cluster';

export interface HadoopHostSummary {
  name: string;
  fqdn: string;
  ip: string;
  rack: string;
  /** Without duplicates, in a fixed order (namenode, hmaster, zookeeper, datanode, regionserver). */
  roles: HadoopRole[];
  state: HadoopHost['state'];
  /** Set on ZooKeeper members only. */
  zookeeperId?: number;
}

export interface HadoopClusterSummary {
  name: string;
  /** The hmaster start-hbase.sh runs on; the others are backup masters. */
  activeMaster?: string;
  hosts: HadoopHostSummary[];
}

/** Clusters by name, hosts by name: stable whatever order the definition uses. */
export function hadoopSummary(env: Environment): HadoopClusterSummary[] {
  return [...env.hadoop]
    .sort((a, b) => compareText(a.name, b.name))
    .map((cluster) => ({
      name: cluster.name,
      activeMaster: hbaseMasters(cluster).active?.name,
      hosts: sortedHosts(cluster).map((h) => ({
        name: h.name,
        fqdn: fqdn(env, h),
        ip: h.ip,
        rack: h.rack,
        roles: orderedRoles(h),
        state: h.state,
        zookeeperId: hasRole(h, 'zookeeper') ? zookeeperId(h) : undefined,
      })),
    }));
}
