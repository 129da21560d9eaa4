import { StepFailed } from './errors';
import type { AppJson, MarathonClient } from './marathon-client';

// The Marathon step: each app created or updated only after the apps it depends on (that are
// part of this change) have finished deploying, at most `concurrency` at a time; deletions last,
// and only of apps carrying the MANAGED_BY label. A failure starts nothing new: what is in
// flight finishes, what is done is reported through onDone (the record), and the step fails.

/** Default number of apps deployed at once (README, "What happens on merge"). */
export const DEFAULT_CONCURRENCY = 16;

export interface MarathonWork {
  /** Complete apps to PUT, from the target rendering. */
  deploy: AppJson[];
  /** App ids to delete. */
  remove: string[];
}

export interface MarathonStepOptions {
  concurrency?: number;
  /** Deadline of each app's deployment, ms. */
  appDeadlineMs: number;
  /** The app ids an app depends on (the marathon kind knows how its files say so). */
  dependsOn: (app: AppJson) => string[];
  /** Called when an app is deployed or deleted, so a re-run skips it. */
  onDone?: (id: string) => void;
  /** A resumed apply: an app already live as rendered (and not deploying) is not sent again. */
  skipIfLive?: boolean;
  log?: (line: string) => void;
}

export interface MarathonStepResult {
  deployed: string[];
  removed: string[];
  /** Apps that were to be deleted but do not carry the label: left alone, listed apart. */
  unmanaged: string[];
}

export async function runMarathonStep(client: MarathonClient, work: MarathonWork, opts: MarathonStepOptions): Promise<MarathonStepResult> {
  const log = opts.log ?? (() => {});
  const concurrency = Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY);
  const result: MarathonStepResult = { deployed: [], removed: [], unmanaged: [] };
  const order = dependencyLayers(work.deploy, opts.dependsOn);

  await runGraph(work.deploy.map((a) => a.id), order.waitsFor, concurrency, async (id) => {
    const app = order.byId.get(id)!;
    const t0 = Date.now();
    if (opts.skipIfLive && (await client.isLive(app, Date.now() + opts.appDeadlineMs))) {
      log(`marathon: ${id}: already as rendered`);
      result.deployed.push(id);
      opts.onDone?.(id);
      return;
    }
    log(`marathon: ${id}: deploying`);
    await client.deploy(app, Date.now() + opts.appDeadlineMs);
    log(`marathon: ${id}: deployed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    result.deployed.push(id);
    opts.onDone?.(id);
  });

  await runGraph(work.remove, new Map(), concurrency, async (id) => {
    const outcome = await client.remove(id, Date.now() + opts.appDeadlineMs);
    if (outcome === 'unmanaged') {
      log(`marathon: ${id}: not deleted: the live app has no MANAGED_BY=infra label (started by hand?); delete it yourself if it should go`);
      result.unmanaged.push(id);
    } else {
      log(`marathon: ${id}: ${outcome === 'deleted' ? 'deleted' : 'already gone'}`);
      result.removed.push(id);
    }
    opts.onDone?.(id);
  });
  return result;
}

/** For each app of the change, the apps of the same change it must wait for. */
export function dependencyLayers(apps: AppJson[], dependsOn: (app: AppJson) => string[]) {
  const byId = new Map(apps.map((a) => [a.id, a]));
  const waitsFor = new Map<string, string[]>();
  for (const app of apps) waitsFor.set(app.id, dependsOn(app).filter((d) => byId.has(d) && d !== app.id).sort());
  // A cycle would wait forever; the definitions are validated against cycles, so this is a bug.
  const state = new Map<string, 1 | 2>();
  const visit = (id: string, path: string[]) => {
    if (state.get(id) === 2) return;
    if (state.get(id) === 1) throw new StepFailed(`marathon: the apps depend on each other in a cycle: ${[...path, id].join(' → ')}; fix the dependencies in the definition.`);
    state.set(id, 1);
    for (const d of waitsFor.get(id)!) visit(d, [...path, id]);
    state.set(id, 2);
  };
  for (const id of [...byId.keys()].sort()) visit(id, []);
  return { byId, waitsFor };
}

/**
 * Runs `work` for every node once all it waits for are done, `limit` at a time, in a stable
 * order (sorted ids). The first failure starts nothing new; in-flight work ends; it is thrown.
 */
export async function runGraph(ids: string[], waitsFor: Map<string, string[]>, limit: number, work: (id: string) => Promise<void>): Promise<void> {
  const pending = [...new Set(ids)].sort();
  const done = new Set<string>();
  const running = new Set<string>();
  let failure: unknown;
  await new Promise<void>((resolve) => {
    const pump = () => {
      if (failure === undefined) {
        for (let i = 0; i < pending.length && running.size < limit; ) {
          const id = pending[i];
          if ((waitsFor.get(id) ?? []).every((d) => done.has(d))) {
            pending.splice(i, 1);
            running.add(id);
            work(id).then(() => {
              done.add(id);
            }, (err) => {
              failure ??= err;
            }).finally(() => {
              running.delete(id);
              pump();
            });
          } else i++;
        }
      }
      if (running.size === 0) resolve();
    };
    pump();
  });
  if (failure !== undefined) throw failure;
}
