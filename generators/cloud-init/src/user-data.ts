// One host group's user-data: its view rendered through its role template, then read back the
// way cloud-init will read it and checked against the stemcell's module set, so that nothing
// reaches a VM that its cloud-init would misread or ignore.
import { type Environment, type HadoopCluster, type HostGroup, type Problem, type Role } from '@infra/model';
import { generatedMarker } from '@infra/render';
import YAML from 'yaml';
import { MODULE_SETS, checkModuleSet, unknownVersion } from './module-sets';
import type { TemplateFailure, TemplateSet } from './templates';
import { buildView, hadoopView } from './views';

export interface UserDataResult {
  /** Present only when there is no problem. */
  text?: string;
  problems: Problem[];
}

/** Definition fields each role's view copies: a missing one is reported at its own path. */
const DEFINITION_FIELDS: Readonly<Record<Role, readonly string[]>> = {
  'mesos-master': ['mesosVersion', 'zookeeperVersion', 'marathonVersion'],
  'mesos-agent': ['mesosVersion', 'dockerVersion', 'racks'],
  'app-server': ['apps'],
  database: ['engine', 'engineVersion', 'port', 'dataDir', 'data'],
};

export function renderGroup(templates: TemplateSet, env: Environment, group: HostGroup): UserDataResult {
  const at = `hostGroups/${group.name}`;
  const problem = (path: string, message: string): Problem => ({ env: env.name, path, message });
  const built = buildView(env, group);
  if (built.problems.length > 0) return { problems: built.problems };

  const outcome = templates.render(group.role, built.view);
  if ('failure' in outcome) return { problems: [problem(failurePath(at, group.role, outcome.failure), outcome.failure.message)] };
  return readBack(templates, env, at, group.role, outcome.text);
}

/**
 * The user-data of a Hadoop cluster's hosts where they are instances (AWS): the stemcell's
 * patches, the data volume mounted, each host named as the host files name it.
 */
export function renderHadoop(templates: TemplateSet, env: Environment, cluster: HadoopCluster): UserDataResult {
  const at = `hadoop/${cluster.name}`;
  const built = hadoopView(env, cluster);
  if (built.problems.length > 0) return { problems: built.problems };
  const outcome = templates.render('hadoop', built.view);
  if ('failure' in outcome) {
    const field = outcome.failure.field === 'data' ? `${at}/data` : at;
    return { problems: [{ env: env.name, path: field, message: outcome.failure.message }] };
  }
  return readBack(templates, env, at, 'hadoop', outcome.text);
}

/** Reads rendered user-data back the way cloud-init will, against the stemcell's module set. */
function readBack(templates: TemplateSet, env: Environment, at: string, role: string, rendered: string): UserDataResult {
  const problem = (path: string, message: string): Problem => ({ env: env.name, path, message });
  // Exactly one final newline, whatever the template's last lines look like.
  const text = rendered.replace(/\n*$/, '\n');

  const problems: Problem[] = [];
  const lines = text.split('\n');
  if (lines[0] !== '#cloud-config') problems.push(problem(at, `user-data must start with "#cloud-config", got ${JSON.stringify(lines[0])}`));
  if (lines[1] !== `# ${generatedMarker('cloud-init')}`) problems.push(problem(at, 'user-data line 2 must be the generated-file marker'));

  const set = MODULE_SETS[env.stemcell.cloudInit];
  if (!set) {
    problems.push(problem('stemcell/cloudInit', unknownVersion(env.stemcell.cloudInit)));
    return { problems };
  }
  // cloud-init reads YAML 1.1 (PyYAML): parse as it will, e.g. an unquoted 0644 is a number.
  let doc: unknown;
  try {
    doc = YAML.parse(text, { version: '1.1', uniqueKeys: true });
  } catch (e) {
    problems.push(problem(at, `rendered user-data is not valid YAML (${templates.label(role)}): ${e instanceof Error ? e.message : e}`));
    return { problems };
  }
  for (const f of checkModuleSet(doc, set)) problems.push(problem(f.at ? `${at}/user-data/${f.at}` : `${at}/user-data`, f.message));
  return problems.length > 0 ? { problems } : { text, problems };
}

function failurePath(at: string, role: Role, failure: TemplateFailure): string {
  if (failure.field === undefined) return `${at}/role`;
  return (DEFINITION_FIELDS[role] ?? []).includes(failure.field) ? `${at}/${failure.field}` : at;
}
