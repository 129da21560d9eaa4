// The shapes of `infra drift` (DESIGN §3): the live systems of one environment read back and
// compared with the rendering of the last commit applied to it. Its JSON envelope is infra diff's
// with "schema": "infra.drift/v1". Owned here; the cli prints it, the issue flow posts it.

export type SystemName = 'terraform' | 'marathon' | 'hadoop' | 'patches';
export const SYSTEMS: SystemName[] = ['terraform', 'marathon', 'hadoop', 'patches'];

/**
 * in-sync: read back, matches. drift: read back, differs. unreachable: could not be read (not
 * drift: no issue is opened for that alone). not-rendered: the environment has nothing of it.
 */
export type SystemStatus = 'in-sync' | 'drift' | 'unreachable' | 'not-rendered';

export interface SystemResult {
  status: SystemStatus;
  /** Why it is unreachable, or what was not compared. */
  notes: string[];
}

/** One value that differs: what the applied rendering says, and what the live system has. */
export interface FieldDrift {
  path: string;
  applied?: unknown;
  live?: unknown;
}

export interface TerraformDrift {
  address: string;
  /** update: changed outside the tool; delete: gone from the real world. */
  action: 'update' | 'delete';
  attributes: FieldDrift[];
}

export interface MarathonDrift {
  id: string;
  /** changed: fields differ; missing: rendered but not running; not-rendered: labelled MANAGED_BY but rendered/ no longer has it. */
  kind: 'changed' | 'missing' | 'not-rendered';
  fields: FieldDrift[];
}

export interface HadoopDrift {
  cluster: string;
  host: string;
  /** file: a host file differs from its rendering; namenode: the NameNode reports a host otherwise. */
  kind: 'file' | 'namenode';
  /** The host file (its path on the host), for kind file. */
  file?: string;
  /** Lines of the rendering the host lacks, and lines the host has that the rendering lacks. */
  missing?: string[];
  extra?: string[];
  /** For kind namenode: the DataNode, what the files say, what the NameNode reports. */
  datanode?: string;
  expected?: string;
  reported?: string;
}

export interface PatchDrift {
  group: string;
  host: string;
  package: string;
  expected: string;
  /** null: not installed. */
  installed: string | null;
}

export interface PendingChange {
  /** Path under rendered/<env>/. */
  path: string;
  change: 'added' | 'changed' | 'removed';
}

export interface EnvironmentDrift {
  name: string;
  /** drift wins over unreachable; never-applied: skipped with a note. */
  status: 'in-sync' | 'drift' | 'unreachable' | 'never-applied';
  applied?: { commit: string; at: string };
  notes: string[];
  systems: Record<SystemName, SystemResult>;
  counts: { terraform: number; marathon: number; hadoop: number; patches: number; unmanagedApps: number; pending: number };
  drift: { terraform: TerraformDrift[]; marathon: MarathonDrift[]; hadoop: HadoopDrift[]; patches: PatchDrift[] };
  /** Live apps without the MANAGED_BY label: listed apart, never drift, never touched. */
  unmanaged: string[];
  /** Merged but not applied: rendered/<env> at head against the applied commit. */
  pending: PendingChange[];
}

export interface DriftReport {
  schema: 'infra.drift/v1';
  /** The last commit applied (per environment; the envelope's base is the first environment's). */
  base: { ref: string; sha: string };
  head: { ref: string; sha: string };
  environments: EnvironmentDrift[];
}

/** Exit code of DESIGN §3: 0 none, 1 drift or unreachable. */
export function driftExit(report: DriftReport): 0 | 1 {
  return report.environments.some((e) => e.status === 'drift' || e.status === 'unreachable') ? 1 : 0;
}
