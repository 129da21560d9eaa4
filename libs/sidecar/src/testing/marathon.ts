// Test support (imported only by tests, the bench and the CLI beside it): a loopback Marathon
// that answers as Marathon 1.6 documents (raml/types/task.raml, app.raml; /v2/events as
// Server-Sent Events with `event_type` filtering, docs/event-bus.md; event payloads from
// MarathonEvent.scala: status_update_event, instance_health_changed_event), faults included:
// it can drop its event streams, answer 503 as during a leader election, or go away entirely.
// A small control API under /_loopback/ lets a person (the README) or a bench move tasks.
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface FakeApp {
  id: string;
  ports: string[];
  /** Whether the app has health checks (then tasks serve only with every result alive). */
  healthChecks: boolean;
  /** Host networking: names in portDefinitions instead of container.portMappings. */
  hostNetworking?: boolean;
}

export interface FakeTask {
  id: string;
  appId: string;
  host: string;
  ports: number[];
  state: string;
  /** undefined: no result yet; otherwise one result per health check. */
  alive?: boolean[];
}

export interface LoopbackMarathonOptions {
  port?: number;
  /** Require basic auth (`user:password`) or a token (`token=…`, DC/OS style). */
  auth?: { username: string; password: string } | { token: string };
  /** Serve HTTPS with this key and certificate (PEM), as a Marathon started with --ssl_keystore_path does. */
  tls?: { key: string; cert: string };
}

export class LoopbackMarathon {
  readonly apps = new Map<string, FakeApp>();
  readonly tasks = new Map<string, FakeTask>();
  /** Every request's method and URL, in order. */
  readonly requests: string[] = [];
  /** When set, every API answer is this status (503 = no leader). */
  failWith?: number;
  private server?: http.Server;
  private streams = new Set<{ res: http.ServerResponse; types: string[] | undefined }>();
  private sockets = new Set<import('node:net').Socket>();
  private seq = 0;
  port = 0;

  constructor(private readonly options: LoopbackMarathonOptions = {}) {}

  get url(): string {
    return `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => this.handle(req, res);
    const server: http.Server = this.options.tls ? https.createServer(this.options.tls, handler) : http.createServer(handler);
    server.on('connection', (s) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port || this.options.port || 0, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  /** Goes away: the port refuses connections until start() again (same port). */
  async stop(): Promise<void> {
    for (const s of this.streams) s.res.destroy();
    this.streams.clear();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  /** Cuts every attached event stream (as a Marathon restart or a proxy timeout does). */
  dropStreams(): void {
    for (const s of this.streams) s.res.destroy();
    this.streams.clear();
  }

  get attachedStreams(): number {
    return this.streams.size;
  }

  addApp(app: FakeApp): void {
    this.apps.set(app.id, app);
  }

  /** Stages and runs a task; emits status_update_event (and health when `alive` is given). */
  runTask(appId: string, host: string, ports: number[], alive?: boolean[]): FakeTask {
    const id = `${appId.replace(/^\//, '').replace(/\//g, '_')}.marathon-${String(++this.seq).padStart(4, '0')}`;
    const task: FakeTask = { id, appId, host, ports, state: 'TASK_RUNNING', alive };
    this.tasks.set(id, task);
    this.emitStatus(task);
    if (alive !== undefined) this.emitHealth(task);
    return task;
  }

  setHealth(taskId: string, alive: boolean[]): void {
    const task = this.mustGet(taskId);
    task.alive = alive;
    this.emitHealth(task);
  }

  /** Kills a task as Marathon does: TASK_KILLING, then TASK_KILLED and gone from the list. */
  killTask(taskId: string): void {
    const task = this.mustGet(taskId);
    task.state = 'TASK_KILLING';
    this.emitStatus(task);
    task.state = 'TASK_KILLED';
    this.tasks.delete(taskId);
    this.emitStatus(task);
  }

  private mustGet(taskId: string): FakeTask {
    const t = this.tasks.get(taskId);
    if (!t) throw new Error(`no task ${taskId}`);
    return t;
  }

  private emit(type: string, payload: object): void {
    const data = JSON.stringify({ ...payload, eventType: type, timestamp: new Date().toISOString() });
    for (const s of this.streams) {
      if (s.types && !s.types.includes(type)) continue;
      s.res.write(`event: ${type}\ndata: ${data}\n\n`);
    }
  }

  private emitStatus(t: FakeTask): void {
    this.emit('status_update_event', {
      slaveId: `agent-${t.host}`, taskId: t.id, taskStatus: t.state, message: '', appId: t.appId, host: t.host,
      ipAddresses: [{ ipAddress: '172.17.0.2', protocol: 'IPv4' }], ports: t.ports, version: '2026-01-01T00:00:00.000Z',
    });
  }

  private emitHealth(t: FakeTask): void {
    this.emit('instance_health_changed_event', {
      instanceId: t.id, runSpecId: t.appId, healthy: (t.alive ?? []).every((a) => a), runSpecVersion: '2026-01-01T00:00:00.000Z',
    });
  }

  appJson(app: FakeApp): object {
    const ports = app.ports.map((name, i) => ({ name, containerPort: 8080 + i, hostPort: 0, protocol: 'tcp', labels: {} }));
    return {
      id: app.id,
      instances: [...this.tasks.values()].filter((t) => t.appId === app.id).length,
      cpus: 0.1,
      mem: 128,
      ...(app.hostNetworking
        ? { portDefinitions: app.ports.map((name, i) => ({ name, port: 10000 + i, protocol: 'tcp', labels: {} })), networks: [{ mode: 'host' }] }
        : { container: { type: 'DOCKER', docker: { image: 'x:1' }, portMappings: ports }, networks: [{ mode: 'container/bridge' }] }),
      healthChecks: app.healthChecks ? [{ protocol: 'MESOS_HTTP', path: '/health', portIndex: 0, gracePeriodSeconds: 300, intervalSeconds: 60, timeoutSeconds: 20, maxConsecutiveFailures: 3 }] : [],
    };
  }

  taskJson(t: FakeTask): object {
    return {
      id: t.id, appId: t.appId, host: t.host, ports: t.ports, servicePorts: [], slaveId: `agent-${t.host}`, state: t.state,
      stagedAt: '2026-01-01T00:00:00.000Z', startedAt: '2026-01-01T00:00:01.000Z', version: '2026-01-01T00:00:00.000Z',
      ipAddresses: [{ ipAddress: '172.17.0.2', protocol: 'IPv4' }], role: '*',
      ...(t.alive === undefined ? {} : {
        healthCheckResults: t.alive.map((alive) => ({ alive, consecutiveFailures: alive ? 0 : 1, instanceId: t.id, firstSuccess: '2026-01-01T00:00:02.000Z' })),
      }),
    };
  }

  private authorized(req: http.IncomingMessage): boolean {
    const a = this.options.auth;
    if (!a) return true;
    const h = req.headers.authorization ?? '';
    if ('token' in a) return h === `token=${a.token}`;
    return h === `Basic ${Buffer.from(`${a.username}:${a.password}`).toString('base64')}`;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.requests.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname.startsWith('/_loopback/')) return this.control(req, url, json);
    if (this.failWith !== undefined) return json(this.failWith, { message: 'Could not determine the current leader' });
    if (!this.authorized(req)) return json(401, { message: 'Invalid username or password.' });
    if (url.pathname === '/v2/events') {
      const types = url.searchParams.getAll('event_type');
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const entry = { res, types: types.length > 0 ? types : undefined };
      this.streams.add(entry);
      res.on('close', () => this.streams.delete(entry));
      if (!entry.types || entry.types.includes('event_stream_attached')) {
        res.write(`event: event_stream_attached\ndata: ${JSON.stringify({ remoteAddress: '127.0.0.1', eventType: 'event_stream_attached', timestamp: new Date().toISOString() })}\n\n`);
      } else res.write(': attached\n\n');
      return;
    }
    const m = /^\/v2\/apps(\/.+?)(\/tasks)?$/.exec(url.pathname);
    if (req.method === 'GET' && m) {
      const app = this.apps.get(decodeURIComponent(m[1]));
      if (!app) return json(404, { message: `App '${decodeURIComponent(m[1])}' does not exist` });
      if (m[2]) return json(200, { tasks: [...this.tasks.values()].filter((t) => t.appId === app.id).map((t) => this.taskJson(t)) });
      return json(200, { app: this.appJson(app) });
    }
    json(404, { message: 'not found' });
  }

  /** The control API: POST /_loopback/apps {id,ports,healthChecks}; POST /_loopback/tasks {appId,host,ports,alive}; DELETE /_loopback/tasks/{id}; POST /_loopback/drop-streams. */
  private control(req: http.IncomingMessage, url: URL, json: (code: number, body: unknown) => void): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
        const path = url.pathname.slice('/_loopback'.length);
        if (req.method === 'GET' && path === '/tasks') return json(200, [...this.tasks.values()]);
        if (req.method === 'POST' && path === '/apps') {
          this.addApp({ id: body.id, ports: body.ports ?? ['http'], healthChecks: body.healthChecks ?? false });
          return json(201, this.apps.get(body.id));
        }
        if (req.method === 'POST' && path === '/tasks') {
          if (!this.apps.has(body.appId)) return json(404, { message: `no app ${body.appId}: POST /_loopback/apps first` });
          return json(201, this.runTask(body.appId, body.host ?? '127.0.0.1', body.ports, body.alive));
        }
        const kill = /^\/tasks\/(.+)$/.exec(path);
        if (req.method === 'DELETE' && kill) {
          this.killTask(decodeURIComponent(kill[1]));
          return json(200, { killed: decodeURIComponent(kill[1]) });
        }
        if (req.method === 'POST' && path === '/drop-streams') {
          this.dropStreams();
          return json(200, { dropped: true });
        }
        json(404, { message: 'unknown control path' });
      } catch (err) {
        json(400, { message: (err as Error).message });
      }
    });
  }
}
