// Terraform JSON for both sites (rendered/<env>/terraform/) and the DR parity report
// (rendered/<env>/PARITY.md and PARITY.json).
import { forSite, parityOf, type Environment, type PerSiteKind, type Problem } from '@infra/model';
import { FileMap, type CloudInitOutput, type EnvironmentContext, type Generator } from '@infra/render';
import { awsFiles } from './aws';
import { checkTerraform } from './check';
import { parityProblems } from './parity';
import { PARITY_GENERATOR, parityJson, parityMarkdown } from './parity-files';
import { GENERATOR } from './tf-json';
import { vsphereFiles } from './vsphere';

export { encodeUserData, AWS_USER_DATA_LIMIT } from './user-data';
export type { UserDataSource, EncodedUserData } from './user-data';
export type { HadoopUserDataSource } from './hadoop-user-data';
export { parityProblems } from './parity';
export { groupPorts, hadoopRolePorts } from './ports';
export { dataHolding, type DataHolding } from './data-holding';
export { vmMarks, type VmMarks } from './marks';
export type { ListenPort } from './ports';

/** The files of each site kind: a new site kind must say how its VMs are rendered. */
const SITE_FILES: PerSiteKind<[Environment, CloudInitOutput], FileMap> = {
  vsphere: (site, env, cloudInit) => vsphereFiles(env, site, cloudInit.userData),
  aws: (site, env, cloudInit) => awsFiles(env, site, cloudInit.userData, cloudInit.hadoopUserData),
};

/**
 * The Terraform generator. It embeds the cloud-init kind's user-data, which the registry passes
 * in (`needs`); tests pass a stub there so golden files do not change when a role's mutation does.
 */
export const terraformGenerator: Generator<'cloud-init'> = {
  name: GENERATOR,
  needs: ['cloud-init'],
  check(env, ctx) {
    const cloudInit = ctx.needs['cloud-init'];
    return checkTerraform(env, cloudInit.userData, cloudInit.hadoopUserData);
  },
  generate: (env, ctx) => forSite(SITE_FILES, env.site, env, ctx.needs['cloud-init']).sorted(),
};

/** The production environment a derived one is compared with, or a located problem. */
function productionOf(env: Environment, ctx: EnvironmentContext): Environment | Problem | undefined {
  if (!env.derivedFrom) return undefined;
  const prod = ctx.environment(env.derivedFrom.environment);
  return prod ?? {
    env: env.name,
    path: 'derivedFrom/environment',
    message: `derived from ${env.derivedFrom.environment}, which is not a known environment: render it too, or fix the name`,
  };
}

const isProblem = (x: unknown): x is Problem => typeof x === 'object' && x !== null && 'message' in x;

export const parityGenerator: Generator = {
  name: PARITY_GENERATOR,
  check(env, ctx) {
    const prod = productionOf(env, ctx);
    if (prod === undefined) return [];
    if (isProblem(prod)) return [prod];
    return parityProblems(parityOf(prod, env));
  },
  generate(env, ctx) {
    const prod = productionOf(env, ctx);
    if (prod === undefined) return new FileMap();
    if (isProblem(prod)) throw new Error(`[environments/${prod.env}] ${prod.path}: ${prod.message}`);
    const report = parityOf(prod, env);
    return new FileMap([
      ['PARITY.json', parityJson(report)],
      ['PARITY.md', parityMarkdown(report)],
    ]);
  },
};
export { terraformDiff, diffTerraform, decodeUserData, settingsChanges } from './diff';
