import { compare, hostsOf, type DatabaseGroup, type Environment, type MarathonApp, type Problem } from '@infra/model';
import { perObject } from '@infra/render';
import { appPath } from './names';

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

export interface ResolvedDependencies {
  /** Ids of apps that exist, sorted and unique. */
  apps: string[];
  /** Databases that exist, sorted by host name and unique. */
  databases: DatabaseTarget[];
}

/** The targets of an app's dependencies that exist (check() reports the ones that do not). */
export function resolveDependencies(env: Environment, app: MarathonApp): ResolvedDependencies {
  const appIds = appIdsOf(env.apps);
  const dbs = databasesOf(env);
  const apps = new Set<string>();
  const databases = new Map<string, DatabaseTarget>();
  for (const dep of app.dependsOn ?? []) {
    if ('app' in dep && appIds.has(dep.app)) apps.add(dep.app);
    if ('database' in dep && dbs.has(dep.database)) databases.set(dep.database, dbs.get(dep.database)!);
  }
  return {
    apps: [...apps].sort(compare),
    databases: [...databases.values()].sort((a, b) => compare(a.host, b.host)),
  };
}

/** Dependencies on apps or databases that the environment does not have, and cycles among apps. */
export function dependencyProblems(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const appIds = new Set(env.apps.map((a) => a.id));
  const dbs = databasesOf(env);
  const roleOf = new Map(hostsOf(env).map((h) => [h.name, h.role]));
  for (const app of [...env.apps].sort((a, b) => compare(a.id, b.id))) {
    for (const dep of app.dependsOn ?? []) {
      if ('app' in dep && !appIds.has(dep.app)) {
        problems.push({ env: env.name, path: appPath(app.id, 'dependsOn'), message: `depends on app ${dep.app}, which ${env.name} does not define` });
      }
      if ('database' in dep && !dbs.has(dep.database)) {
        const role = roleOf.get(dep.database);
        const why = role === undefined ? `which ${env.name} does not define` : `but ${dep.database} is a ${role} host, not a database`;
        problems.push({ env: env.name, path: appPath(app.id, 'dependsOn'), message: `depends on database ${dep.database}, ${why}` });
      }
    }
  }
  for (const cycle of findCycles(env.apps)) {
    problems.push({
      env: env.name,
      path: appPath(cycle[0], 'dependsOn'),
      message: `dependency cycle: ${[...cycle, cycle[0]].join(' → ')} (Marathon could never start these apps in order)`,
    });
  }
  return problems;
}

/**
 * One cycle per strongly connected component of the app dependency graph (Tarjan), each
 * starting at its smallest id and following the smallest next id, so the message is stable.
 */
export function findCycles(apps: readonly MarathonApp[]): string[][] {
  const ids = new Set(apps.map((a) => a.id));
  const edges = new Map<string, string[]>();
  for (const a of apps) {
    const targets = (a.dependsOn ?? []).flatMap((d) => ('app' in d && ids.has(d.app) ? [d.app] : []));
    edges.set(a.id, [...new Set([...(edges.get(a.id) ?? []), ...targets])].sort(compare));
  }
  const order = [...ids].sort(compare);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      components.push(comp);
    }
  };
  for (const v of order) if (!index.has(v)) visit(v);

  const cycles: string[][] = [];
  for (const comp of components) {
    const members = new Set(comp);
    const start = [...comp].sort(compare)[0];
    const selfLoop = (edges.get(start) ?? []).includes(start);
    if (comp.length === 1 && !selfLoop) continue;
    if (comp.length === 1) {
      cycles.push([start]);
      continue;
    }
    // Walk inside the component by smallest next id until a node repeats; cut the path there.
    const path: string[] = [start];
    for (;;) {
      const cur = path[path.length - 1];
      const nxt = (edges.get(cur) ?? []).find((w) => members.has(w) && w !== cur)!;
      const seen = path.indexOf(nxt);
      if (seen >= 0) {
        cycles.push(rotateToSmallest(path.slice(seen)));
        break;
      }
      path.push(nxt);
    }
  }
  return cycles.sort((a, b) => compare(a[0], b[0]));
}

function rotateToSmallest(cycle: string[]): string[] {
  const i = cycle.indexOf([...cycle].sort(compare)[0]);
  return [...cycle.slice(i), ...cycle.slice(0, i)];
}
