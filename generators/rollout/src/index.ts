// The rollout plan of each app-server group: the facts `infra apply` needs to replace the
// group's servers a batch at a time with a health gate between batches, so that changing what
// the group hosts (removing an app, or moving one onto Mesos) never takes every server of the
// group, and the other apps on it, down at once. Pure: the plan is data, apply carries it out.
import { compare, groupHosts, hostNames, type AppServerGroup, type Environment, type Problem } from '@infra/model';
import { FileMap, generatedMarker, stableJson, type Generator } from '@infra/render';

export interface RolloutPlan {
  group: string;
  role: 'app-server';
  /** Servers replaced at a time after the canary. */
  batchSize: number;
  /** Probed on each replaced server before the next batch. */
  health: { kind: 'http'; port: number; path: string } | { kind: 'tcp'; port: number };
  /** In order: a canary of one server, then batches of `batchSize`; hosts sorted by name. */
  batches: { hosts: { host: string; address: string | undefined }[] }[];
}

const appServerGroups = (env: Environment) =>
  env.hostGroups.filter((g): g is AppServerGroup => g.role === 'app-server').sort((a, b) => compare(a.name, b.name));

export function rolloutPlan(group: AppServerGroup): RolloutPlan {
  const batchSize = group.rollout?.batchSize ?? 1;
  // Without a declared health check the gate is the first hosted app's port accepting TCP.
  const firstPort = [...group.apps].sort((a, b) => compare(a.name, b.name))[0]?.port;
  const health: RolloutPlan['health'] = group.rollout
    ? { kind: 'http', port: group.rollout.healthCheck.port, path: group.rollout.healthCheck.path }
    : { kind: 'tcp', port: firstPort ?? 22 };
  const hosts = groupHosts(group).map((h) => ({ host: h.name, address: h.ip })).sort((a, b) => compare(a.host, b.host));
  const batches: RolloutPlan['batches'] = [];
  if (hosts.length) batches.push({ hosts: hosts.slice(0, 1) });
  for (let i = 1; i < hosts.length; i += batchSize) batches.push({ hosts: hosts.slice(i, i + batchSize) });
  return { group: group.name, role: 'app-server', batchSize, health, batches };
}

export function rolloutProblems(env: Environment): Problem[] {
  const problems: Problem[] = [];
  for (const group of appServerGroups(env)) {
    const size = hostNames(group).length;
    const batch = group.rollout?.batchSize;
    if (batch !== undefined && Number.isInteger(batch) && size > 1 && batch >= size) {
      problems.push({
        env: env.name, path: `hostGroups/${group.name}/rollout/batchSize`,
        message: `${batch} would replace every server of ${group.name} (${size}) at once, taking all its apps down: use at most ${size - 1}`,
      });
    }
  }
  return problems;
}

/** `rollout/<group>.json` for every app-server group. */
export const rolloutGenerator: Generator = {
  name: 'rollout',
  check: (env) => rolloutProblems(env),
  generate(env) {
    const files = new FileMap();
    for (const group of appServerGroups(env)) {
      files.set(`rollout/${group.name}.json`, stableJson({ '//': generatedMarker('rollout'), ...rolloutPlan(group) }));
    }
    return files;
  },
};
