import { downVmOf, roleBatching, vmBatches, type DownVm, type RolloutFile, type TerraformAction, type TerraformChange, type Tree } from '@infra/render';
import { roleGate } from './health-gate';
import type { Probe } from './host-probe';
import type { ApplyKinds } from './kinds';
import type { ResourceChange } from './terraform-runner';
import { inventoryOf, resourcesOf, vmFacts, VM_TYPES, type RenderedResource, type VmFacts } from './terraform-resources';

// The judgement of a full terraform plan (pure): what it does in the terms of the review, what
// the safety rules refuse (DESIGN §3), and the rollout of what it takes down in batches by
// failure domain, BOSH-style: a canary of one host first, then the rest.

export interface PlannedChange {
  address: string;
  type: string;
  action: TerraformAction;
}

/** The plan's actions other than no-op/read, in review terms (["delete","create"] is replace). */
export function plannedChanges(rcs: ResourceChange[]): PlannedChange[] {
  const out: PlannedChange[] = [];
  for (const rc of rcs) {
    const a = rc.change.actions.join(',');
    const action: TerraformAction | undefined =
      a === 'create' ? 'create' : a === 'update' ? 'update' : a === 'delete' ? 'delete'
        : a === 'delete,create' || a === 'create,delete' ? 'replace' : undefined;
    if (action) out.push({ address: rc.address, type: rc.type, action });
  }
  return out.sort((x, y) => (x.address < y.address ? -1 : x.address > y.address ? 1 : 0));
}

export interface Overrides {
  /** Addresses whose destruction was allowed: reviewed allowDestroy entries and --allow-destroy. */
  allowDestroy: string[];
  /** Addresses whose unreviewed action was allowed (--allow-unreviewed). */
  allowUnreviewed: string[];
}

/** The allowDestroy entries rendered into the environment's manifest by the definition. */
export function reviewedAllowDestroy(target: Tree): string[] {
  const text = target.get('manifest.json');
  if (!text) return [];
  const list = (JSON.parse(text) as { allowDestroy?: (string | { address: string })[] }).allowDestroy ?? [];
  return list.map((e) => (typeof e === 'string' ? e : e.address));
}

/**
 * Every refusal of the plan at once: a destroyed or replaced data-holding resource not allowed,
 * and an action the reviewed diff does not list (or lists as another action).
 */
export function refusals(env: string, planned: PlannedChange[], reviewed: TerraformChange[], base: Tree, target: Tree, kinds: ApplyKinds, overrides: Overrides): string[] {
  const out: string[] = [];
  const before = resourcesOf(base);
  const after = resourcesOf(target);
  const byAddress = new Map(reviewed.map((c) => [c.address, c]));
  for (const p of planned) {
    if (p.action === 'delete' || p.action === 'replace') {
      // The side that has the resource: a database removed from the definition is still known
      // from the tree it is removed from, where prevent_destroy can no longer protect it.
      const r = (p.action === 'delete' ? before.get(p.address) : after.get(p.address) ?? before.get(p.address));
      const holding = r ? kinds.dataHolding(r.type, r.body) : 'none';
      if (holding === 'data' && !overrides.allowDestroy.includes(p.address)) {
        out.push(`terraform: ${p.address} would be ${p.action === 'delete' ? 'destroyed' : 'replaced'}, and it holds data that would be lost. Nothing was applied. ` +
          `If that is intended, add { address: '${p.address}', reason: '…' } to allowDestroy in environments/${env} and merge it reviewed, ` +
          `or, by hand, run infra apply ${env} --allow-destroy ${p.address}.`);
      }
    }
    const r = byAddress.get(p.address);
    if ((!r || r.action !== p.action) && !overrides.allowUnreviewed.includes(p.address)) {
      out.push(`terraform: ${p.address} would be ${pastTense(p.action)}, ${r ? `but the reviewed diff shows it ${pastTense(r.action)}` : 'but the reviewed diff does not list it'}: ` +
        `a change made outside the tool? Nothing was applied. Run infra drift ${env} to see what differs; ` +
        `if applying the rendering over it is right, run infra apply ${env} --allow-unreviewed ${p.address}.`);
    }
  }
  return out;
}

function pastTense(a: TerraformAction): string {
  return { create: 'created', update: 'updated', replace: 'replaced', delete: 'destroyed' }[a];
}

export interface Batch {
  /** e.g. "mesos-agent-a rack-a (canary)", "changes that take no VM down". */
  name: string;
  addresses: string[];
  /** VMs the batch takes down (replaced, or destroyed: those never come back to be waited for). */
  hosts: (VmFacts & { destroyed?: true })[];
  canary: boolean;
  /** Health checks of the replaced servers, from the group's rollout file; probed by the gate. */
  probes?: Probe[];
  /** How long the batch may take to become healthy, from the group's update policy (capped by --deadline). */
  watchS?: number;
}

/** The rollout files of a tree, by group. */
export function rolloutFiles(tree: Tree): Map<string, RolloutFile> {
  const out = new Map<string, RolloutFile>();
  for (const [p, text] of tree) {
    if (!/^rollout\/[^/]+\.json$/.test(p)) continue;
    const file = JSON.parse(text) as RolloutFile;
    out.set(file.group, file);
  }
  return out;
}

/** A VM taken down, with apply's facts of it (the health gate reads role and hostname). */
interface Down extends DownVm {
  facts: VmFacts;
}

/**
 * The batches of a plan: first everything that takes no VM down (new VMs, updates, other
 * resources), then the VMs replaced or destroyed in the batches of libs/render's `vmBatches`,
 * the rule the review shows (canaries, maxInFlight, failure domains, from the groups' rollout
 * files). A resource that refers to a VM taken down (an attachment, a rule) goes with that VM.
 * A VM the reviewed diff lists is batched by the facts the review used; one it does not list
 * (allowed with --allow-unreviewed) by its own marks and the inventory.
 */
export function rollout(planned: PlannedChange[], base: Tree, target: Tree, kinds: Pick<ApplyKinds, 'vmMarks'>, reviewed: readonly TerraformChange[] = []): Batch[] {
  const before = resourcesOf(base);
  const after = resourcesOf(target);
  const inventory = new Map([...inventoryOf(base), ...inventoryOf(target)]);
  const reviewedBy = new Map(reviewed.map((c) => [c.address, c]));
  const down: Down[] = [];
  const rest: PlannedChange[] = [];
  for (const p of planned) {
    const r = after.get(p.address) ?? before.get(p.address);
    if (!(VM_TYPES.has(p.type) && (p.action === 'replace' || p.action === 'delete') && r)) {
      rest.push(p);
      continue;
    }
    const own = vmFacts(r, inventory, kinds, after.has(p.address) ? after : before);
    const listed = reviewedBy.get(p.address);
    const vm: DownVm = listed
      ? { ...downVmOf(listed), destroyed: p.action === 'delete' }
      : { address: p.address, host: own.hostname, group: own.group, role: own.role, ...(own.failureDomain ? { failureDomain: own.failureDomain } : {}), destroyed: p.action === 'delete' };
    down.push({ ...vm, facts: { hostname: vm.host, group: vm.group, role: vm.role ?? own.role, failureDomain: vm.failureDomain ?? own.failureDomain } });
  }
  const followers = new Map<string, string[]>();
  const first: string[] = [];
  for (const p of rest) {
    const r = after.get(p.address) ?? before.get(p.address);
    const vm = r && p.action !== 'create' && p.action !== 'update' ? down.find((d) => refersTo(r, d.address)) : undefined;
    if (vm) followers.set(vm.address, [...(followers.get(vm.address) ?? []), p.address]);
    else first.push(p.address);
  }
  const batches: Batch[] = [];
  if (first.length) batches.push({ name: 'changes that take no VM down', addresses: first, hosts: [], canary: false });
  for (const b of vmBatches(down, base, target)) {
    const hosts = b.members.map((m) => m.host).join(', ');
    const name = b.canary ? `${b.group}: ${hosts} (canary)`
      : roleBatching(b.role).oneDomainPerBatch ? `${b.group}: ${b.failureDomain || 'no failure domain'} (${hosts})`
        : `${b.group}: ${hosts}`;
    const file = b.file;
    const watch = file?.update ? (b.canary ? file.update.canaryWatchSeconds : file.update.updateWatchSeconds) : undefined;
    // A destroyed server comes back nowhere: only the replaced ones are probed.
    const probed = file?.health ? b.members.filter((m) => !m.destroyed) : [];
    batches.push({
      name, canary: b.canary,
      addresses: b.members.flatMap((m) => [m.address, ...(followers.get(m.address) ?? [])]).sort(cmp),
      hosts: b.members.map((m) => (m.destroyed ? { ...m.facts, destroyed: true as const } : m.facts)),
      ...(file?.health ? { probes: probed.map((m) => ({ host: m.host, address: addressIn(file, m.host), health: file.health! })) } : {}),
      ...(watch === undefined ? {} : { watchS: watch }),
    });
  }
  return batches;
}

function addressIn(file: RolloutFile, host: string): string {
  for (const b of file.batches ?? []) for (const h of b.hosts) if (h.host === host && h.address) return h.address;
  return host;
}

function refersTo(r: RenderedResource, vmAddress: string): boolean {
  return JSON.stringify(r.body).includes('${' + vmAddress + '.');
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A batch's own plan must be part of the full plan: the same addresses, the same actions, and
 * nothing else. Returns what differs.
 */
export function notInFullPlan(batch: PlannedChange[], full: PlannedChange[]): string[] {
  const fullBy = new Map(full.map((p) => [p.address, p.action]));
  return batch.filter((p) => fullBy.get(p.address) !== p.action).map((p) => `${p.address} (${p.action}${fullBy.has(p.address) ? `; the full plan: ${fullBy.get(p.address)}` : '; not in the full plan'})`);
}

/**
 * The Mesos agents that should be registered before a rollout starts: every agent of the target
 * that this plan does not create, replace or destroy. A resumed rollout whose last batch never
 * passed its gate waits here, instead of taking down the next failure domain.
 */
export function steadyAgents(planned: PlannedChange[], target: Tree, kinds: Pick<ApplyKinds, 'vmMarks'>): VmFacts[] {
  const moving = new Set(planned.map((p) => p.address));
  const inventory = inventoryOf(target);
  return [...resourcesOf(target).values()]
    .filter((r) => VM_TYPES.has(r.type) && !moving.has(r.address))
    .map((r) => vmFacts(r, inventory, kinds))
    .filter((f) => roleGate(f.role).registersWithMesos)
    .sort((a, b) => cmp(a.hostname, b.hostname));
}

/**
 * The health checks of the servers of a rolled group that this plan leaves alone: a resumed
 * rollout whose last batch never passed its gate waits on them here, instead of taking the
 * group's next server down while one already replaced is still unhealthy.
 */
export function steadyProbes(planned: PlannedChange[], target: Tree): Probe[] {
  const moving = new Set(planned.filter((p) => VM_TYPES.has(p.type)).map((p) => p.address.slice(p.address.indexOf('.') + 1)));
  const out: Probe[] = [];
  for (const file of [...rolloutFiles(target).values()].sort((a, b) => cmp(a.group, b.group))) {
    const hosts = (file.batches ?? []).flatMap((b) => b.hosts);
    if (!file.health || !hosts.some((h) => moving.has(h.host))) continue;
    for (const h of hosts) if (!moving.has(h.host)) out.push({ host: h.host, address: h.address ?? h.host, health: file.health });
  }
  return out;
}
