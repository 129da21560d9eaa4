import * as http from 'node:http';
import { closeLoopback, listenLoopback } from '@infra/loopback';

// A Marathon on 127.0.0.1 for tests and the bench, following DESIGN §4 and Marathon's REST docs
// (reference/mesosphere-marathon/raml/apps.raml): PUT /v2/apps/{id}?partialUpdate=false answers
// 201 (created, the app with its deployments) or 200 {deploymentId, version}; a deployment is
// listed by GET /v2/deployments until it finishes (never, for an app made unhealthy); a PUT or
// DELETE on an app held by a deployment answers 409 listing it, unless ?force=true; GET fills
// in defaults. Faults are injected per request: 503 (leader election), 5xx, 422 with details,
// a connection reset before anything is done, and a lost reply (the change is made, then the
// connection is dropped). Test support only: no production module imports it.

export type Fault =
  | { kind: 'status'; status: number; body?: unknown }
  | { kind: 'reset' }
  | { kind: 'lost' }
  /** Someone else's deployment of the app starts just before this request (which then meets 409). */
  | { kind: 'hold'; ms: number };

interface Deployment {
  id: string;
  version: string;
  affectedApps: string[];
  /** When it finishes (ms since epoch), or Infinity. */
  finishAt: number;
  onFinish: () => void;
}

export interface LoopbackMarathonOptions {
  /** How long a deployment takes, ms. */
  deploymentMs?: number;
  /** Required credential: basic user/password or a token. */
  auth?: { username: string; password: string } | { token: string };
}

export interface RequestRecord {
  method: string;
  path: string;
  query: string;
  body?: Record<string, unknown>;
  at: number;
}

export class LoopbackMarathon {
  readonly apps = new Map<string, Record<string, unknown>>();
  readonly requests: RequestRecord[] = [];
  /** Apps whose tasks never become healthy: their deployments never finish. */
  readonly unhealthy = new Set<string>();
  deploymentMs: number;
  /** When each app's last deployment finished (ms since epoch). */
  readonly finishedAt = new Map<string, number>();
  /** The most deployments that were in progress at once. */
  maxConcurrent = 0;
  private readonly deployments = new Map<string, Deployment>();
  private readonly faults: { method: string; path: RegExp | string; fault: Fault; times: number }[] = [];
  private server?: http.Server;
  private counter = 0;
  url = '';

  constructor(private readonly options: LoopbackMarathonOptions = {}) {
    this.deploymentMs = options.deploymentMs ?? 0;
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 60_000;
    this.url = await listenLoopback(this.server);
    return this.url;
  }

  async stop(): Promise<void> {
    await closeLoopback(this.server);
  }

  /** The next `times` requests matching method and path meet `fault`. */
  inject(method: string, path: RegExp | string, fault: Fault, times = 1): void {
    this.faults.push({ method, path, fault, times });
  }

  /** PUTs received per app id. */
  puts(id: string): number {
    return this.requests.filter((r) => r.method === 'PUT' && r.path === `/v2/apps${id}`).length;
  }

  /** A deployment started by someone else (another operator, a scale), holding `appId`. */
  holdApp(appId: string, ms: number): string {
    return this.startDeployment([appId], ms, () => {});
  }

  /** The app becomes healthy: its deployments finish now. */
  heal(appId: string): void {
    this.unhealthy.delete(appId);
    for (const d of this.deployments.values()) if (d.affectedApps.includes(appId)) d.finishAt = Date.now();
  }

  /** Live deployments (what GET /v2/deployments lists). */
  liveDeployments(): string[] {
    this.expire();
    return [...this.deployments.keys()];
  }

  private nextVersion(): string {
    return new Date(Date.UTC(2026, 0, 1) + ++this.counter * 1000).toISOString();
  }

  private startDeployment(affectedApps: string[], ms: number, onFinish: () => void): string {
    const id = `d${String(++this.counter).padStart(6, '0')}-0000-4000-8000-000000000000`;
    this.expire();
    const finishAt = affectedApps.some((a) => this.unhealthy.has(a)) ? Infinity : Date.now() + ms;
    this.deployments.set(id, { id, version: this.nextVersion(), affectedApps, finishAt, onFinish });
    this.maxConcurrent = Math.max(this.maxConcurrent, this.deployments.size);
    return id;
  }

  private expire(): void {
    const now = Date.now();
    for (const d of [...this.deployments.values()]) {
      if (d.finishAt <= now) {
        this.deployments.delete(d.id);
        for (const app of d.affectedApps) this.finishedAt.set(app, d.finishAt);
        d.onFinish();
      }
    }
  }

  private holding(appId: string): Deployment[] {
    this.expire();
    return [...this.deployments.values()].filter((d) => d.affectedApps.includes(appId));
  }

  private authorized(req: http.IncomingMessage): boolean {
    const auth = this.options.auth;
    if (!auth) return true;
    const header = req.headers.authorization ?? '';
    if ('token' in auth) return header === `token=${auth.token}`;
    return header === 'Basic ' + Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const i = this.faults.findIndex((f) => f.method === method && (typeof f.path === 'string' ? f.path === path : f.path.test(path)));
    if (i < 0) return undefined;
    const f = this.faults[i];
    if (--f.times <= 0) this.faults.splice(i, 1);
    return f.fault;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const text = Buffer.concat(chunks).toString('utf8');
      const method = req.method ?? 'GET';
      let body: Record<string, unknown> | undefined;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        return send(res, 400, { message: 'Invalid JSON' });
      }
      this.requests.push({ method, path: url.pathname, query: url.search, body, at: Date.now() });
      if (!this.authorized(req)) return send(res, 401, { message: 'Unauthorized' });
      const fault = this.takeFault(method, url.pathname);
      if (fault?.kind === 'reset') return void req.socket.destroy();
      if (fault?.kind === 'hold') this.holdApp(url.pathname.slice('/v2/apps'.length), fault.ms);
      if (fault?.kind === 'status') return send(res, fault.status, fault.body ?? { message: fault.status === 503 ? 'Leader election in progress' : 'Internal error' });
      const answer = this.route(method, url, body);
      if (fault?.kind === 'lost') return void req.socket.destroy();
      send(res, answer.status, answer.body, answer.headers);
    });
  }

  private route(method: string, url: URL, body: Record<string, unknown> | undefined): { status: number; body: unknown; headers?: Record<string, string> } {
    const path = url.pathname;
    if (method === 'GET' && path === '/v2/deployments') {
      this.expire();
      return { status: 200, body: [...this.deployments.values()].map((d) => ({
        id: d.id, version: d.version, affectedApps: d.affectedApps, affectedPods: [],
        steps: [{ actions: d.affectedApps.map((app) => ({ action: 'RestartApplication', app })) }],
        currentActions: d.affectedApps.map((app) => ({ action: 'RestartApplication', app, readinessCheckResults: [] })),
        currentStep: 1, totalSteps: 1,
      })) };
    }
    if (method === 'GET' && path === '/v2/apps') {
      const selector = url.searchParams.get('label');
      const apps = [...this.apps.values()].filter((a) => !selector || matchesLabel(a, selector));
      return { status: 200, body: { apps: apps.map((a) => this.withDefaults(a)) } };
    }
    if (!path.startsWith('/v2/apps/')) return { status: 404, body: { message: `Not found: ${path}` } };
    const id = path.slice('/v2/apps'.length);
    const force = url.searchParams.get('force') === 'true';
    if (method === 'GET') {
      const app = this.apps.get(id);
      return app ? { status: 200, body: { app: this.withDefaults(app) } } : { status: 404, body: { message: `App '${id}' does not exist` } };
    }
    if (method === 'PUT') {
      if (url.searchParams.get('partialUpdate') !== 'false') return { status: 400, body: { message: 'this loopback Marathon only takes complete apps (partialUpdate=false)' } };
      const problems = invalid(id, body);
      if (problems.length) return { status: 422, body: { message: 'Object is not valid', details: problems } };
      const held = this.holding(id);
      if (held.length && !force) return this.locked(held);
      if (force) for (const d of held) this.deployments.delete(d.id);
      const existed = this.apps.has(id);
      const version = this.nextVersion();
      this.apps.set(id, { ...body!, id, version });
      const deploymentId = this.startDeployment([id], this.deploymentMs, () => {});
      if (existed) return { status: 200, body: { deploymentId, version }, headers: { 'marathon-deployment-id': deploymentId } };
      return { status: 201, body: { ...this.withDefaults(this.apps.get(id)!), deployments: [{ id: deploymentId }] }, headers: { 'marathon-deployment-id': deploymentId, location: `/v2/apps${id}` } };
    }
    if (method === 'DELETE') {
      if (!this.apps.has(id)) return { status: 404, body: { message: `App '${id}' does not exist` } };
      const held = this.holding(id);
      if (held.length && !force) return this.locked(held);
      this.apps.delete(id);
      const deploymentId = this.startDeployment([id], this.deploymentMs, () => {});
      return { status: 200, body: { deploymentId, version: this.nextVersion() }, headers: { 'marathon-deployment-id': deploymentId } };
    }
    return { status: 405, body: { message: 'Method not allowed' } };
  }

  private locked(held: Deployment[]) {
    return { status: 409, body: {
      message: `App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/<DEPLOYMENT_ID>'.`,
      deployments: held.map((d) => ({ id: d.id })),
    } };
  }

  /** The app as GET shows it: Marathon's defaults filled in, task counts from its deployment. */
  private withDefaults(app: Record<string, unknown>): Record<string, unknown> {
    const id = String(app.id);
    const instances = Number(app.instances ?? 1);
    const deploying = this.holding(id);
    const running = deploying.length ? 0 : instances;
    const healthy = this.unhealthy.has(id) ? 0 : Array.isArray(app.healthChecks) && app.healthChecks.length ? running : 0;
    const container = app.container as Record<string, unknown> | undefined;
    return {
      backoffFactor: 1.15, backoffSeconds: 1, maxLaunchDelaySeconds: 300, killSelection: 'YOUNGEST_FIRST',
      requirePorts: false, executor: '', constraints: [], labels: {}, env: {}, dependencies: [], healthChecks: [],
      ...app,
      container: container && {
        ...container,
        docker: { forcePullImage: false, privileged: false, parameters: [], ...(container.docker as object) },
        portMappings: ((container.portMappings ?? []) as Record<string, unknown>[]).map((p, i) => ({ servicePort: 10000 + i, labels: {}, ...p })),
      },
      instances,
      tasksStaged: 0, tasksRunning: this.unhealthy.has(id) ? instances : running, tasksHealthy: healthy, tasksUnhealthy: this.unhealthy.has(id) ? instances : 0,
      deployments: deploying.map((d) => ({ id: d.id })),
    };
  }
}

function matchesLabel(app: Record<string, unknown>, selector: string): boolean {
  const labels = (app.labels ?? {}) as Record<string, string>;
  const m = /^([^=!]+)(?:==(.*))?$/.exec(selector);
  if (!m) return false;
  return m[2] === undefined ? m[1] in labels : labels[m[1]] === m[2];
}

/** A few of Marathon's own validations, answered as 422 details per path. */
function invalid(id: string, body: Record<string, unknown> | undefined): { path: string; errors: string[] }[] {
  const out: { path: string; errors: string[] }[] = [];
  if (!body) return [{ path: '/', errors: ['error.expected.jsobject'] }];
  if (body.id !== undefined && body.id !== id) out.push({ path: '/id', errors: [`id in the body (${String(body.id)}) differs from the path (${id})`] });
  if (!/^(\/[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(id)) out.push({ path: '/id', errors: ['must be a lowercase path'] });
  if (body.cmd !== undefined && body.args !== undefined) out.push({ path: '/', errors: ['AppDefinition must either contain one of \'cmd\' or \'args\', and/or a \'container\'.'] });
  if (typeof body.cpus === 'number' && body.cpus < 0) out.push({ path: '/cpus', errors: ['error.min'] });
  for (const [k, v] of Object.entries((body.labels ?? {}) as Record<string, unknown>)) {
    if (typeof v !== 'string') out.push({ path: `/labels/${k}`, errors: ['error.expected.jsstring'] });
  }
  return out;
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
