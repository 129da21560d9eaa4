import type { TerraformChange, Tree } from '@infra/render';
import { StepFailed } from './errors';
import { healthGate, type GateOptions } from './health-gate';
import type { ApplyKinds } from './kinds';
import { notInFullPlan, plannedChanges, refusals, rollout, steadyAgents, steadyProbes, type Batch, type Overrides, type PlannedChange } from './terraform-plan';
import type { TerraformRunner } from './terraform-runner';

// The terraform step of DESIGN §3 "What apply may do": one full plan to a file, compared with
// the reviewed diff and the refusals; then each batch planned with -target to its own file,
// checked to be part of the full plan, applied from that file, and followed by a health gate.

export interface TerraformPlanResult {
  planned: PlannedChange[];
  refusals: string[];
  batches: Batch[];
  /** A gate before the first batch that takes a VM down: the cluster is whole before it starts. */
  preflight: Batch;
}

export interface TerraformPlanInputs {
  env: string;
  base: Tree;
  target: Tree;
  reviewed: TerraformChange[];
  kinds: ApplyKinds;
  overrides: Overrides;
}

export async function planTerraform(runner: TerraformRunner, inputs: TerraformPlanInputs): Promise<TerraformPlanResult> {
  runner.prepare(inputs.target);
  await runner.init();
  await runner.plan('full.plan');
  const planned = plannedChanges(await runner.show('full.plan'));
  const batches = rollout(planned, inputs.base, inputs.target, inputs.kinds, inputs.reviewed);
  return {
    planned,
    batches,
    preflight: { name: 'before the rollout', addresses: [], hosts: steadyAgents(planned, inputs.target, inputs.kinds), canary: false, probes: steadyProbes(planned, inputs.target) },
    refusals: refusals(inputs.env, planned, inputs.reviewed, inputs.base, inputs.target, inputs.kinds, inputs.overrides),
  };
}

export async function applyTerraform(runner: TerraformRunner, plan: TerraformPlanResult, gate: GateOptions, onBatch?: (done: number, of: number) => void): Promise<void> {
  const log = gate.log ?? (() => {});
  const { batches } = plan;
  let preflightDone = false;
  for (const [i, batch] of batches.entries()) {
    if (batch.hosts.length && !preflightDone) {
      await healthGate(plan.preflight, 'before the rollout', gate);
      preflightDone = true;
    }
    const label = `batch ${i + 1}/${batches.length} (${batch.name})`;
    const file = `batch-${i + 1}.plan`;
    const t0 = Date.now();
    log(`terraform: ${label}: planning ${batch.addresses.length} address(es)`);
    await runner.plan(file, batch.addresses);
    const own = plannedChanges(await runner.show(file));
    const extra = notInFullPlan(own, plan.planned);
    if (extra.length) {
      throw new StepFailed(`terraform: ${label}: its plan is not part of the full plan: ${extra.join(', ')}. Nothing of this batch was applied. Something changed the state during the apply; run infra apply again to plan afresh.`);
    }
    if (own.length === 0) {
      log(`terraform: ${label}: already applied`);
    } else {
      await runner.apply(file);
      log(`terraform: ${label}: applied in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    // Gated even when already applied: a re-run after a failed gate must not take the next batch
    // down while the servers of the last one are still unhealthy.
    if (batch.hosts.length) {
      const deadlineMs = batch.watchS === undefined ? gate.deadlineMs : Math.min(batch.watchS * 1000, gate.capMs ?? Infinity);
      await healthGate(batch, label, { ...gate, deadlineMs });
    }
    onBatch?.(i + 1, batches.length);
  }
}
