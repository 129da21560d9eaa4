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
}

export type TerraformAction = 'create' | 'update' | 'replace' | 'delete';

export interface TerraformChange {
  /** Terraform address, e.g. "vsphere_virtual_machine.db-ledger-01". */
  address: string;
  action: TerraformAction;
  /** Why it is replaced (or updated), in plain words: "stemcell 3468.21 → 3468.22", "address (forces a new resource)". */
  reasons: string[];
  attributes: AttributeChange[];
  /** From the terraform kind's data-holding predicate, on the side that has the resource. */
  dataHolding: 'data' | 'stateful-vm' | 'none';
  /** Host group / failure domain of a VM, when the kind knows it (used for batching and risks). */
  group?: string;
  failureDomain?: string;
  role?: string;
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

export interface EnvironmentChanges {
  terraform: TerraformChange[];
  cloudInit: CloudInitChange[];
  marathon: MarathonChange[];
  hadoop: HadoopChange[];
  patches: PatchChange[];
  /** Inventory / parity summary lines. */
  summary: string[];
}

export interface EnvironmentDiff {
  name: string;
  /** sha256 of rendered/<env>/manifest.json at head (DESIGN §3 "Reviewed hash"); empty when head has no tree. */
  reviewedHash: string;
  counts: Record<string, number>;
  risks: Risk[];
  changes: EnvironmentChanges;
}
