import {
  agentRack, dataDiskOf, forSite, hostsOf, patchLevel, patchMethodOf, siteFacts, sortedBy,
  type Environment, type HostGroup, type PatchMethod, type PerSiteKind,
} from '@infra/model';
import type { CloudInitOutput } from '@infra/render';

export interface ServerRow {
  hostname: string;
  role: string;
  group: string;
  ip: string;
  size: string;
  cpus: number;
  memoryMiB: number;
  diskGiB: number;
  site: string;
  rack: string;
  stemcell: string;
  /** The level the definitions put the server at: `<stemcell version>+<patch ids>`. */
  patchLevel: string;
  /** How it reaches that level: recreated on it, or patched in place by the patch plan. */
  patching: PatchMethod;
  /** Where its data lives: `own-disk` (a kept data disk of N GiB), or `none`. */
  data: string;
  /** sha256 of the host group's cloud-init user-data: when it changes, a `replace` VM is replaced. */
  userData: string;
}

export interface HadoopRow {
  hostname: string;
  cluster: string;
  ip: string;
  rack: string;
  roles: string[];
  state: string;
  /** The stemcell it was installed from: `bare metal` where it is a physical server. */
  stemcell: string;
  patchLevel: string;
  /** Hadoop hosts are never recreated: always patched in place. */
  patching: PatchMethod;
}

export interface AppRow {
  id: string;
  runtime: string;
  sidecar: boolean;
  instances: number;
  cpus: number;
  mem: number;
  disk: number;
  dependsOn: string[];
}

export interface Inventory {
  environment: string;
  servers: ServerRow[];
  hadoop: HadoopRow[];
  apps: AppRow[];
}

/** Where a server runs, as the inventory names it. */
const SITE_LABEL: PerSiteKind<[], string> = {
  vsphere: (site) => `vsphere:${site.datacenter}/${site.cluster}`,
  aws: (site) => `aws:${site.region}`,
};

/**
 * The facts of the inventory, sorted by stable names. The user-data hashes are the cloud-init
 * kind's, passed in by the registry (`needs`), never rendered here.
 */
export function inventoryOf(env: Environment, cloudInit: Pick<CloudInitOutput, 'userDataHash'>): Inventory {
  const site = forSite(SITE_LABEL, env.site);
  const stemcell = `${env.stemcell.name} ${env.stemcell.version}`;
  const hashes = new Map(env.hostGroups.map((g) => [g.name, cloudInit.userDataHash(env, g)]));
  const level = patchLevel(env.stemcell);
  // Rows are built with their keys in stableJson's order (sorted), so inventory.json's
  // serializer has nothing to copy; what a group's servers share is derived once per group.
  const perGroup = new Map<HostGroup, { data: string; patching: PatchMethod; userData: string }>();
  const servers = hostsOf(env).map((h): ServerRow => {
    const size = env.sizes[h.size];
    const rack = h.group.role === 'mesos-agent' ? agentRack(h.group, h.name) ?? '' : '';
    let group = perGroup.get(h.group);
    if (group === undefined) {
      const disk = dataDiskOf(h.group);
      group = { data: disk ? `own-disk ${disk.sizeGiB} GiB` : 'none', patching: patchMethodOf(h.group), userData: hashes.get(h.group.name)! };
      perGroup.set(h.group, group);
    }
    return {
      cpus: size.cpus, data: group.data, diskGiB: size.diskGiB, group: h.group.name, hostname: h.name, ip: h.ip ?? '', memoryMiB: size.memoryMiB,
      patchLevel: level, patching: group.patching, rack, role: h.role, site, size: h.size, stemcell, userData: group.userData,
    };
  });
  // Bare metal on vSphere sites; on AWS the hosts are instances of the stemcell's AMI.
  const hadoopStemcell = siteFacts(env.site).hadoopOnInstances ? stemcell : 'bare metal';
  const hadoop = sortedBy(env.hadoop.flatMap((c) => c.hosts.map((h): HadoopRow => ({
    cluster: c.name, hostname: h.name, ip: h.ip, patchLevel: level, patching: 'patch-in-place', rack: h.rack, roles: [...h.roles].sort(),
    stemcell: hadoopStemcell, state: h.state,
  }))), (r) => r.hostname);
  const apps = sortedBy(env.apps, (a) => a.id).map((a): AppRow => ({
    cpus: a.cpus,
    dependsOn: (a.dependsOn ?? []).map((d) => ('app' in d ? d.app : 'hosted' in d ? `hosted:${d.hosted}` : `db:${d.database}`)).sort(),
    disk: a.disk, id: a.id, instances: a.instances, mem: a.mem, runtime: a.runtime, sidecar: a.runtime !== 'jvm',
  }));
  return { apps, environment: env.name, hadoop, servers };
}

/** The level of a server in an inventory rendered before patch levels were recorded. */
const UNRECORDED = 'unrecorded';

/** A server whose patch level differs between two inventories (the older one is what runs). */
export interface BehindRow {
  hostname: string;
  kind: 'server' | 'hadoop';
  patching: PatchMethod;
  /** Its level in the older inventory. */
  at: string;
  /** The current level. */
  current: string;
}

/**
 * The servers of `running` that are not at the level of `current`: those the next apply replaces
 * (patching `replace`) or patches (the patch plan). Servers only one side has are left out: a
 * new server is created at the current level, a removed one needs no patch.
 */
export function serversBehind(running: Inventory, current: Inventory): BehindRow[] {
  const rows: BehindRow[] = [];
  const was = new Map<string, string>([
    ...running.servers.map((s) => [s.hostname, s.patchLevel ?? UNRECORDED] as const),
    ...running.hadoop.map((h) => [h.hostname, h.patchLevel ?? UNRECORDED] as const),
  ]);
  for (const s of current.servers) {
    const at = was.get(s.hostname);
    if (at !== undefined && at !== s.patchLevel) rows.push({ hostname: s.hostname, kind: 'server', patching: s.patching, at, current: s.patchLevel });
  }
  for (const h of current.hadoop) {
    const at = was.get(h.hostname);
    if (at !== undefined && at !== h.patchLevel) rows.push({ hostname: h.hostname, kind: 'hadoop', patching: h.patching, at, current: h.patchLevel });
  }
  return sortedBy(rows, (r) => r.hostname);
}

/**
 * `infra inventory --behind REF`: the servers of `current` not at its level in the inventory
 * rendered at REF (`runningJson`, the text of rendered/<env>/inventory.json there, or undefined
 * when REF has none).
 */
export function behindReport(env: string, ref: string, runningJson: string | undefined, current: Inventory): string {
  if (runningJson === undefined) return `${env}: no inventory rendered at ${ref}; every server is created at the current level`;
  const rows = serversBehind(JSON.parse(runningJson) as Inventory, current);
  if (rows.length === 0) return `${env}: every server at ${ref} is at the current level`;
  const how = (r: BehindRow) => (r.patching === 'replace' ? 'replaced on the new level' : 'patched in place (patch plan)');
  return [
    `${env}: ${rows.length} server(s) not at the current level (as rendered at ${ref}):`,
    ...rows.map((r) => `  ${r.hostname} (${r.kind}): ${r.at} -> ${r.current}, ${how(r)}`),
  ].join('\n');
}
