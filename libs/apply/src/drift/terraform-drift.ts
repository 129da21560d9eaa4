import type { Tree } from '@infra/render';
import { StepFailed } from '../errors';
import { TerraformRunner } from '../terraform-runner';
import type { FieldDrift, SystemResult, TerraformDrift } from './types';

// Terraform read back: `plan -refresh-only -detailed-exitcode` on a copy of the applied rendering
// (through apply's runner: outside rendered/, never interactive, without taking the state lock), then
// `show -json` of that plan: `resource_drift` lists what changed outside the tool, by address,
// with the state before the refresh and the real object after it. Nothing is applied: the plan
// file is left in the work directory and the state is not written.

export interface TerraformDriftResult {
  system: SystemResult;
  drift: TerraformDrift[];
}

interface DriftEntry {
  address: string;
  change: { actions: string[]; before?: unknown; after?: unknown };
}

export async function terraformDrift(applied: Tree, runner: TerraformRunner): Promise<TerraformDriftResult> {
  if (![...applied.keys()].some((p) => p.startsWith('terraform/'))) return { system: { status: 'not-rendered', notes: [] }, drift: [] };
  try {
    runner.prepare(applied);
    await runner.init();
    // -lock=false: a refresh-only plan never writes the state, so it must never hold the lock an
    // apply of the same environment is waiting for.
    const res = await runner.run(['plan', '-refresh-only', '-input=false', '-lock=false', '-detailed-exitcode', '-out=drift.plan']);
    if (res.code !== 0 && res.code !== 2) {
      const last = res.tail.filter((l) => l.trim()).slice(-4).join(' ');
      return { system: { status: 'unreachable', notes: [`terraform plan -refresh-only failed (exit ${res.code}): ${last}. Check the credentials and that the provider's API is reachable from this runner, then run again.`] }, drift: [] };
    }
    const shown = await runner.run(['show', '-json', 'drift.plan'], { quiet: true });
    if (shown.code !== 0) throw new StepFailed(`terraform show -json drift.plan failed (exit ${shown.code})`);
    const doc = JSON.parse(shown.stdout) as { resource_drift?: DriftEntry[] };
    const drift = (doc.resource_drift ?? [])
      .filter((d) => !d.change.actions.includes('no-op'))
      .map((d): TerraformDrift => ({
        address: d.address,
        action: d.change.actions.includes('delete') && d.change.after == null ? 'delete' : 'update',
        attributes: d.change.after == null ? [] : leafDiff(d.change.before, d.change.after),
      }))
      .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
    return { system: { status: drift.length ? 'drift' : 'in-sync', notes: [] }, drift };
  } catch (err) {
    return { system: { status: 'unreachable', notes: [(err as Error).message.split('\n').filter(Boolean).join(' ')] }, drift: [] };
  }
}

/** Leaf paths whose values differ, applied (before the refresh) and live (after). */
export function leafDiff(applied: unknown, live: unknown, path = ''): FieldDrift[] {
  const isObj = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object';
  if (isObj(applied) && isObj(live) && Array.isArray(applied) === Array.isArray(live)) {
    const keys = [...new Set([...Object.keys(applied), ...Object.keys(live)])].sort();
    return keys.flatMap((k) => leafDiff(applied[k], live[k], path ? (Array.isArray(applied) ? `${path}[${k}]` : `${path}.${k}`) : k));
  }
  return JSON.stringify(applied) === JSON.stringify(live) ? [] : [{ path, applied, live }];
}
