// The one home of the rules on app dependencies: each target exists and is what the dependency
// says it is (a Marathon app, an app hosted on an app-server group, a database host), no cycle
// among Marathon apps, no dependency on an app scaled to nothing, and a hosted app's
// replacement exists. The marathon kind only resolves the targets that pass.
import {
  compare, hostNames, type AppServerGroup, type Environment, type MarathonApp, type Problem,
} from '@infra/model';

type Report = (path: string, message: string) => void;

export function checkDependencies(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const report: Report = (path, message) => problems.push({ env: env.name, path, message });
  const apps = new Map(env.apps.map((a) => [a.id, a]));
  const hosted = hostedApps(env);
  const databases = new Set(env.hostGroups.filter((g) => g.role === 'database').flatMap((g) => hostNames(g)));
  const roleOf = new Map(env.hostGroups.flatMap((g) => hostNames(g).map((h) => [h, g.role] as const)));
  const may = whatMayBeNamed(env, hosted, databases);

  for (const app of [...env.apps].sort((a, b) => compare(a.id, b.id))) {
    const at = `apps${app.id}/dependsOn`;
    for (const dep of app.dependsOn ?? []) {
      if ('app' in dep) {
        const target = apps.get(dep.app);
        if (target === undefined) {
          const asHosted = hosted.get(dep.app.replace(/^\//, ''));
          report(at, asHosted
            ? `depends on app ${dep.app}, but ${asHosted.app.name} is hosted on app-server group ${asHosted.group.name}, not on Marathon: depend on it with dependsOnHosted('${asHosted.app.name}')`
            : `depends on app ${dep.app}, which ${env.name} does not define. ${may}`);
        } else if (target.instances === 0) {
          report(at, `depends on app ${dep.app}, which has instances: 0: ${app.id} could never reach it. Scale ${dep.app} up, or remove the dependency`);
        }
      } else if ('hosted' in dep) {
        const target = hosted.get(dep.hosted);
        if (target === undefined) {
          const hint = apps.has(dep.hosted) || apps.has(`/${dep.hosted}`) ? ` ${dep.hosted} is a Marathon app: depend on it with dependsOnApp('${apps.has(dep.hosted) ? dep.hosted : `/${dep.hosted}`}').` : ` ${may}`;
          report(at, `depends on hosted app ${dep.hosted}, which no app-server group of ${env.name} hosts.${hint}`);
        } else if (hostNames(target.group).length === 0) {
          report(at, `depends on hosted app ${dep.hosted}, but its app-server group ${target.group.name} has no hosts`);
        }
      } else if (!databases.has(dep.database)) {
        const role = roleOf.get(dep.database);
        report(at, role === undefined
          ? `depends on database ${dep.database}, which ${env.name} does not define. ${may}`
          : `depends on database ${dep.database}, but ${dep.database} is ${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role} host, not a database. ${may}`);
      }
    }
  }
  for (const cycle of findCycles(env.apps)) {
    report(`apps${cycle[0]}/dependsOn`, `dependency cycle: ${[...cycle, cycle[0]].join(' → ')}: Marathon could never start these apps in order; remove one of these dependencies`);
  }
  for (const { app, group } of [...hosted.values()].sort((a, b) => compare(a.app.name, b.app.name))) {
    if (app.replacedBy !== undefined && !apps.has(app.replacedBy)) {
      report(`hostGroups/${group.name}/apps/${app.name}/replacedBy`, `names Marathon app ${app.replacedBy}, which ${env.name} does not define: define the Marathon app first (both run during the move), or correct the id`);
    }
  }
  return problems;
}

export interface HostedTarget {
  app: AppServerGroup['apps'][number];
  group: AppServerGroup;
}

/** Every app hosted on an app-server group, by name (the first group wins; names are unique). */
export function hostedApps(env: Environment): Map<string, HostedTarget> {
  const out = new Map<string, HostedTarget>();
  for (const group of env.hostGroups) {
    if (group.role !== 'app-server') continue;
    for (const app of group.apps) if (!out.has(app.name)) out.set(app.name, { app, group });
  }
  return out;
}

/** The advice every unresolvable dependency ends with: the three kinds, each with a real example. */
function whatMayBeNamed(env: Environment, hosted: Map<string, HostedTarget>, databases: Set<string>): string {
  const first = (xs: Iterable<string>) => [...xs].sort(compare)[0];
  const eg = (x: string | undefined) => (x === undefined ? ', none here' : `, e.g. '${x}'`);
  return `A dependency names a Marathon app by id (dependsOnApp${eg(first(env.apps.map((a) => a.id)))}), ` +
    `an app hosted on an app-server group by name (dependsOnHosted${eg(first(hosted.keys()))}) ` +
    `or a database host (dependsOnDatabase${eg(first(databases))}).`;
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
  for (const v of [...ids].sort(compare)) if (!index.has(v)) visit(v);

  const cycles: string[][] = [];
  for (const comp of components) {
    const members = new Set(comp);
    const start = [...comp].sort(compare)[0];
    if (comp.length === 1) {
      if ((edges.get(start) ?? []).includes(start)) cycles.push([start]);
      continue;
    }
    // Walk inside the component by smallest next id until a node repeats; cut the path there.
    const path: string[] = [start];
    for (;;) {
      const cur = path[path.length - 1];
      const nxt = (edges.get(cur) ?? []).find((w) => members.has(w) && w !== cur)!;
      const seen = path.indexOf(nxt);
      if (seen >= 0) {
        const cycle = path.slice(seen);
        const i = cycle.indexOf([...cycle].sort(compare)[0]);
        cycles.push([...cycle.slice(i), ...cycle.slice(0, i)]);
        break;
      }
      path.push(nxt);
    }
  }
  return cycles.sort((a, b) => compare(a[0], b[0]));
}
