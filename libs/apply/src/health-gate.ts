import { sleep } from './backoff';
import { StepFailed } from './errors';
import { parseJson, request } from './http';
import { describeProbe, probe } from './host-probe';
import { countsOf, type MarathonClient } from './marathon-client';
import type { Batch } from './terraform-plan';

// The gate between two batches of a rollout: the next batch starts only when Marathon has no
// deployment in progress, every app is back to its healthy instance count, and every replaced
// Mesos agent has registered again with the master (INFRA_MESOS_URL, /master/slaves) — or the
// rollout stops there at the gate's deadline, naming what it waited for. A batch of servers with
// a declared health check (rollout/<group>.json) also waits for each replaced server to pass it.

export interface GateOptions {
  marathon?: MarathonClient;
  mesosUrl?: string;
  deadlineMs: number;
  /** --deadline, ms: caps a batch's own watch time (its group's update policy). */
  capMs?: number;
  pollMs?: number;
  progressMs?: number;
  log?: (line: string) => void;
}

/** What a rollout of these batches needs configured, as messages; empty when all is there. */
export function gateRequirements(batches: Batch[], opts: Pick<GateOptions, 'marathon' | 'mesosUrl'>): string[] {
  const out: string[] = [];
  const down = batches.flatMap((b) => b.hosts);
  if (down.length && !opts.marathon) out.push(`terraform: the rollout takes ${down.length} VM(s) down and its health gates need Marathon: set INFRA_MARATHON_URL (and MARATHON_USERNAME/MARATHON_PASSWORD or MARATHON_TOKEN), then run again.`);
  if (down.some((h) => h.role === 'mesos-agent') && !opts.mesosUrl) out.push(`terraform: the rollout replaces Mesos agents and waits for them to register again: set INFRA_MESOS_URL to the Mesos master, then run again.`);
  return out;
}

export async function healthGate(batch: Batch, label: string, opts: GateOptions): Promise<void> {
  const log = opts.log ?? (() => {});
  const deadlineAt = Date.now() + opts.deadlineMs;
  // A destroyed agent never registers again: wait only for the replaced ones.
  const agents = batch.hosts.filter((h) => h.role === 'mesos-agent' && !h.destroyed).map((h) => h.hostname);
  let lastProgress = Date.now();
  const t0 = Date.now();
  for (;;) {
    const waiting = await whatIsMissing(batch, agents, opts, deadlineAt);
    if (waiting.length === 0) {
      log(`terraform: ${label}: healthy after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return;
    }
    if (Date.now() >= deadlineAt) {
      throw new StepFailed(`terraform: ${label}: the health gate did not pass within ${Math.round(opts.deadlineMs / 1000)} s: ${waiting.join('; ')}. The rollout stopped here; the batches after it were not started. Find out why, then run infra apply again: it resumes with this gate's batch.`);
    }
    if (Date.now() - lastProgress >= (opts.progressMs ?? 10_000)) {
      lastProgress = Date.now();
      log(`terraform: ${label}: waiting for ${waiting.join('; ')} (${Math.ceil((deadlineAt - Date.now()) / 1000)} s left)`);
    }
    await sleep(opts.pollMs ?? 2000);
  }
}

/** One probe's own timeout: a server that hangs must not hold the gate past its poll. */
const PROBE_TIMEOUT_MS = 5000;
/** The last probe before the deadline still gets a fair chance to be answered. */
const PROBE_MIN_MS = 500;

async function whatIsMissing(batch: Batch, agents: string[], opts: GateOptions, deadlineAt: number): Promise<string[]> {
  const out: string[] = [];
  if (opts.marathon) {
    const deployments = await opts.marathon.deployments(deadlineAt);
    if (deployments.length) out.push(`${deployments.length} Marathon deployment(s) in progress (${deployments.map((d) => d.id).slice(0, 3).join(', ')})`);
    for (const app of await opts.marathon.listApps()) {
      const c = countsOf(app);
      const up = c.healthChecked ? c.tasksHealthy : c.tasksRunning;
      if (up < c.instances) out.push(`${String(app.id)} healthy ${up}/${c.instances}`);
    }
  }
  for (const p of batch.probes ?? []) {
    const why = await probe(p, Math.min(PROBE_TIMEOUT_MS, Math.max(PROBE_MIN_MS, deadlineAt - Date.now())));
    if (why) out.push(`${p.host} healthy at ${describeProbe(p)} (${why})`);
  }
  if (agents.length && opts.mesosUrl) {
    const active = await registeredAgents(opts.mesosUrl).catch((err: Error) => err);
    if (active instanceof Error) out.push(`the Mesos master at ${opts.mesosUrl} (${active.message})`);
    else for (const a of agents) if (!active.has(a)) out.push(`agent ${a} registered with the Mesos master`);
  }
  return out;
}

/** Hostnames of the active agents the Mesos master knows (GET /master/slaves). */
export async function registeredAgents(mesosUrl: string): Promise<Set<string>> {
  const res = await request('GET', new URL('master/slaves', mesosUrl.endsWith('/') ? mesosUrl : mesosUrl + '/'), {});
  const body = parseJson(res) as { slaves?: { hostname: string; active?: boolean }[] } | undefined;
  if (res.status !== 200 || !body?.slaves) throw new Error(`answered ${res.status}`);
  return new Set(body.slaves.filter((s) => s.active !== false).map((s) => s.hostname));
}
