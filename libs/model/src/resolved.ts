// The resolved environment (DESIGN §2): the facts every kind reads, derived once per environment
// object and frozen, so no kind recomputes them and none can change them for another.
import { agentsOf, failureDomains, type Agent, type FailureDomain } from './agents';
import { capacityOf, type CapacityReport } from './capacity';
import type { Environment } from './environment';
import type { HostGroup, Role } from './hosts';
import { perObject } from './memo';
import { hostRack, hostsOf, type Host } from './resolve';
import { roleFacts } from './roles';

/** A VM with its address and where it is placed. */
export interface ResolvedHost extends Host {
  /** The rack the definition places it in (agents and masters), if any. */
  readonly rack?: string;
  /**
   * What fails with it, for roles rolled by failure domain (agents, masters): its rack, else
   * its subnet's availability zone (AWS). Undefined for other roles, or when nothing says.
   */
  readonly failureDomain?: string;
}

export interface ResolvedEnvironment {
  readonly env: Environment;
  /** Every VM, sorted by name. */
  readonly hosts: readonly ResolvedHost[];
  host(name: string): ResolvedHost | undefined;
  /** The VMs of one role, sorted by name. */
  withRole(role: Role): readonly ResolvedHost[];
  /** The Mesos agents and what each offers, sorted by name. */
  readonly agents: readonly Agent[];
  /** The agents' failure domains: racks in name order, then unracked agents one by one. */
  readonly failureDomains: readonly FailureDomain[];
  /** Apps' demand against the agents' supply, after losing the largest failure domain. */
  readonly capacity: CapacityReport;
}

/**
 * What fails with a host of `group`, for roles rolled by failure domain (ROLE_FACTS): its rack,
 * else the availability zone of its group's subnet. The one rule; resolve() applies it to every host.
 */
export function hostFailureDomain(env: Environment, group: HostGroup, host: string): string | undefined {
  if (!roleFacts(group).failureDomains) return undefined;
  return hostRack(group, host) ?? env.network.subnets.find((s) => s.name === group.subnet)?.zone;
}

function resolveOnce(env: Environment): ResolvedEnvironment {
  const hosts = Object.freeze(hostsOf(env).map((h): ResolvedHost => {
    const rack = hostRack(h.group, h.name);
    const domain = hostFailureDomain(env, h.group, h.name);
    return Object.freeze({
      ...h,
      ...(rack === undefined ? {} : { rack }),
      ...(domain === undefined ? {} : { failureDomain: domain }),
    });
  }));
  const byName = new Map(hosts.map((h) => [h.name, h]));
  const byRole = new Map<Role, readonly ResolvedHost[]>();
  const withRole = (role: Role) => {
    let list = byRole.get(role);
    if (!list) byRole.set(role, (list = Object.freeze(hosts.filter((h) => h.role === role))));
    return list;
  };
  return Object.freeze({
    env,
    hosts,
    host: (name: string) => byName.get(name),
    withRole,
    agents: agentsOf(env),
    failureDomains: Object.freeze(failureDomains(agentsOf(env))),
    // Derived when first read: a definition that validation refuses may still be asked for its
    // hosts, and its apps need not add up.
    get capacity() {
      return capacityOf(env);
    },
  });
}

/**
 * The resolved environment: the same frozen object for the same environment object, however
 * many kinds ask. Definitions never change once defined (a changed one is a new object).
 */
export const resolve: (env: Environment) => ResolvedEnvironment = perObject(resolveOnce);
