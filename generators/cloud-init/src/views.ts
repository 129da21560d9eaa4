// The typed data each role's template renders. Values are copied from the definition as they are
// (templates compose them), so a value the definition lacks stays missing and the strict template
// fails on it instead of printing "undefined" or nothing. Every list is sorted here, so output
// never depends on definition order.
import {
  type AppServerGroup, type DatabaseGroup, type Environment, type HostGroup, type MesosAgentGroup,
  type MesosMasterGroup, type Problem, type HadoopCluster, type Role, type SiteKind, agentRack, compare, groupHosts, sortedBy,
} from '@infra/model';
import { generatedMarker } from '@infra/render';
import { ensemble, quorum, zkUrl } from './mesos-cluster';

/** Every install runs unattended and keeps the configuration files written before it. */
export const APT_INSTALL =
  'DEBIAN_FRONTEND=noninteractive apt-get install --assume-yes --quiet -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold';

export interface StemcellView {
  marker: string;
  role: Role | 'hadoop';
  group: string;
  stemcell: { name: string; version: string; cloudInit: string };
  hasPatches: boolean;
  patches: { id: string; packages: { name: string; version: string }[] }[];
  hasAptSources: boolean;
  aptSources: { filename: string; source: string; keyid: string }[];
  aptInstall: string;
}

/** One line of a per-host table looked up at boot: `<host> <address> <value>`. */
export interface HostValue {
  host: string;
  /** `-` when the definition gives no address (the lookup then matches by name only). */
  address: string;
  value: string;
}

export interface MesosMasterView extends StemcellView {
  mesosVersion: string;
  zookeeperVersion: string;
  marathonVersion: string;
  ensemble: { id: number; fqdn: string }[];
  myids: HostValue[];
  zkMesos: string;
  zkMarathon: string;
  quorum: number;
  cluster: string;
}

export interface MesosAgentView extends StemcellView {
  mesosVersion: string;
  dockerVersion: string;
  zkMesos: string;
  /** Every agent of the group is in this one rack: written as is, no per-host table. */
  hasUniformRack: boolean;
  uniformRack: string;
  /** Agents in different racks (or some without one): a table looked up at boot. */
  hasRackTable: boolean;
  racks: HostValue[];
}

export interface AppServerView extends StemcellView {
  apps: { name: string; package: string; version: string; port: number }[];
}

/** The data disk as the mount script takes it. */
export interface DataDiskView {
  /** Filesystem label the disk is found by on every VM it is attached to (≤ 12 characters: xfs' limit). */
  label: string;
  filesystem: string;
  mountPoint: string;
}

export interface DatabaseView extends StemcellView {
  engine: string;
  isPostgresql: boolean;
  isMysql: boolean;
  engineVersion: string;
  /** The Debian package of the engine. */
  enginePackage: string;
  port: number;
  dataDir: string;
  /** Present only when the definition declares the disk (the strict template refuses its absence). */
  data?: DataDiskView;
  /** Block devices the data disk may appear as on this site, in the order tried. */
  dataDevices: string[];
}

/** Label of every data disk: one data disk per VM, so one label suffices. */
export const DATA_DISK_LABEL = 'infra-data';

/**
 * Where the data disk appears. vSphere: the second disk on SCSI bus 0 (unit 1), /dev/sdb. AWS:
 * the volume attached as /dev/xvdf shows as /dev/nvme1n1 on Nitro instance types and as
 * /dev/xvdf on Xen ones.
 */
export const DATA_DEVICES: Readonly<Record<SiteKind, readonly string[]>> = {
  vsphere: ['/dev/sdb'],
  aws: ['/dev/nvme1n1', '/dev/xvdf'],
};

export type RoleView = MesosMasterView | MesosAgentView | AppServerView | DatabaseView;

export interface BuiltView {
  /** Plain data (a JSON round trip: missing values are absent, not `undefined`). */
  view: Record<string, unknown>;
  problems: Problem[];
}

/** Mesos attribute values allowed in the rack table: one whitespace-free token. */
const RACK = /^[A-Za-z0-9_./-]+$/;

export function buildView(env: Environment, group: HostGroup): BuiltView {
  const problems: Problem[] = [];
  const at = `hostGroups/${group.name}`;
  const report = (path: string, message: string) => problems.push({ env: env.name, path, message });
  const base = stemcellView(env, group.role, group.name);
  let view: RoleView | undefined;
  switch (group.role) {
    case 'mesos-master': view = masterView(env, group, base); break;
    case 'mesos-agent': view = agentView(env, group, base, report); break;
    case 'app-server': view = appServerView(group, base, report); break;
    case 'database': view = databaseView(env, group, base, report); break;
    default:
      report(`${at}/role`, `no cloud-init mutation for role "${(group as { role: string }).role}"; roles are: mesos-master, mesos-agent, app-server, database`);
  }
  const plain = view === undefined ? {} : (JSON.parse(JSON.stringify(view)) as Record<string, unknown>);
  // Values land inside YAML block scalars and one-line shell commands: a line break would
  // change the document's structure instead of failing.
  for (const [where, text] of strings(plain, '')) {
    if (/[\r\n]/.test(text)) report(at, `value ${JSON.stringify(text)} (${where}) contains a line break`);
  }
  return { view: plain, problems };
}

function stemcellView(env: Environment, role: Role | 'hadoop', group: string): StemcellView {
  const { stemcell } = env;
  const patches = sortedBy(stemcell.patches ?? [], (p) => p.id).map((p) => ({
    id: p.id,
    packages: sortedBy(p.packages ?? [], (pkg) => pkg.name).map((pkg) => ({ name: pkg.name, version: pkg.version })),
  }));
  return {
    marker: generatedMarker('cloud-init'),
    role,
    group,
    stemcell: { name: stemcell.name, version: stemcell.version, cloudInit: stemcell.cloudInit },
    hasPatches: patches.some((p) => p.packages.length > 0),
    hasAptSources: (stemcell.aptSources ?? []).length > 0,
    aptSources: sortedBy(stemcell.aptSources ?? [], (a) => a.name).map((a) => ({ filename: `${a.name}.list`, source: a.source, keyid: a.keyid })),
    patches: patches.filter((p) => p.packages.length > 0),
    aptInstall: APT_INSTALL,
  };
}

function masterView(env: Environment, group: MesosMasterGroup, base: StemcellView): MesosMasterView {
  const members = ensemble(env);
  return {
    ...base,
    mesosVersion: group.mesosVersion,
    zookeeperVersion: group.zookeeperVersion,
    marathonVersion: group.marathonVersion,
    ensemble: [...members].sort((a, b) => a.id - b.id).map((m) => ({ id: m.id, fqdn: m.fqdn })),
    myids: members.map((m) => ({ host: m.host, address: m.address ?? '-', value: String(m.id) })),
    zkMesos: zkUrl(env, 'mesos'),
    zkMarathon: zkUrl(env, 'marathon'),
    quorum: quorum(members.length),
    cluster: env.name,
  };
}

type Report = (path: string, message: string) => void;

function agentView(env: Environment, group: MesosAgentGroup, base: StemcellView, report: Report): MesosAgentView {
  const at = `hostGroups/${group.name}`;
  // "Agents need masters" is a graph rule: libs/validate owns it (checkMesos), checked before any render.
  const racks: HostValue[] = [];
  const hosts = groupHosts(group).sort((a, b) => compare(a.name, b.name));
  for (const host of hosts) {
    const rack = agentRack(group, host.name);
    if (rack === undefined) continue;
    if (!RACK.test(rack)) report(`${at}/racks/${host.name}`, `rack "${rack}" must be one token of letters, digits, "_", ".", "/" or "-" (it becomes the Mesos attribute rack:${rack})`);
    racks.push({ host: host.name, address: host.ip ?? '-', value: rack });
  }
  // A table names every agent, so adding one changes the whole group's user-data (and Terraform
  // replaces every agent). A group whose agents share one rack needs no names: adding an agent
  // to it leaves the user-data as it was.
  const rackNames = new Set(racks.map((r) => r.value));
  const uniform = racks.length > 0 && racks.length === hosts.length && rackNames.size === 1;
  return {
    ...base,
    mesosVersion: group.mesosVersion,
    dockerVersion: group.dockerVersion,
    zkMesos: zkUrl(env, 'mesos'),
    hasUniformRack: uniform,
    uniformRack: uniform ? racks[0].value : '',
    hasRackTable: racks.length > 0 && !uniform,
    racks: uniform ? [] : racks,
  };
}

function appServerView(group: AppServerGroup, base: StemcellView, report: Report): AppServerView {
  const at = `hostGroups/${group.name}/apps`;
  const apps = sortedBy(group.apps ?? [], (a) => a.name);
  if (apps.length === 0) report(at, 'an application server hosts at least one app');
  const names = new Set<string>();
  const ports = new Map<number, string>();
  for (const app of apps) {
    if (names.has(app.name)) report(`${at}/${app.name}`, `app name ${app.name} is used twice in this group`);
    names.add(app.name);
    const other = ports.get(app.port);
    if (other !== undefined && other !== app.name) report(`${at}/${app.name}/port`, `port ${app.port} is also used by ${other} on the same servers`);
    else ports.set(app.port, app.name);
  }
  return { ...base, apps: apps.map((a) => ({ name: a.name, package: a.package, version: a.version, port: a.port })) };
}

function databaseView(env: Environment, group: DatabaseGroup, base: StemcellView, report: Report): DatabaseView {
  const engines: readonly string[] = ['mysql', 'postgresql'];
  if (!engines.includes(group.engine)) {
    report(`hostGroups/${group.name}/engine`, `no cloud-init mutation for engine "${group.engine}"; engines are: ${engines.join(', ')}`);
  }
  return {
    ...base,
    engine: group.engine,
    isPostgresql: group.engine === 'postgresql',
    isMysql: group.engine === 'mysql',
    engineVersion: group.engineVersion,
    enginePackage: group.engine === 'mysql' ? `mysql-server-${group.engineVersion}` : `postgresql-${group.engineVersion}`,
    port: group.port,
    dataDir: group.dataDir,
    data: group.data && { label: DATA_DISK_LABEL, filesystem: group.data.filesystem, mountPoint: group.data.mountPoint },
    dataDevices: [...(DATA_DEVICES[env.site.kind] ?? [])],
  };
}

/** Every string in plain data, with where it is (for error messages). */
function strings(value: unknown, where: string): [string, string][] {
  if (typeof value === 'string') return [[where, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${where}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => strings(v, where ? `${where}.${k}` : k));
  }
  return [];
}

export interface HadoopView extends StemcellView {
  cluster: string;
  domain: string;
  data?: DataDiskView;
  dataDevices: string[];
  /** `<host> <address> <host>`: each instance names itself as the host files name it. */
  names: HostValue[];
  hosts: { address: string; name: string; fqdn: string }[];
  hasPackages: boolean;
  packages: string[];
}

/**
 * Devices of a Hadoop host's data: its EBS volume (as /dev/xvdf, or NVMe on Nitro types), or,
 * for data declared rebuildable, the instance's own NVMe store.
 */
export function hadoopView(env: Environment, cluster: HadoopCluster): BuiltView {
  const problems: Problem[] = [];
  const base = stemcellView(env, 'hadoop', `hadoop-${cluster.name}`);
  const hosts = sortedBy(cluster.hosts, (h) => h.name);
  const view: HadoopView = {
    ...base,
    cluster: cluster.name,
    domain: env.network.domain,
    data: cluster.data && { label: DATA_DISK_LABEL, filesystem: cluster.data.filesystem, mountPoint: cluster.data.mountPoint },
    dataDevices: [...(DATA_DEVICES[env.site.kind] ?? [])],
    names: hosts.map((h) => ({ host: h.name, address: h.ip, value: h.name })),
    hosts: hosts.map((h) => ({ address: h.ip, name: h.name, fqdn: `${h.name}.${env.network.domain}` })),
    hasPackages: (cluster.packages ?? []).length > 0,
    packages: sortedBy(cluster.packages ?? [], (p) => p.name).map((p) => `${p.name}=${p.version}`),
  };
  const plain = JSON.parse(JSON.stringify(view)) as Record<string, unknown>;
  for (const [where, text] of strings(plain, '')) {
    if (/[\r\n]/.test(text)) problems.push({ env: env.name, path: `hadoop/${cluster.name}`, message: `value ${JSON.stringify(text)} (${where}) contains a line break` });
  }
  return { view: plain, problems };
}
