// The rollout a change will take, for the reviewer: which VMs `infra apply` takes down together,
// group by group. The rule is libs/render's `vmBatches` (one owner: apply batches with it too),
// read from the groups' rollout files (rendered/<env>/rollout/<group>.json) and the facts the
// terraform kind gives each VM in the diff.
import { downVms, vmBatches, type EnvironmentChanges, type RolloutGroup, type Tree } from '@infra/render';

export function rolloutOf(changes: EnvironmentChanges, before: Tree, after: Tree): RolloutGroup[] {
  const out: RolloutGroup[] = [];
  for (const b of vmBatches(downVms(changes.terraform), before, after)) {
    let g = out[out.length - 1];
    if (g?.group !== b.group) out.push(g = { group: b.group, ...(b.role ? { role: b.role } : {}), batches: [] });
    g.batches.push({ hosts: b.members.map((m) => m.host), canary: b.canary, ...(b.failureDomain ? { failureDomain: b.failureDomain } : {}) });
  }
  return out;
}

/**
 * One line for people: "13 batches: mesos-master 3 batches of 1; mesos-agent-a rack-a canary 1
 * then 3; …".
 */
export function rolloutLine(groups: RolloutGroup[]): string {
  const total = groups.reduce((n, g) => n + g.batches.length, 0);
  const parts = groups.map((g) => {
    const domains = [...new Set(g.batches.map((b) => b.failureDomain).filter((d): d is string => !!d))];
    const label = domains.length === 1 ? `${g.group} ${domains[0]}` : g.group;
    const sizes = g.batches.map((b) => b.hosts.length);
    if (sizes.every((n) => n === 1)) return `${label} ${sizes.length} batch${sizes.length === 1 ? '' : 'es'} of 1`;
    const canaries = g.batches.filter((b) => b.canary).length;
    const rest = g.batches.filter((b) => !b.canary).map((b) => (domains.length > 1 ? `${b.failureDomain || 'no failure domain'} ${b.hosts.length}` : String(b.hosts.length)));
    const head = canaries ? `${canaries === 1 ? 'canary' : 'canaries'} ${canaries}${rest.length ? ' then ' : ''}` : '';
    return `${label} ${head}${rest.join(', ')}`;
  });
  // Read in one glance: a stemcell bump of a large site rolls a hundred groups (the JSON report
  // and apply's log keep every batch).
  const shown = parts.length > MAX_GROUPS ? [...parts.slice(0, MAX_GROUPS), `and ${parts.length - MAX_GROUPS} more groups`] : parts;
  return `${total} batch${total === 1 ? '' : 'es'}: ${shown.join('; ')}`;
}

/** Groups the one line describes before it counts the rest. */
const MAX_GROUPS = 12;
