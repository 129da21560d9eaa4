// How user-data reaches a VM depends on the site, and the stemcell's cloud-init must be able to
// read it there: otherwise the VM boots as a bare stemcell and never becomes its role.
import type { Environment, Problem, SiteKind, UserDataTransport } from '@infra/model';
import { MODULE_SETS, unknownVersion } from './module-sets';

/** vSphere passes user-data in guestinfo (extra_config); AWS in the instance metadata. */
export const SITE_TRANSPORT: Readonly<Record<SiteKind, UserDataTransport>> = {
  vsphere: 'vmware-guestinfo',
  aws: 'ec2-metadata',
};

/** Problems with the stemcell itself, shared by every host group of the environment. */
export function stemcellProblems(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const { stemcell, site } = env;
  const needed = SITE_TRANSPORT[site.kind];
  const available = [...(stemcell.transports ?? [])].sort();
  if (needed === undefined) {
    problems.push({ env: env.name, path: 'site/kind', message: `no user-data transport is known for site kind "${site.kind}"` });
  } else if (!available.includes(needed)) {
    problems.push({
      env: env.name,
      path: 'stemcell/transports',
      message: `a ${site.kind} site passes user-data through ${needed}, which stemcell ${stemcell.name} ${stemcell.version} cannot read `
        + `(its transports: ${available.join(', ') || 'none'}); use a stemcell built with that datasource and list it in transports`,
    });
  }
  if (!MODULE_SETS[stemcell.cloudInit]) {
    problems.push({
      env: env.name,
      path: 'stemcell/cloudInit',
      message: unknownVersion(stemcell.cloudInit),
    });
  }
  return problems;
}
