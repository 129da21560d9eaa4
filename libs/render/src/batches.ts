import { ROLE_FACTS, type Role } from '@infra/model';
import type { TerraformChange, Tree } from './changes';

// The batching rule of a VM rollout (BOSH's update policy, DESIGN §4), in one place: apply takes
// the VMs down in exactly these batches, and the review shows exactly these batches. Pure: it
// reads the groups' rollout files (rendered/<env>/rollout/<group>.json) from the two trees and
// the facts of the VMs taken down, and nothing else.
//
// The rule: groups in the order Mesos masters, Mesos agents, app servers, databases, Hadoop, the
// rest (then by name); per group its canaries one at a time, then at most maxInFlight hosts at a
// time, in the rollout file's order (hosts it does not list last, by name); Mesos masters always
// one at a time and Mesos agents never two failure domains in one batch, whatever a file says.
// Without a file, BOSH's safe defaults: one canary, then one host at a time (agents: a whole
// failure domain; app servers: the file's older `batchSize`).

/** rendered/<env>/rollout/<group>.json: the fields the rule (and apply's gates) read. */
export interface RolloutFile {
  group: string;
  role?: string;
  /** The group's update policy, defaults filled in by the renderer. */
  update?: { canaries: number; maxInFlight: number; canaryWatchSeconds: number; updateWatchSeconds: number };
  /** App servers: hosts at a time after the canary (older files have no `update`). */
  batchSize?: number;
  /** App servers: the health check of a replaced server (apply's gate probes it). */
  health?: { kind: 'http'; port: number; path: string } | { kind: 'tcp'; port: number };
  batches?: { hosts: { host: string; address?: string; failureDomain?: string }[] }[];
}

/** A VM that a change takes down (replaced or destroyed), as the rule needs to know it. */
export interface DownVm {
  /** Its Terraform address. */
  address: string;
  /** Its hostname. */
  host: string;
  group: string;
  role?: string;
  /** The rack (vSphere) or zone (AWS); absent: the rollout file's, else none. */
  failureDomain?: string;
  /** Destroyed, not replaced: nothing comes back to be health-checked. */
  destroyed: boolean;
}

export interface VmBatch<T extends DownVm = DownVm> {
  group: string;
  role?: string;
  canary: boolean;
  /** Mesos agents: the one failure domain of the batch, when known. */
  failureDomain?: string;
  /** In the rollout's order. */
  members: T[];
  /** The rollout file the group's policy was read from (the target's, else the base's). */
  file?: RolloutFile;
}

/**
 * What each role's batches keep, whatever a rollout file says: a table, so a new role fails to
 * compile here until it says. Masters' one-at-a-time is the model's (ROLE_FACTS.fixedMaxInFlight).
 */
export const ROLE_BATCHING: { readonly [R in Role]: { oneDomainPerBatch: boolean } } = {
  'mesos-master': { oneDomainPerBatch: false },
  // Capacity is kept per failure domain: an agents' batch never spans two.
  'mesos-agent': { oneDomainPerBatch: true },
  'app-server': { oneDomainPerBatch: false },
  database: { oneDomainPerBatch: false },
};

/** A role's batching, and its fixed hosts in flight, if any; a role read from marks that no table knows (hadoop) keeps neither. */
export function roleBatching(role: string | undefined): { oneDomainPerBatch: boolean; fixedMaxInFlight?: number } {
  if (role === undefined || !Object.hasOwn(ROLE_BATCHING, role)) return { oneDomainPerBatch: false };
  const fixed = ROLE_FACTS[role as Role].fixedMaxInFlight;
  return { ...ROLE_BATCHING[role as Role], ...(fixed === undefined ? {} : { fixedMaxInFlight: fixed }) };
}

/** Roles in the order their replacements roll: the quorum first, the data last. */
export const ROLLOUT_ROLE_ORDER: readonly string[] = ['mesos-master', 'mesos-agent', 'app-server', 'database', 'hadoop'];

const VM_ADDRESS = /^(vsphere_virtual_machine|aws_instance)\./;
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A group's rollout file in one tree, if it has one. */
export function rolloutFileOf(tree: Tree, group: string): RolloutFile | undefined {
  const text = tree.get(`rollout/${group}.json`);
  return text === undefined ? undefined : (JSON.parse(text) as RolloutFile);
}

/**
 * The VMs a reviewed diff takes down, with the facts the terraform kind gives them. Both the
 * review and apply (for every address the reviewed diff lists) read VMs this way, so the two
 * batch the same VMs by the same facts.
 */
export function downVms(changes: readonly TerraformChange[]): DownVm[] {
  return changes.filter((t) => VM_ADDRESS.test(t.address) && (t.action === 'replace' || t.action === 'delete')).map(downVmOf);
}

/** One reviewed VM change as the rule reads it. */
export function downVmOf(t: TerraformChange): DownVm {
  const host = t.host ?? t.address.slice(t.address.indexOf('.') + 1);
  return {
    address: t.address,
    host,
    group: t.group ?? host,
    ...(t.role ? { role: t.role } : {}),
    ...(t.failureDomain ? { failureDomain: t.failureDomain } : {}),
    destroyed: t.action === 'delete',
  };
}

/**
 * The batches in which the VMs `down` are taken down, in order. A group's policy and order come
 * from its rollout file in `after`, else in `before`: a group removed from the definition is
 * still taken down at the pace it declared (its agents one failure domain, its maxInFlight),
 * never all at once.
 */
export function vmBatches<T extends DownVm>(down: readonly T[], before: Tree, after: Tree): VmBatch<T>[] {
  const rank = (role: string | undefined) => {
    const i = role === undefined ? -1 : ROLLOUT_ROLE_ORDER.indexOf(role);
    return i < 0 ? ROLLOUT_ROLE_ORDER.length : i;
  };
  const groups = new Map<string, T[]>();
  for (const d of down) {
    const list = groups.get(d.group);
    if (list) list.push(d);
    else groups.set(d.group, [d]);
  }
  const out: VmBatch<T>[] = [];
  for (const [group, members] of [...groups].sort(([a, x], [b, y]) => rank(x[0].role) - rank(y[0].role) || cmp(a, b))) {
    const role = members[0].role;
    const file = rolloutFileOf(after, group) ?? rolloutFileOf(before, group);
    // By host name, not searched per host: a stemcell bump takes down thousands of one group's VMs.
    const fileHosts = new Map<string, { index: number; failureDomain?: string }>();
    (file?.batches ?? []).flatMap((b) => b.hosts).forEach((h, index) => { if (!fileHosts.has(h.host)) fileHosts.set(h.host, { index, failureDomain: h.failureDomain }); });
    const pos = (h: string) => fileHosts.get(h)?.index ?? fileHosts.size;
    const domainOf = (m: T) => m.failureDomain || fileHosts.get(m.host)?.failureDomain || '';
    const ms = [...members].sort((a, b) => pos(a.host) - pos(b.host) || cmp(a.host, b.host) || cmp(a.address, b.address));
    const { oneDomainPerBatch, fixedMaxInFlight } = roleBatching(role);
    const policy: BatchPolicy = {
      canaries: file?.update ? file.update.canaries : 1,
      // Without a file: agents a whole failure domain, everything else one at a time.
      maxInFlight: fixedMaxInFlight ?? file?.update?.maxInFlight ?? file?.batchSize ?? (oneDomainPerBatch ? Infinity : 1),
      oneDomainPerBatch,
    };
    for (const b of partitionBatches(ms, policy, domainOf)) {
      out.push({ group, ...(role ? { role } : {}), canary: b.canary, ...(b.domain ? { failureDomain: b.domain } : {}), members: b.members, ...(file ? { file } : {}) });
    }
  }
  return out;
}

/** How one group's hosts are cut into batches. */
export interface BatchPolicy {
  /** Taken down one at a time first. */
  canaries: number;
  /** Hosts per batch after the canaries (at least 1; Infinity: a whole failure domain). */
  maxInFlight: number;
  /** A batch never spans two failure domains (Mesos agents: capacity is kept per domain). */
  oneDomainPerBatch: boolean;
}

/**
 * The partition itself, on one group's hosts already in rollout order: the canaries one at a
 * time, then at most maxInFlight at a time; with oneDomainPerBatch, one run per failure domain
 * in the order the domains first appear. The rollout kind cuts its file with it and vmBatches
 * cuts the VMs a change takes down with it, so the file, the review and apply cannot disagree.
 */
export function partitionBatches<T>(ordered: readonly T[], policy: BatchPolicy, domainOf: (host: T) => string): { canary: boolean; domain: string; members: T[] }[] {
  const out: { canary: boolean; domain: string; members: T[] }[] = [];
  const inFlight = Math.max(1, Math.floor(policy.maxInFlight) || 1);
  const domain = (chunk: T[]) => (policy.oneDomainPerBatch ? domainOf(chunk[0]) : '');
  const canaries = ordered.slice(0, Math.max(0, Math.min(policy.canaries, ordered.length)));
  for (const m of canaries) out.push({ canary: true, domain: domain([m]), members: [m] });
  const runs = new Map<string, T[]>();
  // Each run grows in place (a copy per host made a group of n hosts cost n²/2 element copies).
  for (let i = canaries.length; i < ordered.length; i++) {
    const m = ordered[i];
    const key = policy.oneDomainPerBatch ? domainOf(m) : '';
    const run = runs.get(key);
    if (run) run.push(m);
    else runs.set(key, [m]);
  }
  for (const run of runs.values()) {
    for (let i = 0; i < run.length; i += inFlight) out.push({ canary: false, domain: domain([run[i]]), members: run.slice(i, i + inFlight) });
  }
  return out;
}
