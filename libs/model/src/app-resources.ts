import type { MarathonApp, Sidecar } from './apps';

/** JVM apps find their dependencies themselves; every other app gets the discovery sidecar. */
export function needsSidecar(app: MarathonApp): boolean {
  return app.runtime !== 'jvm';
}

/** What one instance of an app asks Marathon for, in Marathon's units. */
export interface Resources {
  cpus: number;
  /** MiB */
  mem: number;
  /** MiB */
  disk: number;
}

/**
 * What one instance asks Marathon for. The sidecar runs in the app's container, so its cpus
 * and memory are part of the app's (it needs no disk of its own).
 */
export function instanceResources(app: MarathonApp, sidecar: Sidecar): Resources {
  if (!needsSidecar(app)) return { cpus: app.cpus, mem: app.mem, disk: app.disk };
  return { cpus: round3(app.cpus + sidecar.cpus), mem: round3(app.mem + sidecar.mem), disk: app.disk };
}

/** Rounds to thousandths, so that 0.1 + 0.2 renders as 0.3 (Marathon needs no finer cpus). */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
