import { allRacked, failureDomains, type Agent, type MarathonApp } from '@infra/model';
import { perObject } from '@infra/render';

export type Constraint = [string, string] | [string, string, string];

/**
 * Spreads instances over agents and racks so that losing one of them costs as few instances as
 * possible, while staying placeable after losing the largest failure domain:
 *
 * - hostname: UNIQUE while the instances fit one per surviving agent, otherwise MAX_PER the
 *   smallest number that fits (UNIQUE would leave instances unplaced after a failure).
 * - rack: GROUP_BY without a value, only when every agent has a rack. With a value N, Marathon
 *   refuses offers until tasks run in N racks (Constraints.checkGroupBy counts racks from placed
 *   tasks), so after losing a rack nothing could be replaced; without one it evens out over the
 *   racks it sees.
 */
export function constraintsFor(app: MarathonApp, agents: readonly Agent[]): Constraint[] {
  const surviving = survivingAgents(agents);
  const perAgent = Math.max(1, Math.ceil(app.instances / surviving));
  const out: Constraint[] = [perAgent === 1 ? ['hostname', 'UNIQUE'] : ['hostname', 'MAX_PER', String(perAgent)]];
  if (allRacked(agents)) out.push(['rack', 'GROUP_BY']);
  return out;
}

/** Agents left after losing the largest failure domain (at least one), once per agent list. */
const survivingAgents = perObject((agents: readonly Agent[]): number => {
  const largest = failureDomains(agents).reduce((max, d) => Math.max(max, d.agents.length), 0);
  return Math.max(1, agents.length - largest);
});

export interface UpgradeStrategy {
  minimumHealthCapacity: number;
  maximumOverCapacity: number;
}

/**
 * Keep full strength during a deployment (minimumHealthCapacity 1) and start new instances
 * before stopping old ones, at most half the app at a time. Marathon floors
 * instances × (1 + over); where that leaves no room (one instance) it allows one extra instance
 * by itself (TaskReplaceActor.computeRestartStrategy), so one rule serves every app. The
 * overshoot comes out of the headroom the capacity check keeps for the largest failure domain.
 */
export function upgradeStrategyFor(): UpgradeStrategy {
  return { minimumHealthCapacity: 1, maximumOverCapacity: 0.5 };
}
