// Disaster-recovery parity, a fact of a derived environment: every production host, role,
// database, Marathon app and Hadoop host paired with its counterpart in the copy, or with the
// reason it is left out. A derived environment cannot fall behind silently, but a hand edit can
// break it; this is what notices. The parity kind (generators/terraform) reports and renders it.
import { deepFreeze } from './capacity';
import type { Environment, ParityExclusion } from './environment';
import type { Role } from './hosts';
import { perObject } from './memo';
import { compare, hostsOf, sortedBy, type Host } from './resolve';
import { roleFacts } from './roles';

export type ParityKind = ParityExclusion['kind'] | 'role';

export type ParityStatus =
  /** The counterpart exists and matches in what defines it (role, engine, Hadoop roles). */
  | 'paired'
  /** Left out on purpose, with a written reason. */
  | 'excluded'
  /** No counterpart and no (reasoned) exclusion: a parity gap. */
  | 'missing'
  /** A counterpart of the same name that is something else (another role or engine). */
  | 'mismatch';

/** Facts shown side by side; plain strings and numbers so the JSON twin is easy to consume. */
export type ParityFacts = Record<string, string | number>;

export interface ParityEntry {
  kind: ParityKind;
  name: string;
  status: ParityStatus;
  production: ParityFacts;
  counterpart: ParityFacts | null;
  /** Exclusion reason, or what is wrong for `missing` and `mismatch`. */
  note?: string;
}

export interface ParityReport {
  environment: string;
  production: string;
  entries: ParityEntry[];
  /** Things the copy has that production does not (not a gap, but worth seeing). */
  onlyInCopy: { kind: ParityKind; name: string }[];
  /** Exclusions that name nothing production has: stale, or a typo hiding a real gap. */
  staleExclusions: ParityExclusion[];
}

interface Item {
  name: string;
  facts: ParityFacts;
  /** What must be equal for the counterpart to count (role, engine, Hadoop roles). */
  identity: string;
}

/**
 * Pairs production with a copy derived from it: once per pair of environment objects (check and
 * generate both ask), frozen like every fact of the resolved environment.
 */
export function parityOf(production: Environment, copy: Environment): ParityReport {
  return reports(production)(copy);
}

const reports = perObject((production: Environment) => perObject((copy: Environment) => deepFreeze(pair(production, copy))));

function pair(production: Environment, copy: Environment): ParityReport {
  const exclusions = copy.derivedFrom?.exclusions ?? [];
  const entries: ParityEntry[] = [];
  const onlyInCopy: ParityReport['onlyInCopy'] = [];
  const pair = (kind: ParityKind, prod: Item[], dr: Item[], excusedRole?: (name: string) => string | undefined) => {
    const drByName = new Map(dr.map((i) => [i.name, i]));
    for (const p of sortedBy(prod, (i) => i.name)) {
      const c = drByName.get(p.name);
      const exclusion = kind === 'role' ? undefined : exclusions.find((e) => e.kind === kind && e.name === p.name);
      const reason = kind === 'role' ? excusedRole?.(p.name) : exclusion?.reason.trim() || undefined;
      const entry: ParityEntry = { kind, name: p.name, status: 'paired', production: p.facts, counterpart: c?.facts ?? null };
      if (c && c.identity !== p.identity) {
        entry.status = 'mismatch';
        entry.note = `production has ${p.identity}, ${copy.name} has ${c.identity}`;
      } else if (!c && reason) {
        entry.status = 'excluded';
        entry.note = reason;
      } else if (!c) {
        entry.status = 'missing';
        entry.note = exclusion ? 'excluded without a reason' : `no counterpart in ${copy.name}`;
      }
      entries.push(entry);
    }
    const prodNames = new Set(prod.map((i) => i.name));
    for (const c of sortedBy(dr, (i) => i.name)) if (!prodNames.has(c.name)) onlyInCopy.push({ kind, name: c.name });
  };

  const prodHosts = hostsOf(production);
  const copyHosts = hostsOf(copy);
  const isDb = (h: Host) => roleFacts(h).parityKind === 'database';
  pair('host', prodHosts.filter((h) => !isDb(h)).map(hostItem), copyHosts.filter((h) => !isDb(h)).map(hostItem));
  pair('database', prodHosts.filter(isDb).map(databaseItem), copyHosts.filter(isDb).map(databaseItem));
  // A role needs no exclusion of its own: it is excused when every one of its hosts is.
  pair('role', roleItems(prodHosts), roleItems(copyHosts), (role) => {
    const hosts = prodHosts.filter((h) => h.role === role);
    const kind = roleFacts({ role: role as Role }).parityKind;
    const reasons = hosts.map((h) => exclusions.find((e) => e.kind === kind && e.name === h.name)?.reason.trim());
    return reasons.every(Boolean) ? `all ${hosts.length} of its hosts are excluded` : undefined;
  });
  pair('app', production.apps.map(appItem), copy.apps.map(appItem));
  pair('hadoop-host', production.hadoop.flatMap(hadoopItems), copy.hadoop.flatMap(hadoopItems));

  const names = new Map<string, Set<string>>();
  for (const e of entries) {
    if (!names.has(e.kind)) names.set(e.kind, new Set());
    names.get(e.kind)!.add(e.name);
  }
  const staleExclusions = sortedBy(exclusions.filter((e) => !names.get(e.kind)?.has(e.name)), (e) => `${e.kind}/${e.name}`);
  return { environment: copy.name, production: production.name, entries, onlyInCopy, staleExclusions };
}

function hostItem(h: Host): Item {
  return { name: h.name, identity: `role ${h.role}`, facts: { role: h.role, group: h.group.name, size: h.size, ip: h.ip ?? '' } };
}

function databaseItem(h: Host): Item {
  const g = h.group.role === 'database' ? h.group : undefined;
  const engine = g ? `${g.engine} ${g.engineVersion} on port ${g.port}` : '';
  return { name: h.name, identity: engine, facts: { engine: g ? `${g.engine} ${g.engineVersion}` : '', port: g?.port ?? 0, ip: h.ip ?? '', size: h.size } };
}

function roleItems(hosts: readonly Host[]): Item[] {
  const byRole = new Map<string, Host[]>();
  for (const h of hosts) byRole.set(h.role, [...(byRole.get(h.role) ?? []), h]);
  return [...byRole].map(([role, hs]) => ({
    name: role,
    identity: role,
    facts: { hosts: hs.length, groups: [...new Set(hs.map((h) => h.group.name))].sort(compare).join(', ') },
  }));
}

function appItem(app: Environment['apps'][number]): Item {
  return { name: app.id, identity: 'app', facts: { instances: app.instances, image: app.image } };
}

function hadoopItems(cluster: Environment['hadoop'][number]): Item[] {
  return cluster.hosts.map((h) => {
    const roles = [...h.roles].sort(compare).join(', ');
    return { name: h.name, identity: `Hadoop roles ${roles}`, facts: { cluster: cluster.name, roles, ip: h.ip, state: h.state } };
  });
}
