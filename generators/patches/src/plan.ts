// The patch plans of the hosts that are patched in place: every VM group whose patching is
// `patch-in-place` (databases by default) and every Hadoop cluster (bare metal, never recreated).
// A plan pins the stemcell's patch packages, says whether a reboot is needed, and orders the
// hosts one per step; apply runs it over ssh. The format is the shared contract of the common
// brief: rendered/<env>/patches/<group>.json.
import {
  compare, forRole, groupHosts, HADOOP_SERVICE_PORT, patchLevel, patchMethodOf, patchNeedsReboot, sortedBy,
  type Environment, type HadoopCluster, type HadoopHost, type HadoopRole, type HostGroup, type PerRole,
} from '@infra/model';
import type { PatchPlan } from '@infra/render';

export type { PatchPlan, PatchStep } from '@infra/render';

/** Every patch package, by name (validation refuses one name pinned to two versions). */
function packagesOf(env: Environment): { name: string; version: string }[] {
  const byName = new Map<string, string>();
  for (const patch of sortedBy(env.stemcell.patches, (p) => p.id)) {
    for (const pkg of patch.packages) if (!byName.has(pkg.name)) byName.set(pkg.name, pkg.version);
  }
  return [...byName].sort(([a], [b]) => compare(a, b)).map(([name, version]) => ({ name, version }));
}

/**
 * The port that shows a patched VM's role is serving again, what the next step waits for: every
 * role says, so a group of any role can be patched in place.
 */
const ROLE_HEALTH_PORT: PerRole<number> = {
  database: (group) => group.port,
  'mesos-master': () => 5050,
  'mesos-agent': () => 5051,
  'app-server': (group) => sortedBy(group.apps, (a) => a.name)[0]?.port ?? 22,
};

function vmPlan(env: Environment, group: HostGroup, reboot: boolean): PatchPlan {
  const port = forRole(ROLE_HEALTH_PORT, group);
  return {
    group: group.name,
    source: 'vm',
    patchLevel: patchLevel(env.stemcell),
    packages: packagesOf(env),
    reboot,
    steps: groupHosts(group).sort((a, b) => compare(a.name, b.name))
      .map((h) => ({ host: h.name, address: h.ip ?? '', reboot, health: { kind: 'tcp', port } })),
  };
}

/**
 * The order a Hadoop cluster is patched in: workers first (each one's loss is absorbed by
 * replication), then the HBase masters, then the ZooKeeper members, then the NameNodes last,
 * one at a time so that a quorum and an active NameNode always remain. Within a rank, by name.
 */
const RANK: readonly HadoopRole[] = ['namenode', 'zookeeper', 'hmaster', 'regionserver', 'datanode'];
function rank(host: HadoopHost): number {
  return Math.min(...host.roles.map((r) => RANK.indexOf(r)));
}

function hadoopPlan(env: Environment, cluster: HadoopCluster, reboot: boolean): PatchPlan {
  const hosts = [...cluster.hosts].sort((a, b) => rank(b) - rank(a) || compare(a.name, b.name));
  return {
    group: cluster.name,
    source: 'hadoop',
    patchLevel: patchLevel(env.stemcell),
    packages: packagesOf(env),
    reboot,
    steps: hosts.map((h) => ({
      host: h.name, address: h.ip, reboot,
      // The most critical role's port: the service whose return the next step waits for.
      health: { kind: 'tcp', port: HADOOP_SERVICE_PORT[RANK[rank(h)]] },
    })),
  };
}

/** The plans of an environment, by group name. */
export function patchPlans(env: Environment): PatchPlan[] {
  const reboot = env.stemcell.patches.some(patchNeedsReboot);
  const plans = [
    ...env.hostGroups.filter((g) => patchMethodOf(g) === 'patch-in-place').map((g) => vmPlan(env, g, reboot)),
    ...env.hadoop.map((c) => hadoopPlan(env, c, reboot)),
  ];
  return sortedBy(plans, (p) => p.group);
}
