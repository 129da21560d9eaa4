// The cloud-init generator: per host group, the #cloud-config user-data that mutates the stemcell
// into the group's role. Templates are the generator's own code, read once when it is loaded.
import * as path from 'node:path';
import type { Environment, HadoopCluster, HostGroup } from '@infra/model';
import type { Provider } from '@infra/render';
import { createCloudInit } from './generator';
import { loadTemplates } from './templates';

// Found through the package, not __dirname, so the path holds when the CLI runs bundled.
const cloudInit = createCloudInit(loadTemplates(path.join(path.dirname(require.resolve('@infra/generator-cloud-init/package.json')), 'templates')));

/** The #cloud-config user-data that mutates the stemcell into this group's role. Throws InvalidDefinition. */
export function renderUserData(env: Environment, group: HostGroup): string {
  return cloudInit.renderUserData(env, group);
}

/** sha256 (hex) of the group's user-data, for the inventory. Throws InvalidDefinition. */
export function userDataHash(env: Environment, group: HostGroup): string {
  return cloudInit.userDataHash(env, group);
}

/** The #cloud-config of a Hadoop cluster's hosts where they are instances (AWS). Throws InvalidDefinition. */
export function renderHadoopUserData(env: Environment, cluster: HadoopCluster): string {
  return cloudInit.renderHadoopUserData(env, cluster);
}

/**
 * Writes `cloud-init/<group name>.yaml` for every host group; check() reports located problems;
 * `provides` is what the kinds that need cloud-init receive through the cli's registry.
 */
export const cloudInitGenerator: Provider<'cloud-init'> = cloudInit.generator;

export { createCloudInit, hadoopUserDataPath, userDataPath, type CloudInit } from './generator';
export { loadTemplates, compileTemplates, type TemplateSet } from './templates';
export { MODULE_SETS, checkModuleSet, type ModuleSet } from './module-sets';
export { SITE_TRANSPORT } from './transport';
export { cloudInitDiff, diffCloudInit } from './diff';
