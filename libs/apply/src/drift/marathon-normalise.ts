import type { FieldDrift } from './types';

// What Marathon fills in when an app is read back, so that a clean apply shows no drift. A GET
// returns the app with every default set (reference/mesosphere-marathon/schema/AppDefinition.json
// and the RAML types: backoff, upgrade and unreachable strategies, health check timings, docker
// flags, fetch flags, networks…), the service ports it assigned, the version it stamped, and the
// task counts of the moment. The comparison is therefore:
//   - every value the rendered file states must be there, equal (a changed value is drift);
//   - a key the rendered file leaves out may hold only Marathon's default for it (an env var or
//     label added by hand, a constraint, a changed default is drift);
//   - what Marathon owns is ignored: versions, task counts and tasks, deployments, the last
//     failure, the service ports and portDefinitions ports it assigned, the legacy `ports` mirror
//     and `role` (1.9+ sets it from the group).

/** Server-owned top-level fields, never compared. */
const OWNED = new Set(['version', 'versionInfo', 'tasksStaged', 'tasksRunning', 'tasksHealthy', 'tasksUnhealthy', 'deployments', 'tasks', 'lastTaskFailure', 'taskStats', 'readinessCheckResults', 'ports', 'role', 'uris']);

/** A value Marathon assigns (a service port): any live value is accepted when the rendering leaves it out or asks for 0. */
const ASSIGNED = Symbol('assigned');

/**
 * Marathon's defaults by path (array items as []): the live value of a key the rendering leaves
 * out must equal one of them. Two values where Marathon versions differ (maxLaunchDelaySeconds 300
 * → 3600 in 1.5; unreachableStrategy's defaults changed with it; 'disabled' is accepted too).
 */
const DEFAULTS: Record<string, unknown[] | typeof ASSIGNED> = {
  backoffFactor: [1.15], backoffSeconds: [1], maxLaunchDelaySeconds: [300, 3600], killSelection: ['YOUNGEST_FIRST'],
  requirePorts: [false], executor: [''], constraints: [[]], labels: [{}], env: [{}], dependencies: [[]],
  healthChecks: [[]], readinessChecks: [[]], fetch: [[]], storeUrls: [[]], secrets: [{}], instances: [1],
  cpus: [1], mem: [128], disk: [0], gpus: [0], cmd: [null], args: [null, []], user: [null],
  acceptedResourceRoles: [null, ['*']], ipAddress: [null], residency: [null], tty: [false], container: [null],
  networks: [[{ mode: 'host' }]],
  upgradeStrategy: [{ minimumHealthCapacity: 1, maximumOverCapacity: 1 }],
  'upgradeStrategy.minimumHealthCapacity': [1], 'upgradeStrategy.maximumOverCapacity': [1],
  unreachableStrategy: [{ inactiveAfterSeconds: 0, expungeAfterSeconds: 0 }, { inactiveAfterSeconds: 300, expungeAfterSeconds: 600 }, 'disabled'],
  executorResources: [{ cpus: 0.1, mem: 32, disk: 10 }],
  'container.volumes': [[]], 'container.docker.forcePullImage': [false], 'container.docker.privileged': [false],
  'container.docker.parameters': [[]], 'container.docker.network': ASSIGNED, 'container.portMappings': [[]],
  'container.portMappings[].hostPort': [0], 'container.portMappings[].protocol': ['tcp'], 'container.portMappings[].labels': [{}],
  'container.portMappings[].servicePort': ASSIGNED,
  'healthChecks[].delaySeconds': [15], 'healthChecks[].gracePeriodSeconds': [300], 'healthChecks[].intervalSeconds': [60],
  'healthChecks[].timeoutSeconds': [20], 'healthChecks[].maxConsecutiveFailures': [3], 'healthChecks[].ipProtocol': ['IPv4'],
  'healthChecks[].ignoreHttp1xx': [false], 'healthChecks[].path': ['/'], 'healthChecks[].portIndex': [0],
  'fetch[].extract': [true], 'fetch[].executable': [false], 'fetch[].cache': [false],
  'networks[].labels': [{}],
  'portDefinitions[].port': ASSIGNED, 'portDefinitions[].protocol': ['tcp'], 'portDefinitions[].labels': [{}], 'portDefinitions[].name': ASSIGNED,
};

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function stable(v: unknown): string {
  return JSON.stringify(v, (_, x) => (isObject(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x));
}

const same = (a: unknown, b: unknown) => stable(a) === stable(b);

/**
 * The fields in which the live app differs from the rendered one, after Marathon's defaults and
 * assigned values are set aside. Empty: no drift. Sorted by path.
 */
export function appDrift(rendered: Record<string, unknown>, live: Record<string, unknown>): FieldDrift[] {
  const out: FieldDrift[] = [];
  compareObject(rendered, live, '', '', out, true);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function compare(rendered: unknown, live: unknown, path: string, pattern: string, out: FieldDrift[]): void {
  const rule = DEFAULTS[pattern];
  if (rule === ASSIGNED && (rendered === 0 || rendered === undefined)) return;
  if (isObject(rendered) && isObject(live)) return compareObject(rendered, live, path, pattern, out, false);
  if (Array.isArray(rendered) && Array.isArray(live) && rendered.length === live.length) {
    rendered.forEach((item, i) => compare(item, live[i], `${path}[${i}]`, `${pattern}[]`, out));
    return;
  }
  if (!same(rendered, live)) out.push({ path, applied: rendered, live });
}

function compareObject(rendered: Record<string, unknown>, live: Record<string, unknown>, path: string, pattern: string, out: FieldDrift[], top: boolean): void {
  const join = (base: string, k: string) => (base ? `${base}.${k}` : k);
  for (const [k, v] of Object.entries(rendered)) {
    if (k === '//') continue;
    compare(v, live[k], join(path, k), join(pattern, k), out);
  }
  for (const [k, v] of Object.entries(live)) {
    if (k in rendered || (top && OWNED.has(k)) || v === undefined) continue;
    if (!isDefault(join(pattern, k), v)) out.push({ path: join(path, k), live: v });
  }
}

/** Whether `live`, at a key the rendering leaves out, is what Marathon would fill in there. */
function isDefault(pattern: string, live: unknown): boolean {
  const rule = DEFAULTS[pattern];
  if (rule === ASSIGNED) return true;
  if (rule && rule.some((d) => same(d, live))) return true;
  // Marathon gives an app without portDefinitions (host networking) one port it assigns.
  if (pattern === 'portDefinitions') return Array.isArray(live) && live.every((p) => isObject(p) && Object.entries(p).every(([k, v]) => isDefault(`portDefinitions[].${k}`, v)));
  // An object Marathon fills in whole (a strategy), whose every key is a default of its own.
  if (isObject(live) && !rule) return Object.keys(live).length > 0 && Object.entries(live).every(([k, v]) => DEFAULTS[`${pattern}.${k}`] !== undefined && isDefault(`${pattern}.${k}`, v));
  return false;
}
