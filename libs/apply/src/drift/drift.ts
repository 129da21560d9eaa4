import * as path from 'node:path';
import type { Tree } from '@infra/render';
import { SshShell, type HostShell } from '../hosts';
import type { MarathonClient } from '../marathon-client';
import type { EnvironmentRecord } from '../record';
import { TerraformRunner } from '../terraform-runner';
import { hadoopDrift } from './hadoop-drift';
import { marathonDrift } from './marathon-drift';
import { patchDrift } from './patch-drift';
import { terraformDrift } from './terraform-drift';
import { SYSTEMS, type EnvironmentDrift, type PendingChange, type SystemName, type SystemResult } from './types';

// One environment's drift (DESIGN §3): the rendering at the last commit applied to it (from
// apply's record) compared with the live systems, read through apply's executors; what was
// merged since and not applied is listed apart as pending (never drift: apply will do it).

export interface DriftRequest {
  env: string;
  /** What apply's record says of the environment. */
  record: EnvironmentRecord;
  /** rendered/<env> at the applied commit (ignored when never applied). */
  applied: Tree;
  /** rendered/<env> at head (what is merged). */
  head: Tree;
}

export interface DriftWorld {
  /** Work directory outside rendered/ (terraform's copy). */
  workDir: string;
  env: NodeJS.ProcessEnv;
  marathon?: MarathonClient;
  shell?: HostShell;
  log: (line: string) => void;
  /** Systems not to read (their status is reported as not-rendered with a note). */
  skip?: SystemName[];
}

export async function environmentDrift(req: DriftRequest, world: DriftWorld): Promise<EnvironmentDrift> {
  const base: EnvironmentDrift = {
    name: req.env, status: 'in-sync', notes: [],
    systems: Object.fromEntries(SYSTEMS.map((s) => [s, { status: 'not-rendered', notes: [] }])) as unknown as Record<SystemName, SystemResult>,
    counts: { terraform: 0, marathon: 0, hadoop: 0, patches: 0, unmanagedApps: 0, pending: 0 },
    drift: { terraform: [], marathon: [], hadoop: [], patches: [] },
    unmanaged: [], pending: [],
  };
  const applied = req.record.applied;
  if (!applied) {
    const trying = req.record.attempt ? ` (an apply to ${req.record.attempt.to.slice(0, 12)} started but never completed: run infra apply ${req.env} to finish it)` : '';
    base.status = 'never-applied';
    base.notes.push(`${req.env} has never been applied${trying}: nothing live to compare. A DR skeleton is brought up with the dr workflow (README: Disaster recovery).`);
    return base;
  }
  base.applied = applied;
  if (req.record.attempt && req.record.attempt.to !== applied.commit) {
    base.notes.push(`an apply to ${req.record.attempt.to.slice(0, 12)} started and did not complete: what it changed may show as drift until it is resumed (infra apply ${req.env}).`);
  }
  base.pending = pendingChanges(req.applied, req.head);
  const shell = world.shell ?? new SshShell(world.env);
  const skip = new Set(world.skip ?? []);
  const note = (s: SystemName) => ({ status: 'not-rendered' as const, notes: [`not read (--skip ${s})`] });

  world.log(`drift: ${req.env}: comparing the live systems with ${applied.commit.slice(0, 12)}${applied.at ? ` (applied ${applied.at})` : ''}`);
  if (!skip.has('terraform')) {
    const tf = await terraformDrift(req.applied, new TerraformRunner({ workDir: path.join(world.workDir, req.env, 'terraform-drift'), env: world.env, log: world.log }));
    base.systems.terraform = tf.system;
    base.drift.terraform = tf.drift;
  } else base.systems.terraform = note('terraform');
  if (!skip.has('marathon')) {
    const m = await marathonDrift(req.applied, world.marathon, req.env);
    base.systems.marathon = m.system;
    base.drift.marathon = m.drift;
    base.unmanaged = m.unmanaged;
  } else base.systems.marathon = note('marathon');
  if (!skip.has('hadoop')) {
    const h = await hadoopDrift(req.applied, shell);
    base.systems.hadoop = h.system;
    base.drift.hadoop = h.drift;
  } else base.systems.hadoop = note('hadoop');
  if (!skip.has('patches')) {
    const p = await patchDrift(req.applied, shell);
    base.systems.patches = p.system;
    base.drift.patches = p.drift;
  } else base.systems.patches = note('patches');

  base.counts = {
    terraform: base.drift.terraform.length, marathon: base.drift.marathon.length, hadoop: base.drift.hadoop.length,
    patches: base.drift.patches.length, unmanagedApps: base.unmanaged.length, pending: base.pending.length,
  };
  const statuses = SYSTEMS.map((s) => base.systems[s].status);
  base.status = statuses.includes('drift') ? 'drift' : statuses.includes('unreachable') ? 'unreachable' : 'in-sync';
  return base;
}

/** Files of rendered/<env> merged since the applied commit (the manifest aside: it changes with any of them). */
export function pendingChanges(applied: Tree, head: Tree): PendingChange[] {
  const out: PendingChange[] = [];
  for (const p of [...new Set([...applied.keys(), ...head.keys()])].sort()) {
    if (p === 'manifest.json') continue;
    const a = applied.get(p);
    const h = head.get(p);
    if (a === h) continue;
    out.push({ path: p, change: a === undefined ? 'added' : h === undefined ? 'removed' : 'changed' });
  }
  return out;
}
