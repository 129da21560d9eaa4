// Rules of the stateful-hosts part of the model: data that must outlive its server, the one
// stemcell version and its images, patches that need a reboot. Wired into checkSemantics.
import {
  forRole, groupHosts, hostRack, stemcellImages, type DatabaseGroup, type Environment, type HostGroup, type PerRole, type Problem,
} from '@infra/model';

type Report = (path: string, message: string) => void;

export function checkStateful(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const report: Report = (path, message) => problems.push({ env: env.name, path, message });
  checkStemcellImages(env, report);
  checkPatches(env, report);
  checkDataDisks(env, report);
  checkRacks(env, report);
  checkAptSources(env, report);
  return problems;
}

/** Nothing is labelled with a stemcell version it is not cloned from: images are looked up by version. */
function checkStemcellImages(env: Environment, report: Report): void {
  const { site, stemcell } = env;
  const built = Object.keys(stemcell.images ?? {}).sort();
  const images = stemcellImages(stemcell);
  const at = `stemcell/images/${stemcell.version}`;
  if (!images) {
    report(at, `stemcell ${stemcell.name} version ${stemcell.version} has no images (built versions: ${built.join(', ') || 'none'}); `
      + `build it and list its images under images['${stemcell.version}'], or keep a built version`);
    return;
  }
  if (site.kind === 'vsphere' && !images.vsphere) {
    report(`${at}/vsphere`, `stemcell ${stemcell.name} ${stemcell.version} has no vSphere template for this vSphere site; add images['${stemcell.version}'].vsphere`);
  }
  if (site.kind === 'aws' && !images.aws?.[site.region]) {
    report(`${at}/aws`, `stemcell ${stemcell.name} ${stemcell.version} has no AMI for region ${site.region}; add images['${stemcell.version}'].aws['${site.region}']`);
  }
}

function checkPatches(env: Environment, report: Report): void {
  const seen = new Set<string>();
  const pinned = new Map<string, { version: string; patch: string }>();
  for (const patch of env.stemcell.patches) {
    const at = `stemcell/patches/${patch.id}`;
    if (seen.has(patch.id)) report(at, `patch ${patch.id} is listed twice`);
    seen.add(patch.id);
    for (const pkg of patch.packages) {
      const other = pinned.get(pkg.name);
      if (other && other.version !== pkg.version) {
        report(`${at}/packages/${pkg.name}`, `${pkg.name} is pinned to ${pkg.version} here and to ${other.version} by ${other.patch}; keep the newer pin only, in one patch`);
      } else pinned.set(pkg.name, { version: pkg.version, patch: patch.id });
    }
    const kernel = patch.packages.find((p) => /^linux-image-/.test(p.name));
    if (kernel && patch.reboot !== true) {
      report(`${at}/reboot`, `${kernel.name} takes effect only after a reboot; set reboot: true so the patch plan reboots each host`);
    }
  }
}

/** Databases keep their data on a disk of their own, and their data directory is on it. */
function checkDataDisks(env: Environment, report: Report): void {
  // Where Hadoop hosts are instances, their data needs a volume of its own, or must be declared
  // rebuildable (from production) to live on the instance store.
  if (env.site.kind === 'aws') {
    for (const cluster of env.hadoop) {
      if (!cluster.data) {
        report(`hadoop/${cluster.name}/data`, 'on AWS the Hadoop hosts are instances: declare their data (sizeGiB, mountPoint, filesystem) so it gets a volume of its own, or set rebuildable: true to keep it on the instance store');
      }
    }
  }
  for (const group of env.hostGroups) {
    if (group.role !== 'database') continue;
    const at = `hostGroups/${group.name}`;
    if (!group.data) {
      report(`${at}/data`, 'a database keeps its data on a disk of its own that outlives the VM; '
        + "declare it, e.g. data: { sizeGiB: 500, mountPoint: '/var/lib/postgresql', filesystem: 'ext4' }, with dataDir on it");
      continue;
    }
    const mount = group.data.mountPoint;
    if (group.dataDir !== mount && !group.dataDir.startsWith(`${mount}/`)) {
      report(`${at}/dataDir`, `${group.dataDir} is not on the data disk mounted at ${mount}; put dataDir at or below ${mount}`);
    }
    if (mount === '/' || /^\/(bin|boot|dev|etc|lib|proc|root|sbin|sys|tmp|usr)(\/|$)/.test(mount)) {
      report(`${at}/data/mountPoint`, `${mount} is a system directory; mount the data disk under /var/lib or /srv`);
    }
  }
}

/**
 * A rack is a failure domain only if the site says what it is: its ESXi hosts (vSphere) or its
 * availability zone (AWS). A rack that maps to nothing would be a label that VMs do not follow.
 */
function checkRacks(env: Environment, report: Report): void {
  const { site } = env;
  const racks = site.racks ?? {};
  const known = Object.keys(racks).sort();
  const subnets = new Map(env.network.subnets.map((s) => [s.name, s]));
  const reported = new Set<string>();
  for (const group of env.hostGroups) {
    for (const host of groupHosts(group)) {
      const rack = hostRack(group, host.name);
      if (rack === undefined) continue;
      const at = group.role === 'mesos-agent' && group.rack === rack && !group.racks?.[host.name] ? `hostGroups/${group.name}/rack` : `hostGroups/${group.name}/racks/${host.name}`;
      if (!Object.prototype.hasOwnProperty.call(racks, rack)) {
        if (reported.has(`${at}:${rack}`)) continue;
        reported.add(`${at}:${rack}`);
        report(at, site.kind === 'vsphere'
          ? `rack ${rack} maps to no ESXi hosts on this vSphere site; list its hosts under site/racks/${rack}${known.length ? `, or use one of: ${known.join(', ')}` : ''}`
          : `rack ${rack} maps to no availability zone on this AWS site; add it to site/racks with its zone${known.length ? `, or use one of: ${known.join(', ')}` : ''}`);
        continue;
      }
      if (site.kind === 'aws') {
        const zone = site.racks![rack];
        const subnetZone = subnets.get(host.subnet)?.zone;
        if (subnetZone !== undefined && subnetZone !== zone && !reported.has(`${group.name}:zone`)) {
          reported.add(`${group.name}:zone`);
          report(`hostGroups/${group.name}/subnet`, `rack ${rack} is zone ${zone}, but subnet ${host.subnet} is in ${subnetZone}; put the group in a subnet of ${zone}`);
        }
      }
    }
  }
  if (site.kind === 'vsphere') {
    const owner = new Map<string, string>();
    for (const rack of known) {
      if (site.racks![rack].length === 0) report(`site/racks/${rack}`, `rack ${rack} lists no ESXi host; list the hosts of the rack`);
      for (const esx of site.racks![rack]) {
        const other = owner.get(esx);
        if (other !== undefined) report(`site/racks/${rack}`, `ESXi host ${esx} is also in rack ${other}; a host is in one rack`);
        else owner.set(esx, rack);
      }
    }
  } else {
    // Agents in one zone fail together: the capacity check's "largest domain" would be all of them.
    const agents = env.hostGroups.filter((g) => g.role === 'mesos-agent').flatMap((g) => groupHosts(g));
    const agentZones = new Set(agents.map((h) => subnets.get(h.subnet)?.zone).filter((z) => z !== undefined));
    if (agents.length > 1 && agentZones.size === 1) {
      report('hostGroups', `every Mesos agent is in zone ${[...agentZones][0]}: losing that zone loses them all; map the racks to at least two zones (site/racks) with a subnet in each`);
    }
    const byZone = new Map<string, string>();
    for (const rack of known) {
      const zone = site.racks![rack];
      if (!site.zones.includes(zone)) report(`site/racks/${rack}`, `zone ${zone} is not one of site/zones (${site.zones.join(', ')})`);
      const other = byZone.get(zone);
      if (other !== undefined) report(`site/racks/${rack}`, `racks ${other} and ${rack} both map to zone ${zone} and would fail together; give each rack its own zone`);
      else byZone.set(zone, rack);
    }
  }
}

/**
 * The Debian packages each role installs from outside the stemcell's patches: a table, so a new
 * role fails to compile here until it says what it installs (DESIGN §5, ROLE_FACTS' pattern).
 */
const ROLE_PACKAGES: PerRole<string[]> = {
  'mesos-master': () => ['marathon', 'mesos', 'zookeeper', 'zookeeperd'],
  'mesos-agent': () => ['docker-ce', 'mesos'],
  'app-server': () => [],
  // An unknown engine is the schema's to report: no row, no package.
  database: (group) => (Object.hasOwn(ENGINE_PACKAGE, group.engine) ? [ENGINE_PACKAGE[group.engine](group.engineVersion)] : []),
};

/** The server package of each database engine, by its major version. */
const ENGINE_PACKAGE: { readonly [E in DatabaseGroup['engine']]: (version: string) => string } = {
  postgresql: (version) => `postgresql-${version}`,
  mysql: (version) => `mysql-server-${version}`,
};

/** A group's role packages; a role the schema refuses has none (every problem is still reported). */
export function rolePackages(group: HostGroup): string[] {
  return Object.hasOwn(ROLE_PACKAGES, group.role) ? forRole(ROLE_PACKAGES, group) : [];
}

/** Packages of the Ubuntu 14.04 archive itself, which the image is configured with. */
const UBUNTU_ARCHIVE = new Set(['zookeeper', 'zookeeperd']);

/** Every role package comes from a declared apt source (when the stemcell declares them). */
function checkAptSources(env: Environment, report: Report): void {
  const sources = env.stemcell.aptSources;
  if (sources === undefined) return;
  const provided = new Set(sources.flatMap((s) => s.packages));
  const missing = new Map<string, string>();
  for (const group of env.hostGroups) {
    for (const pkg of rolePackages(group)) {
      if (!provided.has(pkg) && !UBUNTU_ARCHIVE.has(pkg) && !missing.has(pkg)) missing.set(pkg, group.name);
    }
  }
  for (const [pkg, group] of [...missing].sort(([a], [b]) => (a < b ? -1 : 1))) {
    report(`hostGroups/${group}`, `package ${pkg} comes from no apt source of the stemcell; add its repository to stemcell/aptSources with ${pkg} in its packages`);
  }
}
