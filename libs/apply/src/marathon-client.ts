import { DEFAULT_BACKOFF, backoffDelay, sleep, type Backoff } from './backoff';
import { ConnectionError, parseJson, request, type HttpResponse } from './http';
import { Refused, StepFailed } from './errors';

// Marathon's REST API as DESIGN §4 describes it: a complete app is PUT with
// partialUpdate=false (PUT merges by default); the answer names a deployment, which is finished
// when its id leaves GET /v2/deployments; 409 means other deployments hold the app; 503 happens
// during leader election; a reply can be lost after the change was made.

export type AppJson = Record<string, unknown> & { id: string };

/** The marker of DESIGN §3 every rendered app carries; deletions and drift touch only such apps. */
export const MANAGED_BY = { label: 'MANAGED_BY', value: 'infra' } as const;

export interface Deployment {
  id: string;
  affectedApps: string[];
}

export interface MarathonConfig {
  url: string;
  username?: string;
  password?: string;
  token?: string;
  /** How often a wait polls /v2/deployments. */
  pollMs?: number;
  /** A waiting app prints what it waits for this often. */
  progressMs?: number;
  backoff?: Backoff;
  requestTimeoutMs?: number;
  /** Only when the operator asked (--force): override the deployments that hold an app. */
  force?: boolean;
  log?: (line: string) => void;
  random?: () => number;
}

/** The Marathon of the environment from the environment variables of DESIGN §3, if any. */
export function marathonConfigFromEnv(env: NodeJS.ProcessEnv): MarathonConfig | undefined {
  if (!env.INFRA_MARATHON_URL) return undefined;
  return { url: env.INFRA_MARATHON_URL, username: env.MARATHON_USERNAME, password: env.MARATHON_PASSWORD, token: env.MARATHON_TOKEN };
}

export interface TaskCounts {
  instances: number;
  tasksRunning: number;
  tasksHealthy: number;
  /** Whether the app has health checks (without them, running is the best Marathon can say). */
  healthChecked: boolean;
}

export class MarathonClient {
  private readonly base: URL;
  private readonly headers: Record<string, string>;
  private readonly pollMs: number;
  private readonly progressMs: number;
  private readonly backoff: Backoff;
  private readonly log: (line: string) => void;
  private readonly random: () => number;

  constructor(private readonly config: MarathonConfig) {
    this.base = new URL(config.url.endsWith('/') ? config.url : config.url + '/');
    this.headers = {};
    if (config.token) this.headers.authorization = `token=${config.token}`;
    else if (config.username !== undefined) this.headers.authorization = 'Basic ' + Buffer.from(`${config.username}:${config.password ?? ''}`).toString('base64');
    this.pollMs = config.pollMs ?? 1000;
    this.progressMs = config.progressMs ?? 10_000;
    this.backoff = config.backoff ?? DEFAULT_BACKOFF;
    this.log = config.log ?? (() => {});
    this.random = config.random ?? Math.random;
  }

  private url(path: string): URL {
    return new URL(path.replace(/^\//, ''), this.base);
  }

  private async call(method: string, path: string, body?: unknown): Promise<HttpResponse> {
    const res = await request(method, this.url(path), this.headers, body === undefined ? undefined : JSON.stringify(body), this.config.requestTimeoutMs);
    if (res.status === 401 || res.status === 403) {
      throw new StepFailed(`Marathon at ${this.config.url} answered ${res.status} to ${method} ${path}: set MARATHON_USERNAME and MARATHON_PASSWORD (basic auth) or MARATHON_TOKEN to a credential that may deploy, and run again.`);
    }
    return res;
  }

  /** A read, retried through leader elections, 5xx and dropped connections. */
  private async read(path: string, deadlineAt?: number): Promise<HttpResponse> {
    for (let attempt = 1; ; attempt++) {
      let transient: string;
      try {
        const res = await this.call('GET', path);
        if (res.status < 500) return res;
        transient = `${res.status} ${res.body.slice(0, 200)}`;
      } catch (err) {
        if (!(err instanceof ConnectionError)) throw err;
        transient = err.message;
      }
      if (attempt >= this.backoff.attempts || (deadlineAt !== undefined && Date.now() >= deadlineAt)) {
        throw new StepFailed(`Marathon at ${this.config.url} did not answer GET ${path} after ${attempt} attempts (last: ${transient}): check that it is reachable and has a leader, then run again.`);
      }
      await sleep(backoffDelay(this.backoff, attempt, this.random));
    }
  }

  async deployments(deadlineAt?: number): Promise<Deployment[]> {
    const res = await this.read('/v2/deployments', deadlineAt);
    const list = parseJson(res);
    if (res.status !== 200 || !Array.isArray(list)) throw new StepFailed(`Marathon answered ${res.status} to GET /v2/deployments: ${res.body.slice(0, 200)}`);
    return list.map((d: { id: string; affectedApps?: string[] }) => ({ id: d.id, affectedApps: d.affectedApps ?? [] }));
  }

  /** The live app (with Marathon's defaults filled in), or undefined when there is none. */
  async getApp(id: string, deadlineAt?: number): Promise<Record<string, unknown> | undefined> {
    const res = await this.read(`/v2/apps${id}`, deadlineAt);
    if (res.status === 404) return undefined;
    const body = parseJson(res) as { app?: Record<string, unknown> } | undefined;
    if (res.status !== 200 || !body?.app) throw new StepFailed(`Marathon answered ${res.status} to GET /v2/apps${id}: ${res.body.slice(0, 200)}`);
    return body.app;
  }

  /** Every app Marathon runs (with task counts). */
  async listApps(): Promise<Record<string, unknown>[]> {
    const res = await this.read('/v2/apps');
    const body = parseJson(res) as { apps?: Record<string, unknown>[] } | undefined;
    if (res.status !== 200 || !body?.apps) throw new StepFailed(`Marathon answered ${res.status} to GET /v2/apps: ${res.body.slice(0, 200)}`);
    return body.apps;
  }

  async taskCounts(id: string): Promise<TaskCounts | undefined> {
    const app = await this.getApp(id).catch(() => undefined);
    return app ? countsOf(app) : undefined;
  }

  /**
   * Waits until none of `ids` is listed in /v2/deployments, or fails at `deadlineAt` naming the
   * app and its healthy/running task counts.
   */
  async waitForDeployments(appId: string, ids: string[], deadlineAt: number): Promise<void> {
    let pending = new Set(ids);
    let lastProgress = Date.now();
    while (pending.size > 0) {
      const live = new Set((await this.deployments(deadlineAt)).map((d) => d.id));
      pending = new Set([...pending].filter((id) => live.has(id)));
      if (pending.size === 0) return;
      const now = Date.now();
      if (now >= deadlineAt) {
        const c = await this.taskCounts(appId);
        const counts = c ? `${c.tasksHealthy}/${c.instances} tasks healthy, ${c.tasksRunning} running` : 'task counts unknown';
        throw new StepFailed(`marathon: ${appId}: deployment ${[...pending].join(', ')} did not finish within its deadline (${counts}). Nothing after it was started. Look at the app in Marathon (an unhealthy app never finishes its deployment), fix it, and run infra apply again: it resumes here.`);
      }
      if (now - lastProgress >= this.progressMs) {
        lastProgress = now;
        const c = await this.taskCounts(appId);
        this.log(`marathon: ${appId}: waiting for deployment ${[...pending].join(', ')}${c ? ` (healthy ${c.tasksHealthy}/${c.instances}, running ${c.tasksRunning})` : ''}, ${Math.ceil((deadlineAt - now) / 1000)} s left`);
      }
      await sleep(Math.min(this.pollMs, Math.max(1, deadlineAt - now)));
    }
  }

  /**
   * Whether the live app is already `app`, with no deployment holding it (a resumed apply skips
   * it). Stricter than sameApp: labels, env, constraints and dependencies must match as wholes,
   * since a key removed from the rendering would otherwise look applied.
   */
  async isLive(app: AppJson, deadlineAt: number): Promise<boolean> {
    const live = await this.getApp(app.id, deadlineAt);
    if (!live || !sameApp(app, live)) return false;
    for (const key of ['labels', 'env', 'constraints', 'dependencies', 'healthChecks']) {
      if (JSON.stringify(sorted(app[key] ?? null)) !== JSON.stringify(sorted(app[key] === undefined ? null : live[key] ?? null))) return false;
    }
    return !(await this.deployments(deadlineAt)).some((d) => d.affectedApps.includes(app.id));
  }

  /**
   * Makes the live app exactly `app` and waits for its deployment. Returns how many PUTs were sent.
   */
  async deploy(app: AppJson, deadlineAt: number): Promise<{ puts: number }> {
    assertManaged(app);
    let puts = 0;
    let failures = 0;
    let maybeApplied = false;
    let force = false;
    for (;;) {
      if (maybeApplied) {
        // The last PUT's answer was lost: the change may have been made. Sending it again would
        // start a second deployment (and meet 409); look first.
        const live = await this.getApp(app.id, deadlineAt);
        if (live && sameApp(app, live)) {
          const holding = (await this.deployments(deadlineAt)).filter((d) => d.affectedApps.includes(app.id)).map((d) => d.id);
          this.log(`marathon: ${app.id}: the answer was lost but the app is what was sent${holding.length ? `; waiting for ${holding.join(', ')}` : ''}`);
          await this.waitForDeployments(app.id, holding, deadlineAt);
          return { puts };
        }
        maybeApplied = false;
      }
      let res: HttpResponse;
      try {
        puts++;
        res = await this.call('PUT', `/v2/apps${app.id}?partialUpdate=false${force ? '&force=true' : ''}`, app);
      } catch (err) {
        if (!(err instanceof ConnectionError)) throw err;
        maybeApplied = true;
        await this.transient(app.id, `${err.message}`, ++failures, deadlineAt);
        continue;
      }
      force = false;
      const body = parseJson(res) as Record<string, unknown> | undefined;
      if (res.status === 200 || res.status === 201) {
        const id = deploymentIdOf(res, body);
        if (id) await this.waitForDeployments(app.id, [id], deadlineAt);
        return { puts };
      }
      if (res.status === 409) {
        const blocking = ((body?.deployments ?? []) as { id: string }[]).map((d) => d.id);
        if (this.config.force) {
          this.log(`marathon: ${app.id}: held by ${blocking.join(', ') || 'a deployment'}; overriding it (--force)`);
          force = true;
          continue;
        }
        this.log(`marathon: ${app.id}: held by deployment ${blocking.join(', ') || '(unnamed)'}; waiting for it to finish`);
        if (blocking.length) await this.waitForDeployments(app.id, blocking, deadlineAt);
        else await this.transient(app.id, '409 without deployments', ++failures, deadlineAt);
        continue;
      }
      if (res.status === 422 || res.status === 400) {
        const details = ((body?.details ?? []) as { path?: string; errors?: string[] }[])
          .map((d) => `  ${d.path ?? '/'}: ${(d.errors ?? []).join('; ')}`);
        throw new StepFailed(`marathon: ${app.id}: Marathon refused the app (${res.status} ${String(body?.message ?? '')}):\n${details.join('\n')}\nThe rendered file is not what this Marathon accepts: fix the definition, render, and merge the fix.`);
      }
      if (res.status >= 500) {
        // 503 during a leader election; other 5xx may be passing too. The PUT was not accepted.
        await this.transient(app.id, `${res.status} ${res.body.slice(0, 200)}`, ++failures, deadlineAt);
        continue;
      }
      throw new StepFailed(`marathon: ${app.id}: unexpected answer ${res.status} to PUT: ${res.body.slice(0, 300)}`);
    }
  }

  /**
   * Deletes a live app that carries the MANAGED_BY label (an app started by hand is never
   * deleted) and waits for the deployment that stops it.
   */
  async remove(id: string, deadlineAt: number): Promise<'deleted' | 'absent' | 'unmanaged'> {
    let failures = 0;
    for (;;) {
      const live = await this.getApp(id, deadlineAt);
      if (!live) {
        // Gone (perhaps by a DELETE whose answer was lost): wait for what still stops its tasks.
        const holding = (await this.deployments(deadlineAt)).filter((d) => d.affectedApps.includes(id)).map((d) => d.id);
        await this.waitForDeployments(id, holding, deadlineAt);
        return failures ? 'deleted' : 'absent';
      }
      const labels = (live.labels ?? {}) as Record<string, string>;
      if (labels[MANAGED_BY.label] !== MANAGED_BY.value) return 'unmanaged';
      let res: HttpResponse;
      try {
        res = await this.call('DELETE', `/v2/apps${id}${this.config.force ? '?force=true' : ''}`);
      } catch (err) {
        if (!(err instanceof ConnectionError)) throw err;
        await this.transient(id, err.message, ++failures, deadlineAt);
        continue;
      }
      const body = parseJson(res) as Record<string, unknown> | undefined;
      if (res.status === 200 || res.status === 202) {
        const dep = deploymentIdOf(res, body);
        if (dep) await this.waitForDeployments(id, [dep], deadlineAt);
        return 'deleted';
      }
      if (res.status === 404) return 'absent';
      if (res.status === 409) {
        const blocking = ((body?.deployments ?? []) as { id: string }[]).map((d) => d.id);
        this.log(`marathon: ${id}: held by deployment ${blocking.join(', ')}; waiting for it to finish`);
        await this.waitForDeployments(id, blocking, deadlineAt);
        continue;
      }
      if (res.status >= 500) {
        await this.transient(id, `${res.status} ${res.body.slice(0, 200)}`, ++failures, deadlineAt);
        continue;
      }
      throw new StepFailed(`marathon: ${id}: unexpected answer ${res.status} to DELETE: ${res.body.slice(0, 300)}`);
    }
  }

  private async transient(appId: string, what: string, failures: number, deadlineAt: number): Promise<void> {
    if (failures >= this.backoff.attempts || Date.now() >= deadlineAt) {
      throw new StepFailed(`marathon: ${appId}: Marathon at ${this.config.url} kept failing (${failures} attempts, last: ${what}). Check that it is reachable and has a leader, then run infra apply again: it resumes here.`);
    }
    const delay = Math.min(backoffDelay(this.backoff, failures, this.random), Math.max(0, deadlineAt - Date.now()));
    this.log(`marathon: ${appId}: ${what}; retrying in ${(delay / 1000).toFixed(1)} s`);
    await sleep(delay);
  }
}

/** Refuses a file without the MANAGED_BY marker: apply sends only what infra renders. */
export function assertManaged(app: AppJson): void {
  const labels = (app.labels ?? {}) as Record<string, unknown>;
  if (labels[MANAGED_BY.label] !== MANAGED_BY.value) {
    throw new Refused([`marathon: ${app.id}: the rendered app has no label ${MANAGED_BY.label}=${MANAGED_BY.value}; nothing was sent. Render it with the current infra (npx infra render) and merge the result.`]);
  }
}

function deploymentIdOf(res: HttpResponse, body: Record<string, unknown> | undefined): string | undefined {
  const header = res.headers['marathon-deployment-id'];
  if (typeof header === 'string' && header) return header;
  if (typeof body?.deploymentId === 'string') return body.deploymentId;
  const deps = body?.deployments as { id?: string }[] | undefined;
  return deps?.[0]?.id;
}

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]));
  return v;
}

export function countsOf(app: Record<string, unknown>): TaskCounts {
  return {
    instances: Number(app.instances ?? 0),
    tasksRunning: Number(app.tasksRunning ?? 0),
    tasksHealthy: Number(app.tasksHealthy ?? 0),
    healthChecked: Array.isArray(app.healthChecks) && app.healthChecks.length > 0,
  };
}

/**
 * Whether the live app is what was sent. A GET fills in Marathon's defaults (and service ports,
 * versions, task counts), so every value that was sent must be there, and nothing more is asked.
 */
export function sameApp(sent: unknown, live: unknown): boolean {
  if (Array.isArray(sent)) {
    return Array.isArray(live) && live.length === sent.length && sent.every((v, i) => sameApp(v, live[i]));
  }
  if (sent !== null && typeof sent === 'object') {
    if (live === null || typeof live !== 'object' || Array.isArray(live)) return false;
    return Object.entries(sent as Record<string, unknown>).every(([k, v]) => sameApp(v, (live as Record<string, unknown>)[k]));
  }
  return sent === live;
}
