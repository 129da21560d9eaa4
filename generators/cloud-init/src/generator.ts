// The cloud-init generator over one template set. The package's index binds it to the templates
// shipped beside the code; tests bind it to broken sets to see the errors.
import { createHash } from 'node:crypto';
import { type Environment, type HostGroup, type Problem, InvalidDefinition, sortedBy } from '@infra/model';
import { FileMap, perObject, type Generator } from '@infra/render';
import type { TemplateSet } from './templates';
import { stemcellProblems } from './transport';
import { renderGroup } from './user-data';

export interface CloudInit {
  generator: Generator;
  /** The #cloud-config that mutates the stemcell into this group's role; throws InvalidDefinition. */
  renderUserData(env: Environment, group: HostGroup): string;
  /** sha256 (hex) of the group's user-data: what the inventory shows to make replacement visible. */
  userDataHash(env: Environment, group: HostGroup): string;
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
  const generator: Generator = {
    name: 'cloud-init',
    check(env) {
      const problems: Problem[] = [...stemcellProblems(env)];
      for (const group of sortedBy(env.hostGroups, (g) => g.name)) problems.push(...render(env, group).problems);
      return unique(problems);
    },
    generate(env) {
      const files = new FileMap();
      for (const group of sortedBy(env.hostGroups, (g) => g.name)) files.set(userDataPath(group), renderUserData(env, group));
      return files;
    },
  };
  return {
    generator,
    renderUserData,
    userDataHash: (env, group) => hashes(env)(group),
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
