// Demand of the Marathon apps (sidecars included) against the supply of the Mesos agents, and
// what is left after losing the largest failure domain. A fact of the environment: the marathon
// kind checks it, the inventory prints it; neither computes it (DESIGN §5, facts derived once).
import { agentsOf, failureDomains, type Agent, type FailureDomain } from './agents';
import { instanceResources, needsSidecar } from './app-resources';
import type { Environment } from './environment';
import { perObject } from './memo';
import { compare } from './resolve';

export type Resource = 'cpus' | 'mem' | 'disk';
export const RESOURCES: readonly Resource[] = ['cpus', 'mem', 'disk'];
export const RESOURCE_UNIT: Readonly<Record<Resource, string>> = { cpus: 'cpus', mem: 'MiB', disk: 'MiB' };

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
 * Once per environment; read it through `resolve(env).capacity`.
 */
export const capacityOf = perObject((env: Environment): CapacityReport => {
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
  return deepFreeze({ env: env.name, agents: agents.length, domains, apps, resources });
});

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
    unit: RESOURCE_UNIT[r],
    demand: unmilli(demand),
    supply: unmilli(supply),
    ...(largest === undefined ? {} : { largestDomain: { ...largest, amount: unmilli(largest.amount) } }),
    supplyAfterLoss: unmilli(after),
    utilization: ratio(demand, supply),
    utilizationAfterLoss: ratio(demand, after),
    shortfall: unmilli(Math.max(0, demand - after)),
  };
}

/** Shared, so no reader can change the one copy in place. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
