// The cloud-init generator over one template set. The package's index binds it to the templates
// shipped beside the code; tests bind it to broken sets to see the errors.
import { createHash } from 'node:crypto';
import { type Environment, type HadoopCluster, type HostGroup, type Problem, type Role, InvalidDefinition, siteFacts, sortedBy } from '@infra/model';
import { FileMap, perObject, type CloudInitOutput, type Provider } from '@infra/render';
import type { ROLE_TEMPLATES, TemplateSet } from './templates';
import { stemcellProblems } from './transport';
import { renderGroup, renderHadoop } from './user-data';

/**
 * Every role of the model has a template (and so a view): a role added to HostGroup without one
 * fails to compile here, naming it, instead of failing at render time.
 */
type RoleWithoutTemplate = Exclude<Role, (typeof ROLE_TEMPLATES)[number]>;
export const EVERY_ROLE_HAS_A_TEMPLATE: [RoleWithoutTemplate] extends [never] ? true : RoleWithoutTemplate = true;

export interface CloudInit {
  /** The kind's generator; its `provides` is what terraform and the inventory receive (`needs`). */
  generator: Provider<'cloud-init'>;
  /** The #cloud-config that mutates the stemcell into this group's role; throws InvalidDefinition. */
  renderUserData(env: Environment, group: HostGroup): string;
  /** sha256 (hex) of the group's user-data: what the inventory shows to make replacement visible. */
  userDataHash(env: Environment, group: HostGroup): string;
  /** The #cloud-config of a Hadoop cluster's hosts where they are instances (AWS); throws InvalidDefinition. */
  renderHadoopUserData(env: Environment, cluster: HadoopCluster): string;
}

/** Path of a Hadoop cluster's user-data (AWS sites only: bare metal has none). */
export function hadoopUserDataPath(cluster: HadoopCluster): string {
  return `cloud-init/hadoop-${cluster.name}.yaml`;
}

/** Path of a group's user-data under `rendered/<env>/`: one file per host group, by its stable name. */
export function userDataPath(group: HostGroup): string {
  return `cloud-init/${group.name}.yaml`;
}

export function createCloudInit(templates: TemplateSet): CloudInit {
  // check, generate, Terraform and the inventory all ask for the same group's user-data: render
  // (and read back as YAML, the costly part) once per environment and group.
  const rendered = perObject((env: Environment) => perObject((group: HostGroup) => renderGroup(templates, env, group)));
  const render = (env: Environment, group: HostGroup) => rendered(env)(group);
  const hashes = perObject((env: Environment) => perObject((group: HostGroup) => createHash('sha256').update(renderUserData(env, group), 'utf8').digest('hex')));
  const renderUserData = (env: Environment, group: HostGroup): string => {
    const { text, problems } = render(env, group);
    if (text === undefined || problems.length > 0) throw new InvalidDefinition(problems);
    return text;
  };
  const renderedHadoop = perObject((env: Environment) => perObject((cluster: HadoopCluster) => renderHadoop(templates, env, cluster)));
  const renderHadoopUserData = (env: Environment, cluster: HadoopCluster): string => {
    const { text, problems } = renderedHadoop(env)(cluster);
    if (text === undefined || problems.length > 0) throw new InvalidDefinition(problems);
    return text;
  };
  // Hosts that are instances, not bare metal, get user-data.
  const hadoopInstances = (env: Environment) => (siteFacts(env.site).hadoopOnInstances ? sortedBy(env.hadoop, (c) => c.name) : []);
  const userDataHash = (env: Environment, group: HostGroup) => hashes(env)(group);
  // What the kinds that need cloud-init receive: the same memoised renderings check and generate use.
  const provides: CloudInitOutput = Object.freeze({ userData: renderUserData, userDataHash, hadoopUserData: renderHadoopUserData });
  const generator: Provider<'cloud-init'> = {
    name: 'cloud-init',
    provides,
    check(env) {
      const problems: Problem[] = [...stemcellProblems(env)];
      for (const group of sortedBy(env.hostGroups, (g) => g.name)) problems.push(...render(env, group).problems);
      for (const cluster of hadoopInstances(env)) problems.push(...renderedHadoop(env)(cluster).problems);
      return unique(problems);
    },
    generate(env) {
      const files = new FileMap();
      for (const group of sortedBy(env.hostGroups, (g) => g.name)) files.set(userDataPath(group), renderUserData(env, group));
      for (const cluster of hadoopInstances(env)) files.set(hadoopUserDataPath(cluster), renderHadoopUserData(env, cluster));
      return files;
    },
  };
  return {
    generator,
    renderUserData,
    userDataHash,
    renderHadoopUserData,
  };
}

/** The same stemcell problem found through every group is reported once. */
function unique(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\n${p.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
