// The inventory's reading of two renderings: servers and apps added, removed or changed, the
// capacity left after losing the largest failure domain (before → after), dependencies left
// without a provider, and (for a derived environment) DR parity lost or regained. It also hands
// the review the counts it needs to say "all of them at once" (masters, agents per domain).
import type { CapacityChange, InventoryChange, KindDiff, ParityChange, Tree } from '@infra/render';

interface Server { hostname: string; role: string; group: string; ip: string; size: string; rack: string; stemcell: string; userData: string }
interface App { id: string; instances: number; dependsOn: string[] }
interface Capacity { resource: string; unit: string; demand: number; supplyAfterLoss: number; utilizationAfterLoss: number; shortfall: number; largestDomain?: { kind: string; name: string } | null }
interface Inventory { servers?: Server[]; apps?: App[]; capacity?: Capacity[] }

const PARITY_SECTIONS = ['hosts', 'roles', 'databases', 'apps', 'hadoopHosts'] as const;
type ParityDoc = Partial<Record<(typeof PARITY_SECTIONS)[number], { name: string; status: string; note?: string }[]>>;

export const inventoryDiff: KindDiff = {
  kind: 'inventory',
  // The counts before the change are needed even when the inventory did not change.
  needs: (path) => path === 'inventory.json',
  diff(before, after) {
    const inventory = diffInventory(before, after);
    const parity = diffParity(before, after);
    return { ...(inventory ? { inventory } : {}), ...(parity ? { parity } : {}), summary: summaryLines(inventory, parity) };
  },
};

const parse = <T>(tree: Tree, path: string): T | undefined => {
  const text = tree.get(path);
  return text === undefined ? undefined : (JSON.parse(text) as T);
};

export function diffInventory(before: Tree, after: Tree): InventoryChange | undefined {
  const a = parse<Inventory>(before, 'inventory.json');
  const b = parse<Inventory>(after, 'inventory.json');
  if (!a && !b) return undefined;
  const sa = new Map((a?.servers ?? []).map((s) => [s.hostname, s]));
  const sb = new Map((b?.servers ?? []).map((s) => [s.hostname, s]));
  const appsA = new Map((a?.apps ?? []).map((x) => [x.id, x]));
  const appsB = new Map((b?.apps ?? []).map((x) => [x.id, x]));
  const serversChanged: InventoryChange['serversChanged'] = [];
  for (const [host, s] of sb) {
    const o = sa.get(host);
    if (!o) continue;
    const changes = (['role', 'group', 'ip', 'size', 'rack', 'stemcell', 'userData'] as const)
      .filter((k) => o[k] !== s[k])
      .map((k) => (k === 'userData' ? 'user-data changed' : `${k}: ${o[k] || '-'} → ${s[k] || '-'}`));
    if (changes.length) serversChanged.push({ host, changes });
  }
  const byRole: Record<string, number> = {};
  const agentsByDomain: Record<string, number> = {};
  const agentDomains: Record<string, string> = {};
  for (const s of sa.values()) {
    byRole[s.role] = (byRole[s.role] ?? 0) + 1;
    if (s.role === 'mesos-agent') agentsByDomain[s.rack || '(no rack)'] = (agentsByDomain[s.rack || '(no rack)'] ?? 0) + 1;
  }
  for (const s of [...sa.values(), ...sb.values()]) if (s.role === 'mesos-agent') agentDomains[s.hostname] = s.rack || '(no rack)';
  return {
    serversAdded: [...sb.keys()].filter((h) => !sa.has(h)).sort(),
    serversRemoved: [...sa.keys()].filter((h) => !sb.has(h)).sort(),
    serversChanged: serversChanged.sort((x, y) => (x.host < y.host ? -1 : 1)),
    appsAdded: [...appsB.keys()].filter((id) => !appsA.has(id)).sort(),
    appsRemoved: [...appsA.keys()].filter((id) => !appsB.has(id)).sort(),
    capacity: capacityChanges(a?.capacity ?? [], b?.capacity ?? []),
    unprovided: unprovided(b, sb, appsB).filter((u) => !unprovided(a, sa, appsA).some((v) => v.app === u.app && v.dependency === u.dependency)),
    before: { byRole, agentsByDomain },
    agentDomains,
  };
}

/** Dependencies of `inv`'s apps with no provider in `inv` (no such app, no such database host). */
function unprovided(inv: Inventory | undefined, servers: Map<string, Server>, apps: Map<string, App>): { app: string; dependency: string }[] {
  const out: { app: string; dependency: string }[] = [];
  for (const app of inv?.apps ?? []) {
    for (const dep of app.dependsOn ?? []) {
      const ok = dep.startsWith('db:') ? servers.has(dep.slice(3)) : apps.has(dep);
      if (!ok) out.push({ app: app.id, dependency: dep.startsWith('db:') ? `database ${dep.slice(3)}` : dep });
    }
  }
  return out;
}

function capacityChanges(a: Capacity[], b: Capacity[]): CapacityChange[] {
  const out: CapacityChange[] = [];
  for (const r of b) {
    const o = a.find((x) => x.resource === r.resource);
    if (o && o.demand === r.demand && o.supplyAfterLoss === r.supplyAfterLoss) continue;
    out.push({
      resource: r.resource, unit: r.unit,
      demandBefore: o?.demand ?? 0, demandAfter: r.demand,
      supplyAfterLossBefore: o?.supplyAfterLoss ?? 0, supplyAfterLossAfter: r.supplyAfterLoss,
      utilizationAfterLossBefore: o?.utilizationAfterLoss ?? 0, utilizationAfterLossAfter: r.utilizationAfterLoss,
      shortfallBefore: o?.shortfall ?? 0, shortfallAfter: r.shortfall,
      ...(r.largestDomain ? { largestDomainAfter: `${r.largestDomain.kind} ${r.largestDomain.name}` } : {}),
    });
  }
  return out;
}

const HELD = new Set(['paired', 'excluded']);

export function diffParity(before: Tree, after: Tree): ParityChange | undefined {
  const a = parse<ParityDoc>(before, 'PARITY.json');
  const b = parse<ParityDoc>(after, 'PARITY.json');
  if (!a && !b) return undefined;
  const lost: ParityChange['lost'] = [];
  const regained: ParityChange['regained'] = [];
  for (const kind of PARITY_SECTIONS) {
    const was = new Map((a?.[kind] ?? []).map((e) => [e.name, e.status]));
    for (const e of b?.[kind] ?? []) {
      const prev = was.get(e.name) ?? 'absent';
      const held = (s: string) => HELD.has(s) || s === 'absent';
      if (held(prev) && !HELD.has(e.status)) lost.push({ kind, name: e.name, before: prev, after: e.status, ...(e.note ? { note: e.note } : {}) });
      else if (!held(prev) && HELD.has(e.status)) regained.push({ kind, name: e.name, before: prev, after: e.status });
    }
  }
  return lost.length || regained.length ? { lost, regained } : undefined;
}

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'no supply');
const list = (xs: string[], max = 10) => (xs.length > max ? `${xs.slice(0, max).join(', ')} and ${xs.length - max} more` : xs.join(', '));

function summaryLines(inv: InventoryChange | undefined, parity: ParityChange | undefined): string[] {
  const out: string[] = [];
  if (inv) {
    if (inv.serversAdded.length) out.push(`servers added (${inv.serversAdded.length}): ${list(inv.serversAdded)}`);
    if (inv.serversRemoved.length) out.push(`servers removed (${inv.serversRemoved.length}): ${list(inv.serversRemoved)}`);
    if (inv.serversChanged.length) out.push(`servers changed (${inv.serversChanged.length}): ${list(inv.serversChanged.map((s) => `${s.host} (${s.changes.join('; ')})`), 5)}`);
    if (inv.appsAdded.length) out.push(`apps added: ${list(inv.appsAdded)}`);
    if (inv.appsRemoved.length) out.push(`apps removed: ${list(inv.appsRemoved)}`);
    for (const c of inv.capacity) {
      out.push(`capacity (${c.resource}) after losing the largest failure domain${c.largestDomainAfter ? ` (${c.largestDomainAfter})` : ''}: ` +
        `${c.supplyAfterLossBefore} → ${c.supplyAfterLossAfter} ${c.unit} for a demand of ${c.demandBefore} → ${c.demandAfter}, utilization ${pct(c.utilizationAfterLossBefore)} → ${pct(c.utilizationAfterLossAfter)}`);
    }
  }
  if (parity) {
    for (const l of parity.lost) out.push(`DR parity lost: ${l.kind} ${l.name} ${l.before} → ${l.after}${l.note ? ` (${l.note})` : ''}`);
    for (const r of parity.regained) out.push(`DR parity regained: ${r.kind} ${r.name} ${r.before} → ${r.after}`);
  }
  return out;
}
