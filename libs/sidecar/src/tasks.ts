// Which tasks of a Marathon app may receive connections, read from Marathon's own answers
// (raml/types/task.raml `Task`, healthCheck.raml `Health`, app.raml port definitions).

/** The parts of `GET /v2/apps/{id}` the sidecar reads. */
export interface MarathonAppInfo {
  id: string;
  portDefinitions?: { name?: string }[];
  container?: { portMappings?: { name?: string }[] | null; docker?: { portMappings?: { name?: string }[] | null } } | null;
  healthChecks?: unknown[];
}

/** The parts of a task of `GET /v2/apps/{id}/tasks` the sidecar reads. */
export interface MarathonTask {
  id: string;
  host: string;
  ports?: number[];
  state?: string;
  healthCheckResults?: { alive: boolean }[];
}

export interface Backend {
  host: string;
  port: number;
  taskId: string;
}

/**
 * The index of a port name among the app's ports, which is also its index in each task's
 * `ports` (host ports, in definition order). Bridge and container networking name ports in
 * `container.portMappings` (1.5+; `container.docker.portMappings` before), host networking in
 * `portDefinitions`. -1 when the app has no port of that name.
 */
export function portIndex(app: MarathonAppInfo, portName: string): number {
  const lists = [app.container?.portMappings, app.container?.docker?.portMappings, app.portDefinitions];
  for (const list of lists) {
    if (!Array.isArray(list) || list.length === 0) continue;
    const i = list.findIndex((p) => p.name === portName);
    if (i >= 0) return i;
  }
  return -1;
}

/**
 * A task serves when Mesos says it runs (`TASK_RUNNING`; `TASK_KILLING` is on its way out and
 * gets no new connections) and, where the app has health checks, every result is alive. A task
 * without results yet has not passed a check, so it waits, as Marathon-lb and Linkerd's namer do.
 */
export function isServing(task: MarathonTask, appHasHealthChecks: boolean): boolean {
  if (task.state !== 'TASK_RUNNING') return false;
  if (!appHasHealthChecks) return true;
  const results = task.healthCheckResults ?? [];
  return results.length > 0 && results.every((r) => r.alive === true);
}

/** The serving tasks' host:port of the named port, sorted so that logs and /backends are stable. */
export function healthyBackends(app: MarathonAppInfo, tasks: readonly MarathonTask[], portName: string): Backend[] | { error: string } {
  const index = portIndex(app, portName);
  if (index < 0) return { error: `app ${app.id} has no port named "${portName}"` };
  const checks = Array.isArray(app.healthChecks) && app.healthChecks.length > 0;
  const out: Backend[] = [];
  for (const t of tasks) {
    if (!isServing(t, checks)) continue;
    const port = t.ports?.[index];
    if (typeof port !== 'number' || port <= 0 || typeof t.host !== 'string' || t.host === '') continue;
    out.push({ host: t.host, port, taskId: t.id });
  }
  return out.sort((a, b) => (a.host === b.host ? a.port - b.port : a.host < b.host ? -1 : 1));
}

/** Mesos task states after which a task never serves again (mesos.proto TaskState). */
export const GONE_STATES: ReadonlySet<string> = new Set([
  'TASK_KILLING', 'TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_ERROR',
  'TASK_DROPPED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNREACHABLE', 'TASK_UNKNOWN',
]);
