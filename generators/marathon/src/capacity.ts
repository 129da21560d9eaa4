import { compare, type Environment, type Problem } from '@infra/model';
import { agentsOf, describeDomain, failureDomains, type Agent, type FailureDomain } from './agents';
import { appPath } from './names';
import { instanceResources, needsSidecar } from './sidecar';

export type Resource = 'cpus' | 'mem' | 'disk';
export const RESOURCES: readonly Resource[] = ['cpus', 'mem', 'disk'];
const UNIT: Record<Resource, string> = { cpus: 'cpus', mem: 'MiB', disk: 'MiB' };

/** What one app asks for, sidecar included. */
export interface AppDemand {
  id: string;
  instances: number;
  sidecar: boolean;
  perInstance: Record<Resource, number>;
  total: Record<Resource, number>;
}

export interface ResourceCapacity {
  resource: Resource;
  unit: string;
  /** Every app's per-instance resources times its instances, sidecars included. */
  demand: number;
  /** Everything the agents offer. */
  supply: number;
  /** The failure domain holding the most of this resource; absent when there are no agents. */
  largestDomain?: FailureDomain & { amount: number };
  /** Supply left after losing `largestDomain`. */
  supplyAfterLoss: number;
  /** demand / supply (Infinity when demand meets no supply, 0 when nothing is asked). */
  utilization: number;
  /** demand / supplyAfterLoss: the figure that must stay at or below 1. */
  utilizationAfterLoss: number;
  /** How much is missing after losing the largest failure domain (0 when it fits). */
  shortfall: number;
}

export interface CapacityReport {
  env: string;
  agents: number;
  domains: FailureDomain[];
  /** Sorted by app id. */
  apps: AppDemand[];
  resources: Record<Resource, ResourceCapacity>;
}

// Sums are taken in thousandths as integers, so the figures do not depend on the order in which
// apps or hosts are listed (floating-point addition is not associative).
const milli = (x: number) => Math.round(x * 1000);
const unmilli = (x: number) => x / 1000;

/**
 * Demand against supply per resource, and whether demand still fits after losing the largest
 * failure domain: a rack when agents carry rack attributes, otherwise one agent (agents without
 * a rack are each their own domain). Supply is the agents' VM sizes (disk GiB × 1024 MiB).
 */
export function capacity(env: Environment): CapacityReport {
  const agents = agentsOf(env);
  const domains = failureDomains(agents);
  const apps = [...env.apps].sort((a, b) => compare(a.id, b.id)).map((app): AppDemand => {
    const per = instanceResources(app, env.sidecar);
    return {
      id: app.id,
      instances: app.instances,
      sidecar: needsSidecar(app),
      perInstance: per,
      total: { cpus: unmilli(milli(per.cpus) * app.instances), mem: unmilli(milli(per.mem) * app.instances), disk: unmilli(milli(per.disk) * app.instances) },
    };
  });
  const byName = new Map(agents.map((a) => [a.name, a]));
  const resources = Object.fromEntries(
    RESOURCES.map((r) => [r, resourceCapacity(r, apps, agents, domains, byName)]),
  ) as Record<Resource, ResourceCapacity>;
  return { env: env.name, agents: agents.length, domains, apps, resources };
}

function resourceCapacity(
  r: Resource,
  apps: AppDemand[],
  agents: readonly Agent[],
  domains: FailureDomain[],
  byName: Map<string, Agent>,
): ResourceCapacity {
  const demand = apps.reduce((sum, a) => sum + milli(a.perInstance[r]) * a.instances, 0);
  const supply = agents.reduce((sum, a) => sum + milli(a[r]), 0);
  let largest: (FailureDomain & { amount: number }) | undefined;
  for (const d of domains) {
    const amount = d.agents.reduce((sum, n) => sum + milli(byName.get(n)![r]), 0);
    // Ties go to the first domain in name order, so the report is stable.
    if (largest === undefined || amount > largest.amount) largest = { ...d, amount };
  }
  const after = supply - (largest?.amount ?? 0);
  const ratio = (d: number, s: number) => (d === 0 ? 0 : s === 0 ? Infinity : d / s);
  return {
    resource: r,
    unit: UNIT[r],
    demand: unmilli(demand),
    supply: unmilli(supply),
    ...(largest === undefined ? {} : { largestDomain: { ...largest, amount: unmilli(largest.amount) } }),
    supplyAfterLoss: unmilli(after),
    utilization: ratio(demand, supply),
    utilizationAfterLoss: ratio(demand, after),
    shortfall: unmilli(Math.max(0, demand - after)),
  };
}

/**
 * Problems when demand does not fit after losing the largest failure domain, one per resource
 * with the shortfall, and when one instance is bigger than any agent (it could never start).
 */
export function capacityProblems(env: Environment, report = capacity(env)): Problem[] {
  const problems: Problem[] = [];
  for (const r of RESOURCES) {
    const c = report.resources[r];
    if (c.shortfall <= 0) continue;
    const unit = c.unit;
    const where =
      c.largestDomain === undefined
        ? 'none available: the environment has no Mesos agents'
        : `${c.supplyAfterLoss} ${unit} left after losing ${describeDomain(c.largestDomain)}`;
    problems.push({
      env: env.name,
      path: `capacity/${r}`,
      message: `needs ${c.demand} ${unit}, ${where}; short by ${c.shortfall} ${unit} (add agents or reduce instances)`,
    });
  }
  const agents = agentsOf(env);
  if (agents.length === 0) return problems;
  const biggestOf = Object.fromEntries(RESOURCES.map((r) => [r, Math.max(...agents.map((a) => a[r]))])) as Record<Resource, number>;
  for (const app of report.apps) {
    if (app.instances === 0) continue;
    for (const r of RESOURCES) {
      const biggest = biggestOf[r];
      if (app.perInstance[r] > biggest) {
        const sidecar = app.sidecar && r !== 'disk' ? ' (sidecar included)' : '';
        problems.push({
          env: env.name,
          path: appPath(app.id, r),
          message: `one instance needs ${app.perInstance[r]} ${UNIT[r]}${sidecar}, more than the largest agent offers (${biggest} ${UNIT[r]})`,
        });
      }
    }
  }
  return problems;
}
