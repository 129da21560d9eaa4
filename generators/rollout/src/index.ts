// The rollout plan of each VM group: the facts `infra apply` (and the review) need to replace the
// group's VMs a batch at a time with a health gate between batches: the group's `update` policy
// with its defaults filled in (canaries, maxInFlight, watch times), its hosts in the order they
// roll, with their failure domain where one is placed. App-server groups add their health check,
// so that changing what the group hosts (removing an app, or moving one onto Mesos) never takes
// every server of the group, and the other apps on it, down at once. Pure: the plan is data,
// apply carries it out.
import {
  compare, forRole, groupHosts, hostFailureDomain, hostNames, updatePolicy,
  type AppServerGroup, type Environment, type HostGroup, type PerRole, type Problem, type UpdatePolicy,
} from '@infra/model';
import { FileMap, generatedMarker, partitionBatches, ROLE_BATCHING, stableJson, type Generator } from '@infra/render';

export interface RolloutHost {
  host: string;
  address: string | undefined;
  /** The rack (vSphere) or zone (AWS) of a Mesos agent or master; agents never roll two at once. */
  failureDomain?: string;
}

export interface RolloutPlan {
  group: string;
  role: HostGroup['role'];
  /** The group's `update` block with every default filled in. */
  update: Required<UpdatePolicy>;
  /** App servers: servers replaced at a time after the canary (= update.maxInFlight). */
  batchSize?: number;
  /** App servers: probed on each replaced server before the next batch. */
  health?: { kind: 'http'; port: number; path: string } | { kind: 'tcp'; port: number };
  /**
   * In order: the canaries one at a time, then batches of at most `maxInFlight` (agents: within
   * one failure domain); hosts sorted by name (agents by failure domain, then name).
   */
  batches: { hosts: RolloutHost[] }[];
}

const sortedGroups = (env: Environment) => [...env.hostGroups].sort((a, b) => compare(a.name, b.name));

type Health = RolloutPlan['health'];

/**
 * What each role's replaced VM is gated on before the next batch, where the rollout file says
 * (app servers: the apps they host; the other roles' gates are apply's, from their role).
 */
const ROLE_HEALTH: PerRole<NonNullable<Health> | undefined> = {
  'mesos-master': () => undefined,
  'mesos-agent': () => undefined,
  database: () => undefined,
  'app-server': (group) => {
    // Without a declared health check the gate is the first hosted app's port accepting TCP.
    const firstPort = [...group.apps].sort((a, b) => compare(a.name, b.name))[0]?.port;
    return group.rollout
      ? { kind: 'http', path: group.rollout.healthCheck.path, port: group.rollout.healthCheck.port }
      : { kind: 'tcp', port: firstPort ?? 22 };
  },
};

/** The plan of one group; `env` gives the failure domains (omitted: none known). */
export function rolloutPlan(group: HostGroup, env?: Environment): RolloutPlan {
  const update = updatePolicy(group);
  const domain = (h: string) => (env ? hostFailureDomain(env, group, h) : undefined);
  // The rule's own table (libs/render): agents' batches never span two failure domains.
  const oneDomain = ROLE_BATCHING[group.role].oneDomainPerBatch;
  // Every object of the plan is built with its keys in stableJson's order (sorted by code unit),
  // so that it copies none of them (a group of agents is thousands of hosts).
  const hosts: RolloutHost[] = groupHosts(group).map((h) => {
    const d = domain(h.name);
    return d === undefined ? { address: h.ip, host: h.name } : { address: h.ip, failureDomain: d, host: h.name };
  }).sort((a, b) => (oneDomain ? compare(a.failureDomain ?? '', b.failureDomain ?? '') : 0) || compare(a.host, b.host));
  // libs/render's partition, the one vmBatches cuts the VMs of a change with: the file, the
  // review and apply cannot disagree (index.test.ts replays every rendered file through it).
  const batches: RolloutPlan['batches'] = partitionBatches(hosts, { canaries: update.canaries, maxInFlight: update.maxInFlight, oneDomainPerBatch: oneDomain }, (h) => h.failureDomain ?? '')
    .map((b) => ({ hosts: b.members }));
  // A role whose gate the file carries also carries its batch size (app servers).
  const health = forRole(ROLE_HEALTH, group);
  if (health === undefined) return { batches, group: group.name, role: group.role, update };
  return { batchSize: update.maxInFlight, batches, group: group.name, health, role: group.role, update };
}

export function rolloutProblems(env: Environment): Problem[] {
  const problems: Problem[] = [];
  for (const group of sortedGroups(env).filter((g): g is AppServerGroup => g.role === 'app-server')) {
    const size = hostNames(group).length;
    const declared = group.rollout?.batchSize;
    const inFlight = group.update?.maxInFlight;
    if (declared !== undefined && inFlight !== undefined && declared !== inFlight) {
      problems.push({
        env: env.name, path: `hostGroups/${group.name}/update/maxInFlight`,
        message: `${inFlight} differs from rollout.batchSize (${declared}), which says the same thing: give one of them`,
      });
      continue;
    }
    const [batch, field] = inFlight !== undefined ? [inFlight, 'update/maxInFlight'] : [declared, 'rollout/batchSize'];
    if (batch !== undefined && Number.isInteger(batch) && size > 1 && batch >= size) {
      problems.push({
        env: env.name, path: `hostGroups/${group.name}/${field}`,
        message: `${batch} would replace every server of ${group.name} (${size}) at once, taking all its apps down: use at most ${size - 1}`,
      });
    }
  }
  return problems;
}

/** `rollout/<group>.json` for every VM group (Hadoop hosts are patched in place, not rolled). */
export const rolloutGenerator: Generator = {
  name: 'rollout',
  check: (env) => rolloutProblems(env),
  generate(env) {
    const files = new FileMap();
    for (const group of sortedGroups(env)) {
      files.set(`rollout/${group.name}.json`, stableJson({ '//': generatedMarker('rollout'), ...rolloutPlan(group, env) }));
    }
    return files;
  },
};
