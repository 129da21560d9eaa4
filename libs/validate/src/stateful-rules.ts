// Rules of the stateful-hosts part of the model: data that must outlive its server, the one
// stemcell version and its images, patches that need a reboot. Wired into checkSemantics.
import { stemcellImages, type Environment, type Problem } from '@infra/model';

type Report = (path: string, message: string) => void;

export function checkStateful(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const report: Report = (path, message) => problems.push({ env: env.name, path, message });
  checkStemcellImages(env, report);
  checkPatches(env, report);
  checkDataDisks(env, report);
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
