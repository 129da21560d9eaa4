// The sidecar's interface: the command line it wraps and the environment variables the render
// puts into the app (generators/marathon/README.md has the contract). Parsing is pure (argv and
// env in, a Config or every problem out) so that each message is asserted in a test.

/** A dependency on a Marathon app: its healthy tasks' host:port of the named port. */
export interface MarathonDependency {
  kind: 'marathon';
  name: string;
  app: string;
  portName: string;
  localPort: number;
}

/**
 * A dependency on fixed addresses: a database (one), or an app still on an application-server
 * group (every server of the group, `hosts`: new connections are spread over them).
 */
export interface FixedDependency {
  kind: 'fixed';
  name: string;
  addresses: { host: string; port: number }[];
  localPort: number;
}

export type Dependency = MarathonDependency | FixedDependency;

export interface Config {
  /** Marathon base URLs, tried in order (a leader can change; any instance answers). */
  marathon: string[];
  deps: Dependency[];
  /** Status port (`/healthz`, `/backends`) on 127.0.0.1. */
  statusPort: number;
  /** How long the app waits for its dependencies before it starts anyway; 0 = no wait. */
  waitSeconds: number;
  /** Full resync of every dependency this often, whatever the event stream says. */
  resyncSeconds: number;
  auth: { kind: 'none' } | { kind: 'basic'; username: string; password: string } | { kind: 'token'; token: string };
  command: string[];
}

export type ParseResult =
  | { kind: 'run'; config: Config }
  | { kind: 'version' }
  | { kind: 'help' }
  | { kind: 'error'; problems: string[] };

export const USAGE = `usage: infra-sidecar [--] COMMAND [ARG…]
       infra-sidecar --version | --help

Resolves the app's dependencies through Marathon, serves each on a port of 127.0.0.1, then runs
COMMAND as its child (signals forwarded, its exit code returned).

  SIDECAR_MARATHON      Marathon URLs, comma-separated (needed when a dependency is a Marathon app)
  SIDECAR_DEPS          JSON list: {"name","app","portName","localPort"} for a Marathon app,
                        {"name","host","port","localPort"} for a fixed address,
                        {"name","hosts":["ip:port",…],"localPort"} for several
  SIDECAR_PORT          status port: GET /healthz, GET /backends (JSON)
  SIDECAR_WAIT_SECONDS  longest wait for the dependencies before COMMAND starts (0 = no wait; default 30)
  SIDECAR_RESYNC_SECONDS full resync period (default 30)
  MARATHON_USERNAME + MARATHON_PASSWORD, or MARATHON_TOKEN: Marathon credentials
  SIDECAR_V8_FLAGS      V8 flags of the single executable (default --no-opt: less memory)
`;

const NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const FIX = 'fix the app definition and render again, or set the variable by hand';

export function parseArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ParseResult {
  if (argv[0] === '--version' || argv[0] === '-v') return { kind: 'version' };
  if (argv[0] === '--help' || argv[0] === '-h') return { kind: 'help' };
  const command = argv[0] === '--' ? argv.slice(1) : [...argv];
  const problems: string[] = [];
  if (command.length === 0) problems.push('no COMMAND given: infra-sidecar [--] COMMAND [ARG…] (the app\'s own command line)');

  const deps = parseDeps(env.SIDECAR_DEPS, problems);
  const statusPort = parsePort('SIDECAR_PORT', env.SIDECAR_PORT, problems, true)!;
  const waitSeconds = parseSeconds('SIDECAR_WAIT_SECONDS', env.SIDECAR_WAIT_SECONDS, 30, problems);
  const resyncSeconds = parseSeconds('SIDECAR_RESYNC_SECONDS', env.SIDECAR_RESYNC_SECONDS, 30, problems);
  if (resyncSeconds === 0) problems.push('SIDECAR_RESYNC_SECONDS: must be more than 0');

  const marathon = (env.SIDECAR_MARATHON ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => s.replace(/\/+$/, ''));
  for (const url of marathon) {
    if (!/^https?:\/\/[^/]+/.test(url)) problems.push(`SIDECAR_MARATHON: "${url}" is not an http(s) URL: ${FIX}`);
  }
  if (marathon.length === 0 && deps.some((d) => d.kind === 'marathon')) {
    problems.push(`SIDECAR_MARATHON: not set, but SIDECAR_DEPS names Marathon apps: ${FIX}`);
  }

  const taken = new Map<number, string>();
  if (statusPort !== undefined) taken.set(statusPort, 'SIDECAR_PORT');
  for (const d of deps) {
    const other = taken.get(d.localPort);
    if (other !== undefined) problems.push(`SIDECAR_DEPS: ${d.name}: localPort ${d.localPort} is also ${other}: ${FIX}`);
    taken.set(d.localPort, `the localPort of ${d.name}`);
  }

  let auth: Config['auth'] = { kind: 'none' };
  if (env.MARATHON_TOKEN) auth = { kind: 'token', token: env.MARATHON_TOKEN };
  else if (env.MARATHON_USERNAME || env.MARATHON_PASSWORD) {
    if (!env.MARATHON_USERNAME || !env.MARATHON_PASSWORD) problems.push('MARATHON_USERNAME and MARATHON_PASSWORD: set both (basic auth) or neither');
    else auth = { kind: 'basic', username: env.MARATHON_USERNAME, password: env.MARATHON_PASSWORD };
  }

  if (problems.length > 0) return { kind: 'error', problems };
  return { kind: 'run', config: { marathon, deps, statusPort, waitSeconds, resyncSeconds, auth, command } };
}

function parseDeps(text: string | undefined, problems: string[]): Dependency[] {
  if (text === undefined || text.trim() === '') return [];
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch (err) {
    problems.push(`SIDECAR_DEPS: not JSON (${(err as Error).message}): ${FIX}`);
    return [];
  }
  if (!Array.isArray(list)) {
    problems.push(`SIDECAR_DEPS: must be a JSON list: ${FIX}`);
    return [];
  }
  const out: Dependency[] = [];
  const names = new Set<string>();
  list.forEach((raw, i) => {
    const at = `SIDECAR_DEPS[${i}]`;
    if (typeof raw !== 'object' || raw === null) {
      problems.push(`${at}: must be an object: ${FIX}`);
      return;
    }
    const d = raw as Record<string, unknown>;
    const before = problems.length;
    const name = typeof d.name === 'string' && NAME.test(d.name) ? d.name : undefined;
    if (name === undefined) problems.push(`${at}.name: ${JSON.stringify(d.name)} is not a name (lowercase letters, digits, dashes): ${FIX}`);
    else if (names.has(name)) problems.push(`${at}.name: "${name}" is listed twice: ${FIX}`);
    else names.add(name);
    const localPort = parsePort(`${at}.localPort`, d.localPort, problems, true);
    const isApp = 'app' in d;
    const isFixed = 'host' in d || 'hosts' in d;
    if (isApp === isFixed) {
      problems.push(`${at}: needs either "app" and "portName" (a Marathon app) or "host" and "port" (a fixed address): ${FIX}`);
      return;
    }
    if ('hosts' in d) {
      const list = Array.isArray(d.hosts) ? d.hosts : [];
      const addresses = list.map((h) => (typeof h === 'string' ? /^([^:\s]+):(\d{1,5})$/.exec(h) : null)).map((m) => (m && Number(m[2]) >= 1 && Number(m[2]) <= 65535 ? { host: m[1], port: Number(m[2]) } : undefined));
      if (list.length === 0 || addresses.some((a) => a === undefined)) problems.push(`${at}.hosts: ${JSON.stringify(d.hosts)} is not a list of "host:port": ${FIX}`);
      if (problems.length === before) out.push({ kind: 'fixed', name: name!, addresses: addresses as { host: string; port: number }[], localPort: localPort! });
      return;
    }
    if (isApp) {
      if (typeof d.app !== 'string' || !d.app.startsWith('/')) problems.push(`${at}.app: ${JSON.stringify(d.app)} is not a Marathon app id (e.g. "/customers/api"): ${FIX}`);
      if (typeof d.portName !== 'string' || d.portName === '') problems.push(`${at}.portName: ${JSON.stringify(d.portName)} is not a port name: ${FIX}`);
      if (problems.length === before) out.push({ kind: 'marathon', name: name!, app: d.app as string, portName: d.portName as string, localPort: localPort! });
    } else {
      if (typeof d.host !== 'string' || d.host === '') problems.push(`${at}.host: ${JSON.stringify(d.host)} is not a host: ${FIX}`);
      const port = parsePort(`${at}.port`, d.port, problems, true);
      if (problems.length === before) out.push({ kind: 'fixed', name: name!, addresses: [{ host: d.host as string, port: port! }], localPort: localPort! });
    }
  });
  return out;
}

function parsePort(what: string, value: unknown, problems: string[], required: boolean): number | undefined {
  if (value === undefined || value === '') {
    if (required) problems.push(`${what}: not set: ${FIX}`);
    return undefined;
  }
  const n = typeof value === 'number' ? value : /^\d+$/.test(String(value)) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    problems.push(`${what}: ${JSON.stringify(value)} is not a port (1-65535): ${FIX}`);
    return undefined;
  }
  return n;
}

function parseSeconds(what: string, value: string | undefined, fallback: number, problems: string[]): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+(\.\d+)?$/.test(value)) {
    problems.push(`${what}: "${value}" is not a number of seconds: ${FIX}`);
    return fallback;
  }
  return Number(value);
}

/** `customers-api` → `CUSTOMERS_API`: the prefix of the `_HOST`/`_PORT` variables the app reads. */
export function envPrefix(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}
