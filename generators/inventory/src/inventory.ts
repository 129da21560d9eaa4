import { agentRack, hostsOf, sortedBy, type Environment } from '@infra/model';
import { userDataHash } from '@infra/generator-cloud-init';

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
  /** sha256 of the host group's cloud-init user-data: when it changes, Terraform replaces the VM. */
  userData: string;
}

export interface HadoopRow {
  hostname: string;
  cluster: string;
  ip: string;
  rack: string;
  roles: string[];
  state: string;
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

function siteLabel(env: Environment): string {
  return env.site.kind === 'vsphere' ? `vsphere:${env.site.datacenter}/${env.site.cluster}` : `aws:${env.site.region}`;
}

/** The facts of the inventory, sorted by stable names. */
export function inventoryOf(env: Environment): Inventory {
  const site = siteLabel(env);
  const stemcell = `${env.stemcell.name} ${env.stemcell.version}`;
  const hashes = new Map(env.hostGroups.map((g) => [g.name, userDataHash(env, g)]));
  const servers = hostsOf(env).map((h): ServerRow => {
    const size = env.sizes[h.size];
    const rack = h.group.role === 'mesos-agent' ? agentRack(h.group, h.name) ?? '' : '';
    return { hostname: h.name, role: h.role, group: h.group.name, ip: h.ip ?? '', size: h.size, cpus: size.cpus, memoryMiB: size.memoryMiB, diskGiB: size.diskGiB, site, rack, stemcell, userData: hashes.get(h.group.name)! };
  });
  const hadoop = sortedBy(env.hadoop.flatMap((c) => c.hosts.map((h): HadoopRow => ({
    hostname: h.name, cluster: c.name, ip: h.ip, rack: h.rack, roles: [...h.roles].sort(), state: h.state,
  }))), (r) => r.hostname);
  const apps = sortedBy(env.apps, (a) => a.id).map((a): AppRow => ({
    id: a.id, runtime: a.runtime, sidecar: a.runtime !== 'jvm', instances: a.instances, cpus: a.cpus, mem: a.mem, disk: a.disk,
    dependsOn: (a.dependsOn ?? []).map((d) => ('app' in d ? d.app : 'hosted' in d ? `hosted:${d.hosted}` : `db:${d.database}`)).sort(),
  }));
  return { environment: env.name, servers, hadoop, apps };
}
