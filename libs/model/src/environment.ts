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
  /**
   * DNS domains this environment serves to the public (not `network.domain`, the hosts' own):
   * every app's `expose.vhost` must be one of them or under one.
   */
  publicDomains?: string[];
  /**
   * Vault path prefix of this environment's secrets, e.g. "kv/staging": every secret of an app
   * must be under it, so one environment never reads another's.
   * @pattern ^[a-z0-9][a-z0-9_.-]*(/[a-z0-9][a-z0-9_.-]*)*$
   */
  secretPrefix?: string;
  sidecar: Sidecar;
  hadoop: HadoopCluster[];
  /** Set on environments derived from another one (disaster recovery). */
  derivedFrom?: { environment: string; exclusions: ParityExclusion[] };
}

/** Declares an environment; the type does the checking, `infra validate` the rest. */
export function defineEnvironment(env: Environment): Environment {
  return env;
}
