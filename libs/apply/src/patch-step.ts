import * as net from 'node:net';
import type { PatchPlan, Tree } from '@infra/render';
import { sleep } from './backoff';
import { StepFailed } from './errors';
import { mustRun, pushFile, type HostShell } from './hosts';
import { request } from './http';

// The patch step: the hosts patched in place (databases, Hadoop) get the packages of their
// group's patch plan (rendered/<env>/patches/<group>.json), one host at a time in the plan's
// order, with the reboot it asks for and a health check before the next host. A host records
// its patch level on itself (/var/lib/infra/patch-level), so a re-run skips what is patched.

export type { PatchPlan } from '@infra/render';

export const PATCH_LEVEL_FILE = '/var/lib/infra/patch-level';

/** The patch plans whose file changed from base to target, by group. */
/**
 * The patch plans whose packages or level changed between the two renderings, without the VMs
 * this same apply creates or replaces: a new VM boots on the current stemcell with the plan's
 * patches in its user-data, so patching (and rebooting) it again right after is needless. Bare-metal Hadoop hosts are never
 * created by terraform: their steps always stay.
 */
export function changedPatchPlans(base: Tree, target: Tree, newVms: ReadonlySet<string> = new Set()): PatchPlan[] {
  // What a host is patched to: a plan whose packages and level are unchanged (a host's address
  // moved, say) needs no patching run, and no reboot.
  const level = (text: string | undefined) => {
    if (text === undefined) return undefined;
    const plan = JSON.parse(text) as PatchPlan;
    return JSON.stringify([plan.patchLevel, plan.packages]);
  };
  return [...target.keys()].filter((p) => /^patches\/[^/]+\.json$/.test(p) && level(base.get(p)) !== level(target.get(p))).sort()
    .map((p) => JSON.parse(target.get(p)!) as PatchPlan)
    .map((plan) => (plan.source === 'vm' ? { ...plan, steps: plan.steps.filter((s) => !newVms.has(s.host)) } : plan))
    .filter((plan) => plan.steps.length > 0);
}

export function patchPlanLines(plans: PatchPlan[]): string[] {
  return plans.flatMap((p) => p.steps.map((s, i) => `${p.group} ${i + 1}/${p.steps.length}: ${s.host} → ${p.patchLevel}${s.reboot ? ', reboot' : ''}, then ${s.health.kind} :${s.health.port}`));
}

export interface PatchRunOptions {
  deadlineMs: number;
  /** Time a rebooting host is given to go down before it is probed. */
  rebootSettleMs?: number;
  pollMs?: number;
  progressMs?: number;
  done: Set<string>;
  markDone(item: string): void;
  log(line: string): void;
}

export async function runPatches(plans: PatchPlan[], shell: HostShell, opts: PatchRunOptions): Promise<void> {
  for (const plan of plans) {
    const install = `sudo apt-get update -q && sudo apt-get install -y -q ${plan.packages.map((p) => `${p.name}=${p.version}`).join(' ')}`;
    for (const [i, step] of plan.steps.entries()) {
      const item = `${plan.group}/${step.host}`;
      const label = `patches: ${plan.group} ${i + 1}/${plan.steps.length} ${step.host}`;
      if (opts.done.has(item)) continue;
      const level = await shell.run(step.host, `cat ${PATCH_LEVEL_FILE}`);
      if (level.code === 0 && level.stdout.trim() === plan.patchLevel) {
        opts.log(`${label}: already at ${plan.patchLevel}`);
        opts.markDone(item);
        continue;
      }
      const t0 = Date.now();
      if (plan.packages.length) await mustRun(shell, step.host, install, opts.deadlineMs);
      if (step.reboot) {
        // The connection drops as the host goes down: exit 255 is the expected answer.
        const res = await shell.run(step.host, 'sudo reboot');
        if (res.code !== 0 && res.code !== 255) throw new StepFailed(`${label}: \`sudo reboot\` failed (exit ${res.code}): ${res.stderr.trim()}. Check the host, then run infra apply again.`);
        opts.log(`${label}: rebooting`);
        await sleep(opts.rebootSettleMs ?? 30_000);
      }
      await waitHealthy(step, label, opts);
      await pushFile(shell, step.host, PATCH_LEVEL_FILE, `${plan.patchLevel}\n`);
      opts.markDone(item);
      opts.log(`${label}: patched to ${plan.patchLevel} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  }
}

async function waitHealthy(step: PatchPlan['steps'][number], label: string, opts: PatchRunOptions): Promise<void> {
  const deadlineAt = Date.now() + opts.deadlineMs;
  let lastProgress = Date.now();
  for (;;) {
    const problem = await probe(step.address, step.health);
    if (!problem) return;
    if (Date.now() >= deadlineAt) {
      throw new StepFailed(`${label}: not healthy within ${Math.round(opts.deadlineMs / 1000)} s (${problem}). The hosts after it were not patched. Bring ${step.host} back, then run infra apply again: it resumes with this host.`);
    }
    if (Date.now() - lastProgress >= (opts.progressMs ?? 10_000)) {
      lastProgress = Date.now();
      opts.log(`${label}: waiting for ${step.health.kind} ${step.address}:${step.health.port} (${problem})`);
    }
    await sleep(opts.pollMs ?? 2000);
  }
}

/** undefined when healthy, else what failed. */
async function probe(address: string, health: PatchPlan['steps'][number]['health']): Promise<string | undefined> {
  if (health.kind === 'http') {
    try {
      const res = await request('GET', new URL(`http://${address}:${health.port}${health.path}`), {}, undefined, 5000);
      return res.status >= 200 && res.status < 300 ? undefined : `http ${health.path} answered ${res.status}`;
    } catch (err) {
      return (err as Error).message;
    }
  }
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port: health.port, timeout: 5000 });
    socket.once('connect', () => { socket.destroy(); resolve(undefined); });
    socket.once('timeout', () => { socket.destroy(); resolve(`tcp ${address}:${health.port}: no answer`); });
    socket.once('error', (err) => resolve(`tcp ${address}:${health.port}: ${err.message}`));
  });
}
