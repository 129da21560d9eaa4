import * as path from 'node:path';
import { reviewedHash, type EnvironmentDiff, type Tree } from '@infra/render';
import { Refused, StepFailed } from './errors';
import { hadoopPlan, hadoopPlanLines, runHadoop } from './hadoop-step';
import { SshShell, type HostShell } from './hosts';
import { changedPatchPlans, patchPlanLines, runPatches } from './patch-step';
import { gateRequirements, type GateOptions } from './health-gate';
import type { ApplyKinds } from './kinds';
import { assertManaged, type AppJson, type MarathonClient } from './marathon-client';
import { DEFAULT_CONCURRENCY, runMarathonStep, type MarathonWork } from './marathon-step';
import { STEP_ORDER, type ApplyRecord, type Attempt, type StepName, type StepRecord } from './record';
import { reviewedAllowDestroy } from './terraform-plan';
import { TerraformRunner } from './terraform-runner';
import { applyTerraform, planTerraform, type TerraformPlanResult } from './terraform-step';

// One environment's apply (DESIGN §3): check that the target is what was reviewed, print the
// plan, refuse what the safety rules forbid (all refusals at once, before anything is done),
// then the steps in order — terraform, Marathon, Hadoop, patches — each recorded, so that a
// re-run for the same target skips what is done and resumes where it failed.

export interface ApplyRequest {
  env: string;
  /** The last commit applied to the environment ('' for the first apply). */
  from: string;
  /** The target commit. */
  to: string;
  /** rendered/<env> at `from` (empty for the first apply) and at `to`. */
  base: Tree;
  target: Tree;
  /** The reviewed diff: `infra diff` from `from` to `to`, computed by the cli through the kinds. */
  diff: EnvironmentDiff;
  kinds: ApplyKinds;
}

export interface ApplyOptions {
  dryRun?: boolean;
  /** sha256 of rendered/<env>/manifest.json that was reviewed. */
  reviewed?: string;
  /** In Actions the reviewed hash is required (a push without a reviewed PR is refused). */
  requireReviewed?: boolean;
  allowDestroy?: string[];
  allowUnreviewed?: string[];
  force?: boolean;
  /** Caps every watch time (a deployment, a health gate), seconds. */
  deadlineS?: number;
  concurrency?: number;
}

export interface ApplyWorld {
  /** Work directory outside rendered/ (terraform's copy). */
  workDir: string;
  env: NodeJS.ProcessEnv;
  marathon?: MarathonClient;
  mesosUrl?: string;
  record: ApplyRecord;
  log: (line: string) => void;
  /** ssh/scp to the hosts (Hadoop, patches); `ssh` and `scp` from PATH by default. */
  shell?: HostShell;
  /** Test knobs: how often gates and waits poll, ms; a rebooting host's settle time. */
  gatePollMs?: number;
  progressMs?: number;
  rebootSettleMs?: number;
}

/** A step that works from the reviewed diff and the target tree (Hadoop, patches). */
export interface ExtraStep {
  /** Lines of the printed plan; empty when there is nothing to do. */
  plan(req: ApplyRequest): string[];
  /** Refusals found before anything is applied. */
  refusals?(req: ApplyRequest): string[];
  run(req: ApplyRequest, ctx: StepContext): Promise<void>;
}

export interface StepContext {
  deadlineMs: number;
  done: Set<string>;
  markDone(item: string): void;
  log(line: string): void;
}

export interface ApplyOutcome {
  /** 2: the outside world is not configured (INFRA_MARATHON_URL, INFRA_MESOS_URL). */
  exit: 0 | 1 | 2 | 3;
  /** What must be configured before the real run can go. */
  missing?: string[];
  refusals: string[];
  /** Steps completed by this run. */
  completed: StepName[];
  failed?: { step: StepName; message: string };
}

/** Watch times of DESIGN §3, capped by --deadline. */
const APP_DEADLINE_S = 600;
const GATE_DEADLINE_S = 900;

/** The reviewed hash of the target (libs/render owns the rule; the review writes the same). */
export function manifestHash(target: Tree): string {
  return reviewedHash(target);
}

export async function applyEnvironment(req: ApplyRequest, opts: ApplyOptions, world: ApplyWorld): Promise<ApplyOutcome> {
  const { env, log } = { env: req.env, log: world.log };
  const cap = (s: number) => Math.min(s, opts.deadlineS ?? Infinity) * 1000;
  const refusals: string[] = [];

  // 1. The target is what was reviewed.
  const hash = manifestHash(req.target);
  // No manifest, no hash ('' from the one rule): nothing there can have been reviewed.
  if (opts.reviewed !== undefined && (!hash || opts.reviewed !== hash)) {
    refusals.push(`rendered/${env} at ${req.to.slice(0, 12)} has sha256 ${hash || 'none (no manifest.json)'}, but the review approved ${opts.reviewed}: this is not what was reviewed. Nothing was applied. Review the change again (its PR comment gives the hash), or pass the right --reviewed.`);
  } else if (opts.reviewed === undefined) {
    if (opts.requireReviewed) refusals.push(`rendered/${env} at ${req.to.slice(0, 12)}: no reviewed hash was found (a push without a reviewed pull request?). Nothing was applied. Merge the change through a pull request whose review comment lists ${env}.`);
    else log(`note: the target was not checked against a review (no --reviewed); its sha256 is ${hash}`);
  }

  // 2. Where a previous attempt for the same target stopped.
  const record = await world.record.read(env);
  const attempt: Attempt = record.attempt?.to === req.to ? record.attempt : { from: req.from, to: req.to, startedAt: new Date().toISOString(), steps: {} };
  const isDone = (s: StepName) => attempt.steps[s]?.status === 'done';
  // After any unfinished attempt, an app already live as rendered is not sent again.
  const resuming = record.attempt !== undefined;
  if (record.applied?.commit === req.to && !record.attempt) {
    log(`${env} is already at ${req.to.slice(0, 12)}: nothing to apply.`);
    return { exit: 0, refusals: [], completed: [] };
  }
  if (record.attempt?.to === req.to) log(`resuming the apply of ${env} to ${req.to.slice(0, 12)}: done: ${STEP_ORDER.filter(isDone).join(', ') || 'nothing yet'}`);

  // 3. The plan of every step, and every refusal, before anything is done.
  const marathonDone = new Set(attempt.steps.marathon?.done ?? []);
  const work = marathonWork(req, marathonDone, refusals);
  const runner = new TerraformRunner({ workDir: path.join(world.workDir, env, 'terraform'), env: world.env, log });
  let tf: TerraformPlanResult | undefined;
  const hasTerraform = [...req.target.keys(), ...req.base.keys()].some((p) => p.startsWith('terraform/'));
  if (hasTerraform && !isDone('terraform')) {
    try {
      tf = await planTerraform(runner, {
        env, base: req.base, target: req.target, reviewed: req.diff.changes.terraform, kinds: req.kinds,
        overrides: { allowDestroy: [...reviewedAllowDestroy(req.target), ...(opts.allowDestroy ?? [])], allowUnreviewed: opts.allowUnreviewed ?? [] },
      });
      refusals.push(...tf.refusals);
    } catch (err) {
      if (!(err instanceof StepFailed) || !opts.dryRun) throw err;
      log(`note: the terraform plan could not be made (${err.message.split('\n')[0]}); the plan below shows the reviewed diff only.`);
    }
  }
  const hostSteps = hostStepsOf(world);
  const extra = STEP_ORDER.filter((s) => hostSteps[s] && !isDone(s) && hostSteps[s]!.plan(req).length).map((s) => [s, hostSteps[s]!] as const);
  for (const [, step] of extra) refusals.push(...(step.refusals?.(req) ?? []));
  // Not a safety rule but configuration: a dry run notes it, a real run stops before anything.
  const missing = tf ? gateRequirements(tf.batches, { marathon: world.marathon, mesosUrl: world.mesosUrl }) : [];
  if (!world.marathon && (work.deploy.length || work.remove.length)) {
    missing.push(`marathon: ${work.deploy.length + work.remove.length} app change(s) to apply but no Marathon: set INFRA_MARATHON_URL (and MARATHON_USERNAME/MARATHON_PASSWORD or MARATHON_TOKEN), then run again.`);
  }

  printPlan(req, tf, work, extra.map(([s, step]) => [s, step.plan(req)] as const), isDone, log);

  if (missing.length) {
    log(`\n${opts.dryRun ? 'Before the real run, configure' : 'Not configured; nothing was applied'}:`);
    for (const m of missing) log(`  ${m}`);
  }
  if (refusals.length) {
    log(`\nRefused (${refusals.length}):`);
    for (const r of refusals) log(`  ${r}`);
    log(opts.dryRun ? `The real run would be refused; nothing would be applied.` : `Nothing was applied.`);
    return { exit: 3, refusals, completed: [] };
  }
  if (opts.dryRun) {
    log('Dry run: nothing was applied.');
    return { exit: 0, refusals: [], completed: [], missing };
  }
  if (missing.length) return { exit: 2, refusals: [], completed: [], missing };

  // 4. The steps, in order, each recorded.
  const completed: StepName[] = [];
  const save = () => world.record.write(env, { ...record, attempt });
  const run = async (name: StepName, body: (ctx: StepContext) => Promise<void>, tail: () => string[]) => {
    if (isDone(name)) {
      log(`${name}: done in an earlier run; skipped`);
      return;
    }
    const done = new Set(attempt.steps[name]?.done ?? []);
    const step: StepRecord = { status: 'running', startedAt: new Date().toISOString(), done: [...done] };
    attempt.steps[name] = step;
    await save();
    const t0 = Date.now();
    log(`${name}: started`);
    const ctx: StepContext = {
      deadlineMs: cap(APP_DEADLINE_S), done, log,
      markDone: (item) => {
        done.add(item);
        step.done = [...done].sort();
        save().catch((err: Error) => log(`note: the record could not be written (${err.message}); a re-run may redo ${item}`));
      },
    };
    try {
      await body(ctx);
      Object.assign(step, { status: 'done', durationS: seconds(t0), tail: tail().slice(-20) });
      await save();
      completed.push(name);
      log(`${name}: done in ${seconds(t0)} s`);
    } catch (err) {
      Object.assign(step, { status: 'failed', durationS: seconds(t0), tail: tail().slice(-20), error: err instanceof Error ? err.message : String(err) });
      await save();
      log(`${name}: failed after ${seconds(t0)} s`);
      throw err;
    }
  };

  try {
    if (tf) {
      const gate: GateOptions = { marathon: world.marathon, mesosUrl: world.mesosUrl, deadlineMs: cap(GATE_DEADLINE_S), capMs: opts.deadlineS === undefined ? undefined : opts.deadlineS * 1000, pollMs: world.gatePollMs, progressMs: world.progressMs, log };
      await run('terraform', () => applyTerraform(runner, tf!, gate), () => runner.tail);
    }
    if (work.deploy.length || work.remove.length) {
      const lines: string[] = [];
      await run('marathon', async (ctx) => {
        await runMarathonStep(world.marathon!, work, {
          appDeadlineMs: ctx.deadlineMs, concurrency: opts.concurrency ?? DEFAULT_CONCURRENCY,
          dependsOn: (app) => req.kinds.marathonDependencies(app), onDone: ctx.markDone, skipIfLive: resuming,
          log: (l) => { lines.push(l); log(l); },
        });
      }, () => lines);
    }
    for (const [name, step] of extra) {
      const lines: string[] = [];
      await run(name, (ctx) => step.run(req, { ...ctx, log: (l) => { lines.push(l); log(l); } }), () => lines);
    }
  } catch (err) {
    if (err instanceof Refused) {
      return { exit: 3, refusals: err.reasons, completed };
    }
    if (err instanceof StepFailed) {
      const step = STEP_ORDER.find((s) => attempt.steps[s]?.status === 'failed')!;
      log(`\n${err.message}`);
      return { exit: 1, refusals: [], completed, failed: { step, message: err.message } };
    }
    throw err;
  }

  await save();
  await world.record.write(env, { applied: { commit: req.to, at: new Date().toISOString() }, attempt: undefined });
  log(`${env} is at ${req.to.slice(0, 12)}.`);
  return { exit: 0, refusals: [], completed };
}

/** The steps that work on hosts over ssh: Hadoop's host files, then the patches. */
function hostStepsOf(world: ApplyWorld): Partial<Record<StepName, ExtraStep>> {
  const shell = () => world.shell ?? new SshShell(world.env);
  return {
    hadoop: {
      plan: (req) => hadoopPlanLines(hadoopPlan(req.base, req.target)),
      run: (req, ctx) => runHadoop(hadoopPlan(req.base, req.target), shell(), { deadlineMs: ctx.deadlineMs, pollMs: world.gatePollMs, progressMs: world.progressMs, log: ctx.log }),
    },
    patches: {
      plan: (req) => patchPlanLines(changedPatchPlans(req.base, req.target, createdVms(req))),
      run: (req, ctx) => runPatches(changedPatchPlans(req.base, req.target, createdVms(req)), shell(), { ...ctx, rebootSettleMs: world.rebootSettleMs, pollMs: world.gatePollMs, progressMs: world.progressMs }),
    },
  };
}

/** Hosts whose VM the reviewed diff creates or replaces (they boot already patched). */
const createdVms = (req: ApplyRequest) => new Set(req.diff.changes.terraform.flatMap((c) => ((c.action === 'create' || c.action === 'replace') && c.host ? [c.host] : [])));

const seconds = (t0: number) => Number(((Date.now() - t0) / 1000).toFixed(1));

/** The reviewed Marathon changes as complete apps of the target rendering (minus those done). */
function marathonWork(req: ApplyRequest, done: Set<string>, refusals: string[]): MarathonWork {
  const work: MarathonWork = { deploy: [], remove: [] };
  for (const c of req.diff.changes.marathon) {
    if (done.has(c.id)) continue;
    if (c.action === 'delete') {
      work.remove.push(c.id);
      continue;
    }
    const text = req.target.get(`marathon${c.id}.json`);
    if (text === undefined) throw new StepFailed(`marathon: the reviewed diff ${c.action}s ${c.id}, but rendered/${req.env}/marathon${c.id}.json is not in the target; the diff and the tree disagree (a bug).`);
    const app = JSON.parse(text) as AppJson;
    try {
      assertManaged(app);
    } catch (err) {
      if (err instanceof Refused) refusals.push(...err.reasons);
      else throw err;
    }
    work.deploy.push(app);
  }
  return work;
}

function printPlan(req: ApplyRequest, tf: TerraformPlanResult | undefined, work: MarathonWork, extra: (readonly [StepName, string[]])[], isDone: (s: StepName) => boolean, log: (l: string) => void): void {
  log(`Plan of ${req.env}: ${req.from ? req.from.slice(0, 12) : '(nothing applied yet)'} → ${req.to.slice(0, 12)}`);
  if (isDone('terraform')) log('  terraform: done in an earlier run');
  else if (tf) {
    const counts = (a: string) => tf.planned.filter((p) => p.action === a).length;
    log(`  terraform: ${counts('create')} to create, ${counts('update')} to update, ${counts('replace')} to replace, ${counts('delete')} to destroy, in ${tf.batches.length} batch(es)`);
    for (const [i, b] of tf.batches.entries()) {
      log(`    batch ${i + 1}: ${b.name}${b.hosts.length ? ', then a health gate' : ''}`);
      for (const a of b.addresses) log(`      ${tf.planned.find((p) => p.address === a)?.action ?? '?'} ${a}`);
    }
  } else {
    const reviewed = req.diff.changes.terraform;
    log(`  terraform: ${reviewed.length ? `${reviewed.length} reviewed change(s), not planned` : 'nothing'}`);
    for (const c of reviewed) log(`      ${c.action} ${c.address}`);
  }
  log(`  marathon: ${work.deploy.length} app(s) to create or update, ${work.remove.length} to delete${isDone('marathon') ? ' (done in an earlier run)' : ''}`);
  for (const a of work.deploy) log(`      deploy ${a.id}`);
  for (const id of work.remove) log(`      delete ${id}`);
  for (const [name, lines] of extra) {
    log(`  ${name}: ${lines.length ? '' : 'nothing'}`);
    for (const l of lines) log(`      ${l}`);
  }
}
