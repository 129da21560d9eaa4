import type { Role } from '@infra/model';
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

/**
 * What a VM of each role waits for at the gate when it is taken down, besides the probes its
 * rollout file declares: a table, so a new role fails to compile here until it says (DESIGN §5).
 */
export interface RoleGate {
  /** Marathon's apps back to their healthy counts, no deployment in progress. */
  marathonApps: boolean;
  /** A replaced VM registers with the Mesos master again (INFRA_MESOS_URL, /master/slaves). */
  registersWithMesos: boolean;
}

export const ROLE_GATES: { readonly [R in Role]: RoleGate } = {
  // Masters schedule the apps, agents run them, app servers and databases are what they depend
  // on: whichever goes down, the gate waits until every app is healthy again.
  'mesos-master': { marathonApps: true, registersWithMesos: false },
  'mesos-agent': { marathonApps: true, registersWithMesos: true },
  'app-server': { marathonApps: true, registersWithMesos: false },
  database: { marathonApps: true, registersWithMesos: false },
};

/** A VM's row; a role read from marks that no table knows (a Hadoop instance) waits for the apps only. */
export function roleGate(role: string): RoleGate {
  return Object.hasOwn(ROLE_GATES, role) ? ROLE_GATES[role as Role] : { marathonApps: true, registersWithMesos: false };
}

/** Hostnames of the batch's VMs that must register with the Mesos master again: replaced, not destroyed. */
export function reregisteringAgents(batch: Pick<Batch, 'hosts'>): string[] {
  return batch.hosts.filter((h) => !h.destroyed && roleGate(h.role).registersWithMesos).map((h) => h.hostname);
}

/** What a rollout of these batches needs configured, as messages; empty when all is there. */
export function gateRequirements(batches: Batch[], opts: Pick<GateOptions, 'marathon' | 'mesosUrl'>): string[] {
  const out: string[] = [];
  const down = batches.flatMap((b) => b.hosts);
  const watched = down.filter((h) => roleGate(h.role).marathonApps);
  if (watched.length && !opts.marathon) out.push(`terraform: the rollout takes ${watched.length} VM(s) down and its health gates need Marathon: set INFRA_MARATHON_URL (and MARATHON_USERNAME/MARATHON_PASSWORD or MARATHON_TOKEN), then run again.`);
  // A destroyed agent never registers again: only a replaced one needs the master to be asked.
  const agents = batches.flatMap((b) => reregisteringAgents(b));
  if (agents.length && !opts.mesosUrl) out.push(`terraform: the rollout replaces ${agents.length} Mesos agent(s) and waits for them to register again: set INFRA_MESOS_URL to the Mesos master, then run again.`);
  return out;
}

export async function healthGate(batch: Batch, label: string, opts: GateOptions): Promise<void> {
  const log = opts.log ?? (() => {});
  const deadlineAt = Date.now() + opts.deadlineMs;
  const agents = reregisteringAgents(batch);
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
  // A batch that takes no VM down (the check before a rollout) waits for the apps too.
  if (opts.marathon && (batch.hosts.length === 0 || batch.hosts.some((h) => roleGate(h.role).marathonApps))) {
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
