// Terraform JSON for both sites (rendered/<env>/terraform/) and the DR parity report
// (rendered/<env>/PARITY.md and PARITY.json).
import type { Environment, Problem } from '@infra/model';
import { FileMap, type Generator, type RenderContext } from '@infra/render';
import { awsFiles } from './aws';
import { checkTerraform } from './check';
import { parityOf, parityProblems } from './parity';
import { PARITY_GENERATOR, parityJson, parityMarkdown } from './parity-files';
import { GENERATOR } from './tf-json';
import { defaultUserData, type UserDataSource } from './user-data';
import { defaultHadoopUserData, type HadoopUserDataSource } from './hadoop-user-data';
import { vsphereFiles } from './vsphere';

export { userDataHashes, encodeUserData, AWS_USER_DATA_LIMIT } from './user-data';
export type { UserDataSource, EncodedUserData } from './user-data';
export type { HadoopUserDataSource } from './hadoop-user-data';
export { parityOf, parityProblems } from './parity';
export type { ParityReport, ParityEntry, ParityStatus, ParityKind } from './parity';
export { groupPorts, hadoopRolePorts } from './ports';
export { dataHolding, type DataHolding } from './data-holding';
export type { ListenPort } from './ports';

/**
 * The Terraform generator with a given user-data source. Production uses the cloud-init
 * generator's; tests pass a stub so golden files do not change when a role's mutation does.
 */
export function createTerraformGenerator(userData: UserDataSource = defaultUserData, hadoopUserData: HadoopUserDataSource = defaultHadoopUserData): Generator {
  return {
    name: GENERATOR,
    check: (env: Environment) => checkTerraform(env, userData, hadoopUserData),
    generate(env: Environment): FileMap {
      const files = env.site.kind === 'vsphere' ? vsphereFiles(env, env.site, userData) : awsFiles(env, env.site, userData, hadoopUserData);
      return files.sorted();
    },
  };
}

export const terraformGenerator: Generator = createTerraformGenerator();

/** The production environment a derived one is compared with, or a located problem. */
function productionOf(env: Environment, ctx: RenderContext): Environment | Problem | undefined {
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
