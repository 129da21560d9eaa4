import type { HostGroup } from './hosts';
import type { MarathonApp, Sidecar } from './apps';
import type { HadoopCluster } from './hadoop';
import type { Network } from './network';
import type { Site } from './site';
import type { Size } from './sizes';
import type { Stemcell } from './stemcell';

/** Something production has that a derived environment deliberately leaves out, and why. */
export interface ParityExclusion {
  kind: 'host' | 'app' | 'database' | 'hadoop-host';
  /** Host name, app id or database host name. */
  name: string;
  /** Why the copy does without it; shown in PARITY.md. */
  reason: string;
}

/** One environment of the datacenter: everything rendered under `rendered/<name>/`. */
export interface Environment {
  /**
   * Directory name under rendered/, e.g. "lenexa".
   * @pattern ^[a-z0-9][a-z0-9-]*$
   */
  name: string;
  description: string;
  site: Site;
  network: Network;
  stemcell: Stemcell;
  /** Named VM sizes that host groups refer to. */
  sizes: Record<string, Size>;
  hostGroups: HostGroup[];
  apps: MarathonApp[];
  sidecar: Sidecar;
  hadoop: HadoopCluster[];
  /** Set on environments derived from another one (disaster recovery). */
  derivedFrom?: { environment: string; exclusions: ParityExclusion[] };
}

/** Declares an environment; the type does the checking, `infra validate` the rest. */
export function defineEnvironment(env: Environment): Environment {
  return env;
}
