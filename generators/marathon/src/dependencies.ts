import { compare, groupHosts, hostsOf, type DatabaseGroup, type Environment, type MarathonApp } from '@infra/model';
import { perObject } from '@infra/render';

/** A database host an app depends on, with its fixed address in this environment. */
export interface DatabaseTarget {
  host: string;
  ip: string;
  port: number;
  engine: DatabaseGroup['engine'];
}

/** Database hosts by name. Looked up in the environment being rendered, so DR apps get DR addresses. */
export const databasesOf = perObject((env: Environment): ReadonlyMap<string, DatabaseTarget> => {
  const out = new Map<string, DatabaseTarget>();
  for (const host of hostsOf(env)) {
    if (host.role !== 'database' || host.ip === undefined) continue;
    const group = host.group as DatabaseGroup;
    out.set(host.name, { host: host.name, ip: host.ip, port: group.port, engine: group.engine });
  }
  return out;
});

const appIdsOf = perObject((apps: readonly MarathonApp[]) => new Set(apps.map((a) => a.id)));

/**
 * An app still on an app-server group that a Marathon app depends on (moving onto Mesos before
 * what it calls): every server of the group, by address, and the app's port.
 */
export interface HostedTarget {
  name: string;
  group: string;
  /** `<ip>:<port>` of each server of the group, sorted. */
  addresses: string[];
  port: number;
}

/** Hosted apps by name, resolved once per environment; servers without an address are left out. */
export const hostedOf = perObject((env: Environment): ReadonlyMap<string, HostedTarget> => {
  const out = new Map<string, HostedTarget>();
  for (const group of env.hostGroups) {
    if (group.role !== 'app-server') continue;
    const ips = groupHosts(group).flatMap((h) => (h.ip === undefined ? [] : [h.ip]));
    for (const app of group.apps) {
      if (out.has(app.name)) continue;
      out.set(app.name, { name: app.name, group: group.name, port: app.port, addresses: ips.map((ip) => `${ip}:${app.port}`).sort(compare) });
    }
  }
  return out;
});

export interface ResolvedDependencies {
  /** Ids of apps that exist, sorted and unique. */
  apps: string[];
  /** Databases that exist, sorted by host name and unique. */
  databases: DatabaseTarget[];
  /** Hosted apps that exist, sorted by name and unique. */
  hosted: HostedTarget[];
}

/**
 * The targets of an app's dependencies that exist. Which do not, and cycles, are validation's
 * to report (libs/validate dependency-rules.ts, the one home of those rules). Asked for by check,
 * the app definition, its configuration and its sidecar alike: derived once per environment and
 * app, frozen so that no caller changes the shared answer.
 */
export function resolveDependencies(env: Environment, app: MarathonApp): ResolvedDependencies {
  return dependenciesOf(env)(app);
}

const dependenciesOf = perObject((env: Environment) => perObject((app: MarathonApp) => Object.freeze(dependenciesOnce(env, app))));

function dependenciesOnce(env: Environment, app: MarathonApp): ResolvedDependencies {
  const appIds = appIdsOf(env.apps);
  const dbs = databasesOf(env);
  const hostedApps = hostedOf(env);
  const apps = new Set<string>();
  const databases = new Map<string, DatabaseTarget>();
  const hosted = new Map<string, HostedTarget>();
  for (const dep of app.dependsOn ?? []) {
    if ('app' in dep && appIds.has(dep.app)) apps.add(dep.app);
    if ('database' in dep && dbs.has(dep.database)) databases.set(dep.database, dbs.get(dep.database)!);
    if ('hosted' in dep && hostedApps.has(dep.hosted)) hosted.set(dep.hosted, hostedApps.get(dep.hosted)!);
  }
  return {
    apps: [...apps].sort(compare),
    databases: [...databases.values()].sort((a, b) => compare(a.host, b.host)),
    hosted: [...hosted.values()].sort((a, b) => compare(a.name, b.name)),
  };
}
