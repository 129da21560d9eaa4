import type { HostGroup, UpdatePolicy } from './hosts';
import { hostNames } from './resolve';
import { roleFacts } from './roles';

/** The watch time of a batch when the definition gives none (apply's gate deadline). */
export const DEFAULT_WATCH_SECONDS = 900;

/**
 * The group's `update` with every default filled in: one canary; one host in flight (Mesos
 * masters always one; app servers their `rollout.batchSize`; Mesos agents a whole failure
 * domain, the loss capacity is checked against, which apply splits by domain); 900 s watches.
 */
export function updatePolicy(group: HostGroup): Required<UpdatePolicy> {
  const u = group.update ?? {};
  const facts = roleFacts(group);
  return {
    // In stableJson's key order: the rollout files write this object as it is.
    canaries: u.canaries ?? 1,
    canaryWatchSeconds: u.canaryWatchSeconds ?? DEFAULT_WATCH_SECONDS,
    maxInFlight: facts.fixedMaxInFlight ?? u.maxInFlight ?? facts.defaultMaxInFlight(group, hostNames(group).length),
    updateWatchSeconds: u.updateWatchSeconds ?? DEFAULT_WATCH_SECONDS,
  };
}
