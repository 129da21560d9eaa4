// The Mesos agents and what can fail at once: the supply side of capacity, and what Marathon's
// placement constraints spread over. Derived once per environment (see resolved.ts).
import type { Environment } from './environment';
import { perObject } from './memo';
import { hostRack, hostsWithRole } from './resolve';

/** A Mesos agent with what it offers, in the units Marathon asks in (cpus, MiB, MiB). */
export interface Agent {
  name: string;
  /** Mesos attribute `rack`, when the definition gives one. */
  rack?: string;
  cpus: number;
  mem: number;
  disk: number;
}

/**
 * Agents of the environment, sorted by name. An agent whose size is not defined offers nothing
 * (validation reports the unknown size; here it must not crash the capacity figures).
 */
export const agentsOf = perObject((env: Environment): readonly Agent[] =>
  Object.freeze(hostsWithRole(env, 'mesos-agent').map((host) => {
    const size = env.sizes[host.size];
    const rack = hostRack(host.group, host.name);
    return Object.freeze({
      name: host.name,
      ...(rack === undefined ? {} : { rack }),
      cpus: size?.cpus ?? 0,
      mem: size?.memoryMiB ?? 0,
      disk: (size?.diskGiB ?? 0) * 1024,
    });
  })));

/** What can fail at once: a whole rack, or a single agent that carries no rack attribute. */
export interface FailureDomain {
  kind: 'rack' | 'agent';
  name: string;
  /** Agent names, sorted. */
  agents: string[];
}

/** Racks in name order, then the agents without a rack, each a domain of its own. */
export const failureDomains = perObject(function failureDomains(agents: readonly Agent[]): FailureDomain[] {
  const racks = new Map<string, string[]>();
  const loose: FailureDomain[] = [];
  for (const a of agents) {
    if (a.rack === undefined) loose.push({ kind: 'agent', name: a.name, agents: [a.name] });
    else if (racks.has(a.rack)) racks.get(a.rack)!.push(a.name);
    else racks.set(a.rack, [a.name]);
  }
  const racked = [...racks.keys()].sort().map((name): FailureDomain => ({ kind: 'rack', name, agents: [...racks.get(name)!].sort() }));
  return [...racked, ...loose];
});

/**
 * Whether every agent carries a rack. Only then may apps be spread by rack: Marathon refuses
 * offers from agents that lack an attribute a constraint names (except for UNLIKE), so a rack
 * constraint would strand the agents without one.
 */
export const allRacked = perObject((agents: readonly Agent[]): boolean => agents.length > 0 && agents.every((a) => a.rack !== undefined));

export function describeDomain(d: FailureDomain): string {
  return d.kind === 'rack' ? `rack ${d.name} (${d.agents.length} agent${d.agents.length === 1 ? '' : 's'})` : `agent ${d.name}`;
}
