// What two renderings of one environment mean in the real world: the shape `infra diff` reports
// (DESIGN §3, "schema": "infra.diff/v1"), each kind's pure `diff` fills its part, review prints
// it and apply applies it. Shared here because review and apply both speak it and may not import
// each other or a generator.

/** One rendered file tree of an environment: path under rendered/<env>/ → content. */
export type Tree = ReadonlyMap<string, string>;

export interface AttributeChange {
  /** Dotted path inside the resource or app, e.g. "clone.customize.network_interface.ipv4_address". */
  path: string;
  before?: unknown;
  after?: unknown;
  /** For text values shown as a difference (decoded user-data): "+ line" / "- line", no base64. */
  lines?: string[];
}

export type TerraformAction = 'create' | 'update' | 'replace' | 'delete';

/**
 * What a rendered resource holds, as the terraform kind's data-holding predicate reads it (DESIGN
 * §3); apply and the review are handed the predicate and read its answer in these terms.
 */
export type DataHolding =
  /** Destroying or replacing it loses data: refused unless a reviewed allowDestroy names it. */
  | 'data'
  /**
   * A VM of a stateful role whose data is on a separate, kept disk, or the attachment of such a
   * disk: replacing it is a risk, not a loss.
   */
  | 'stateful-vm'
  /** Holds nothing that outlives it. */
  | 'none';

/** Who a rendered VM is, from its own marks (the terraform kind's reader, handed to apply by the cli). */
export interface VmMarks {
  /** Its hostname: the vSphere VM's name, the AWS instance's Name tag, else the resource name. */
  host: string;
  /** Its host group, or a Hadoop instance's cluster. */
  group?: string;
  role?: string;
  /** The rack it says it is in (a Hadoop instance), if any. */
  rack?: string;
  /** Where its data lives: own-disk, on-vm, rebuildable or none. */
  data?: string;
}

export interface TerraformChange {
  /** Terraform address, e.g. "vsphere_virtual_machine.db-ledger-01". */
  address: string;
  action: TerraformAction;
  /** Why it is replaced (or updated), in plain words: "stemcell 3468.21 → 3468.22", "address (forces a new resource)". */
  reasons: string[];
  attributes: AttributeChange[];
  /** From the terraform kind's data-holding predicate, on the side that has the resource. */
  dataHolding: DataHolding;
  /** Host group / failure domain of a VM, when the kind knows it (used for batching and risks). */
  group?: string;
  failureDomain?: string;
  role?: string;
  /** The host a VM resource is (its hostname), when it is one. */
  host?: string;
  /** The user-data bytes change while its decoded content does not (an encoding change). */
  encodingOnly?: boolean;
}

export interface MarathonChange {
  /** Marathon app id, e.g. "/payments/api". */
  id: string;
  action: 'create' | 'update' | 'delete';
  /** For an update: true when every task restarts (anything but instances changed), false when it only scales. */
  restarts: boolean;
  attributes: AttributeChange[];
  /** App ids this app depends on after the change (from the rendered file), for ordering. */
  dependsOn: string[];
  instancesBefore?: number;
  instancesAfter?: number;
}

export interface CloudInitChange {
  /** Host group whose user-data changes. */
  group: string;
  action: 'create' | 'update' | 'delete';
  /** Unified-diff lines of the decoded cloud-config ("+ …", "- …"). */
  lines: string[];
  /** Hosts of the group this reaches. */
  hosts: string[];
}

export interface HadoopChange {
  cluster: string;
  host: string;
  action: 'commission' | 'decommission' | 'recommission' | 'remove' | 'rack-move' | 'zookeeper-join' | 'zookeeper-leave' | 'regionserver-add' | 'regionserver-remove';
  detail?: string;
}

export interface PatchChange {
  group: string;
  /** Hosts reached, in the order they are patched. */
  hosts: string[];
  packages: { name: string; before?: string; after?: string }[];
  reboot: boolean;
}

export interface Risk {
  /** One of the closed list documented by libs/review (RISK_IDS). */
  id: string;
  severity: 'high' | 'medium';
  address: string;
  message: string;
}

/** One resource's capacity after losing the largest failure domain, before → after (from inventory.json). */
export interface CapacityChange {
  resource: string;
  unit: string;
  demandBefore: number;
  demandAfter: number;
  supplyAfterLossBefore: number;
  supplyAfterLossAfter: number;
  utilizationAfterLossBefore: number;
  utilizationAfterLossAfter: number;
  shortfallBefore: number;
  shortfallAfter: number;
  largestDomainAfter?: string;
}

/** What the inventory says changed, and the facts the risks need (from inventory.json). */
export interface InventoryChange {
  serversAdded: string[];
  serversRemoved: string[];
  /** Hostname → the facts that changed ("size: large → xlarge"). */
  serversChanged: { host: string; changes: string[] }[];
  appsAdded: string[];
  appsRemoved: string[];
  capacity: CapacityChange[];
  /** Dependencies with no provider after the change that had one before (or are new and have none). */
  unprovided: { app: string; dependency: string }[];
  /** Counts before the change, for "all of them at once" risks. */
  before: { byRole: Record<string, number>; agentsByDomain: Record<string, number> };
  /** Hostname → failure domain (rack or zone) of every Mesos agent, before and after. */
  agentDomains: Record<string, string>;
}

/** DR parity entries that were paired (or excused) and no longer are (from PARITY.json). */
export interface ParityChange {
  lost: { kind: string; name: string; before: string; after: string; note?: string }[];
  regained: { kind: string; name: string; before: string; after: string }[];
}

export interface EnvironmentChanges {
  terraform: TerraformChange[];
  cloudInit: CloudInitChange[];
  marathon: MarathonChange[];
  hadoop: HadoopChange[];
  patches: PatchChange[];
  /** Inventory / parity summary lines. */
  summary: string[];
  inventory?: InventoryChange;
  parity?: ParityChange;
}

/**
 * One output kind's pure reading of two renderings (DESIGN §5 "one home per output kind"). The
 * trees hold the files that differ between the two renderings plus the unchanged files some kind
 * `needs` (in both): a path absent from both is unchanged. A whole tree works as well.
 */
export interface KindDiff {
  kind: string;
  /**
   * Whether this kind needs an unchanged file (path relative to rendered/<env>/) to read the
   * changed ones, given every path that changed (e.g. the inventory for a group's hosts).
   */
  needs?(path: string, changed: ReadonlySet<string>): boolean;
  diff(before: Tree, after: Tree): Partial<EnvironmentChanges>;
}

/**
 * The lines that differ between two texts, as "- old" / "+ new", in order (a longest common
 * subsequence over lines; common lines are left out). The one way kinds show a text change.
 */
export function lineDiff(before: string, after: string): string[] {
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const b = after === '' ? [] : after.replace(/\n$/, '').split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  const x = a.slice(start, endA);
  const y = b.slice(start, endB);
  // Past a few million cells an LCS costs more than it tells: show removals then additions.
  if (x.length * y.length > 4_000_000) return [...x.map((l) => `- ${l}`), ...y.map((l) => `+ ${l}`)];
  const n = x.length;
  const m = y.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) { i++; j++; }
    else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) out.push(`- ${x[i++]}`);
    else out.push(`+ ${y[j++]}`);
  }
  return out;
}

export interface EnvironmentDiff {
  name: string;
  /** sha256 of rendered/<env>/manifest.json at head (DESIGN §3 "Reviewed hash"); empty when head has no tree. */
  reviewedHash: string;
  counts: Record<string, number>;
  risks: Risk[];
  changes: EnvironmentChanges;
  /** The batches `infra apply` takes down, group by group, when VMs are replaced or destroyed. */
  rollout?: RolloutGroup[];
}

/** One group's rollout as apply will take it (from rollout/<group>.json and the diff's domains). */
export interface RolloutGroup {
  group: string;
  role?: string;
  /** In order: the canaries one at a time, then at most maxInFlight (agents: within one failure domain). */
  batches: { hosts: string[]; canary: boolean; failureDomain?: string }[];
}
