// Keeps each dependency's backends current: a full resync at start, after every (re)attach of
// the event stream and periodically; in between, Marathon's events about a watched app remove a
// dying task at once and trigger a resync of that app. When Marathon cannot be reached the last
// known backends stay in service (a Marathon outage must not become an app outage).
import type { Config, Dependency, MarathonDependency } from './config';
import { MarathonClient, MarathonUnreachable, type EventStream } from './marathon';
import { isoTime } from './iso-time';
import type { ServerSentEvent } from './sse';
import { GONE_STATES, healthyBackends, type Backend, type MarathonAppInfo, type MarathonTask } from './tasks';

/**
 * The event types that can change a dependency's backends. `health_status_changed_event` is
 * Marathon up to 1.3; 1.4 replaced it with `instance_health_changed_event` (docs/changelog 1.4.0).
 */
export const EVENT_TYPES = ['status_update_event', 'instance_health_changed_event', 'health_status_changed_event'] as const;

export interface DependencyState {
  name: string;
  localPort: number;
  target: string;
  backends: Backend[];
  /** Looked up at least once (a fixed address always is). */
  resolved: boolean;
  /** Why the last lookup gave nothing usable (unknown app or port), if it did. */
  problem?: string;
}

export interface MarathonState {
  reachable: boolean;
  /** The URL of the attached event stream, when one is. */
  stream?: string;
  lastSync?: string;
  lastError?: string;
}

const MAX_BACKOFF_MS = 5000;

export class Resolver {
  readonly deps: DependencyState[];
  readonly marathon: MarathonState = { reachable: false };
  private readonly byApp = new Map<string, { dep: MarathonDependency; state: DependencyState }[]>();
  private readonly syncing = new Map<string, { again: boolean; done: Promise<void> }>();
  private stream?: EventStream;
  private streamTimer?: NodeJS.Timeout;
  private resyncTimer?: NodeJS.Timeout;
  private backoffMs = 250;
  private stopped = false;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly config: Config, private readonly client: MarathonClient, private readonly log: (line: string) => void, private readonly now: () => number = Date.now) {
    this.deps = config.deps.map((d) => stateOf(d));
    config.deps.forEach((d, i) => {
      if (d.kind !== 'marathon') return;
      const list = this.byApp.get(d.app) ?? [];
      list.push({ dep: d, state: this.deps[i] });
      this.byApp.set(d.app, list);
    });
  }

  /** True when every dependency has at least one backend. */
  get ready(): boolean {
    return this.deps.every((d) => d.backends.length > 0);
  }

  /** Called after every change of any dependency's backends. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.byApp.size === 0) return;
    void this.syncAll();
    this.openStream();
    this.resyncTimer = setInterval(() => void this.syncAll(), this.config.resyncSeconds * 1000);
  }

  stop(): void {
    this.stopped = true;
    this.stream?.close();
    clearTimeout(this.streamTimer);
    clearInterval(this.resyncTimer);
  }

  /** Resyncs every watched app; resolves when all are done (reachable or not). */
  async syncAll(): Promise<void> {
    await Promise.all([...this.byApp.keys()].map((id) => this.syncApp(id)));
  }

  /** Resyncs one app, coalescing: a request during a sync runs one more sync after it. */
  syncApp(appId: string): Promise<void> {
    const running = this.syncing.get(appId);
    if (running) {
      running.again = true;
      return running.done;
    }
    const entry = { again: false, done: Promise.resolve() };
    entry.done = (async () => {
      do {
        entry.again = false;
        await this.fetchApp(appId);
      } while (entry.again && !this.stopped);
      this.syncing.delete(appId);
    })();
    this.syncing.set(appId, entry);
    return entry.done;
  }

  private async fetchApp(appId: string): Promise<void> {
    const watchers = this.byApp.get(appId) ?? [];
    const path = `/v2/apps/${appId.replace(/^\/+/, '').split('/').map(encodeURIComponent).join('/')}`;
    try {
      const app = await this.client.getJson(path);
      const tasks = app.status === 200 ? await this.client.getJson(`${path}/tasks`) : app;
      this.setReachable(true);
      for (const { dep, state } of watchers) {
        if (app.status === 404 || tasks.status === 404) {
          this.setBackends(state, [], `Marathon has no app ${appId}`);
          continue;
        }
        if (app.status !== 200 || tasks.status !== 200) {
          // 401/403: the credentials are wrong; nothing learned, so keep what serves.
          this.setProblem(state, `Marathon answered HTTP ${app.status !== 200 ? app.status : tasks.status} for ${appId}: check MARATHON_USERNAME/MARATHON_PASSWORD or MARATHON_TOKEN`);
          continue;
        }
        const info = (app.body as { app?: MarathonAppInfo }).app ?? ({ id: appId } as MarathonAppInfo);
        const list = (tasks.body as { tasks?: MarathonTask[] }).tasks ?? [];
        const result = healthyBackends(info, list, dep.portName);
        if ('error' in result) this.setBackends(state, [], result.error);
        else this.setBackends(state, result, undefined);
      }
    } catch (err) {
      if (!(err instanceof MarathonUnreachable)) throw err;
      this.setReachable(false, err.message);
    }
  }

  private setReachable(reachable: boolean, error?: string): void {
    const was = this.marathon.reachable;
    this.marathon.reachable = reachable;
    if (reachable) {
      this.marathon.lastSync = isoTime(this.now());
      delete this.marathon.lastError;
      if (!was && this.everSynced) this.log('marathon reachable again');
      this.everSynced = true;
    } else {
      this.marathon.lastError = error;
      if (was || !this.warnedUnreachable) {
        const kept = this.deps.filter((d) => d.backends.length > 0).map((d) => `${d.name} (${d.backends.length})`);
        this.log(`marathon unreachable (${error}): keeping the last known backends${kept.length ? `: ${kept.join(', ')}` : ' (none yet)'}`);
        this.warnedUnreachable = true;
      }
    }
  }
  private everSynced = false;
  private warnedUnreachable = false;

  private setProblem(state: DependencyState, problem: string): void {
    if (state.problem !== problem) this.log(`${state.name}: ${problem}`);
    state.problem = problem;
  }

  /** Replaces a dependency's backends; logs one line when they change. */
  private setBackends(state: DependencyState, next: Backend[], problem: string | undefined): void {
    const key = (b: Backend) => `${b.host}:${b.port}`;
    const before = new Set(state.backends.map(key));
    const after = new Set(next.map(key));
    const added = [...after].filter((k) => !before.has(k));
    const removed = [...before].filter((k) => !after.has(k));
    state.resolved = true;
    if (problem !== undefined) this.setProblem(state, problem);
    else delete state.problem;
    state.backends = next;
    if (added.length === 0 && removed.length === 0) return;
    const parts = [...added.map((k) => `+${k}`), ...removed.map((k) => `-${k}`)];
    this.log(`${state.name}: ${parts.join(' ')} (${next.length} backend${next.length === 1 ? '' : 's'}${next.length === 0 ? ': new connections are refused' : ''})`);
    for (const l of this.listeners) l();
  }

  private openStream(): void {
    if (this.stopped) return;
    this.stream = this.client.openEvents(EVENT_TYPES, {
      onOpen: (url) => {
        this.backoffMs = 250;
        this.marathon.stream = url;
        this.log(`event stream attached: ${url}`);
        // Whatever happened while detached is only in Marathon's state, not in the stream.
        void this.syncAll();
      },
      onEvent: (e) => this.handleEvent(e),
      onClose: (reason) => {
        delete this.marathon.stream;
        if (this.stopped) return;
        // One line when the stream is lost; retries while Marathon stays away say nothing new.
        if (this.backoffMs === 250) this.log(`${reason}: reconnecting in ${this.backoffMs} ms`);
        this.streamTimer = setTimeout(() => this.openStream(), this.backoffMs);
        this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
        // A stream that cannot be opened usually means Marathon cannot be reached at all.
        void this.syncAll();
      },
    });
  }

  /** Applies one Marathon event (filtered here too: Marathon before 1.3.7 sends every type). */
  handleEvent(e: ServerSentEvent): void {
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(e.data);
    } catch {
      return;
    }
    const type = typeof data.eventType === 'string' ? data.eventType : e.event;
    if (!(EVENT_TYPES as readonly string[]).includes(type)) return;
    const appId = String(type === 'instance_health_changed_event' ? data.runSpecId : data.appId);
    const watchers = this.byApp.get(appId);
    if (!watchers) return;
    // A task on its way out stops getting new connections now, before the resync answers.
    const goneTask =
      type === 'status_update_event' && GONE_STATES.has(String(data.taskStatus)) ? String(data.taskId)
      : type === 'health_status_changed_event' && data.alive === false ? String(data.taskId)
      : undefined;
    if (goneTask !== undefined) {
      for (const { state } of watchers) {
        if (state.backends.some((b) => b.taskId === goneTask)) this.setBackends(state, state.backends.filter((b) => b.taskId !== goneTask), undefined);
      }
    }
    void this.syncApp(appId);
  }
}

function stateOf(d: Dependency): DependencyState {
  if (d.kind === 'fixed') {
    return { name: d.name, localPort: d.localPort, target: d.addresses.map((a) => `${a.host}:${a.port}`).join(','), backends: d.addresses.map((a) => ({ ...a, taskId: '' })), resolved: true };
  }
  return { name: d.name, localPort: d.localPort, target: `marathon:${d.app}#${d.portName}`, backends: [], resolved: false };
}
