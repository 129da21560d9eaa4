// The rollout a change will take, for the reviewer: which VMs `infra apply` takes down together,
// group by group, read from the groups' rollout files (rendered/<env>/rollout/<group>.json: the
// update policy and the hosts' order) and the failure domains the diff gives each VM. The rules
// are apply's (DESIGN §3): groups in the order masters, agents, app servers, databases, the
// rest; per group its canaries one at a time, then at most maxInFlight hosts; masters always one
// at a time; agents never two failure domains in one batch.
import type { EnvironmentChanges, RolloutGroup, Tree } from '@infra/render';

interface RolloutFile {
  group: string;
  update?: { canaries: number; maxInFlight: number };
  batchSize?: number;
  batches?: { hosts: { host: string; failureDomain?: string }[] }[];
}

const VM = /^(vsphere_virtual_machine|aws_instance)\./;
const ROLE_ORDER = ['mesos-master', 'mesos-agent', 'app-server', 'database', 'hadoop'];
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function rolloutFile(tree: Tree, group: string): RolloutFile | undefined {
  const text = tree.get(`rollout/${group}.json`);
  return text === undefined ? undefined : (JSON.parse(text) as RolloutFile);
}

export function rolloutOf(changes: EnvironmentChanges, before: Tree, after: Tree): RolloutGroup[] {
  const down = changes.terraform.filter((t) => VM.test(t.address) && (t.action === 'replace' || t.action === 'delete'));
  const groups = new Map<string, typeof down>();
  for (const t of down) {
    const g = t.group ?? t.host ?? t.address;
    groups.set(g, [...(groups.get(g) ?? []), t]);
  }
  const rank = (role: string | undefined) => (role && ROLE_ORDER.includes(role) ? ROLE_ORDER.indexOf(role) : ROLE_ORDER.length);
  const out: RolloutGroup[] = [];
  for (const [group, members] of [...groups].sort(([a, x], [b, y]) => rank(x[0].role) - rank(y[0].role) || cmp(a, b))) {
    const role = members[0].role;
    const file = rolloutFile(after, group) ?? rolloutFile(before, group);
    const fileHosts = (file?.batches ?? []).flatMap((b) => b.hosts);
    const order = fileHosts.map((h) => h.host);
    const hostOf = (t: (typeof down)[number]) => t.host ?? t.address.slice(t.address.indexOf('.') + 1);
    const domainOf = (t: (typeof down)[number]) => t.failureDomain ?? fileHosts.find((h) => h.host === hostOf(t))?.failureDomain ?? '';
    const pos = (h: string) => (order.includes(h) ? order.indexOf(h) : order.length);
    const ms = [...members].sort((a, b) => pos(hostOf(a)) - pos(hostOf(b)) || cmp(hostOf(a), hostOf(b)));
    const canaries = file?.update ? file.update.canaries : 1;
    const inFlight = role === 'mesos-master' ? 1 : Math.max(1, Math.floor(file?.update?.maxInFlight ?? file?.batchSize ?? (role === 'mesos-agent' ? Infinity : 1)) || 1);
    const batches: RolloutGroup['batches'] = [];
    const agent = role === 'mesos-agent';
    const withDomain = (t: (typeof down)[number]) => (agent && domainOf(t) ? { failureDomain: domainOf(t) } : {});
    const first = ms.slice(0, Math.min(canaries, ms.length));
    for (const t of first) batches.push({ hosts: [hostOf(t)], canary: true, ...withDomain(t) });
    const runs = new Map<string, typeof down>();
    for (const t of ms.slice(first.length)) {
      const key = agent ? domainOf(t) : '';
      runs.set(key, [...(runs.get(key) ?? []), t]);
    }
    for (const run of runs.values()) {
      for (let i = 0; i < run.length; i += inFlight) batches.push({ hosts: run.slice(i, i + inFlight).map(hostOf), canary: false, ...withDomain(run[i]) });
    }
    out.push({ group, ...(role ? { role } : {}), batches });
  }
  return out;
}

/**
 * One line for people: "13 batches: mesos-master 3 batches of 1; mesos-agent-a rack-a canary 1
 * then 3; …".
 */
export function rolloutLine(groups: RolloutGroup[]): string {
  const total = groups.reduce((n, g) => n + g.batches.length, 0);
  const parts = groups.map((g) => {
    const domains = [...new Set(g.batches.map((b) => b.failureDomain).filter((d): d is string => !!d))];
    const label = domains.length === 1 ? `${g.group} ${domains[0]}` : g.group;
    const sizes = g.batches.map((b) => b.hosts.length);
    if (sizes.every((n) => n === 1)) return `${label} ${sizes.length} batch${sizes.length === 1 ? '' : 'es'} of 1`;
    const canaries = g.batches.filter((b) => b.canary).length;
    const rest = g.batches.filter((b) => !b.canary).map((b) => (domains.length > 1 ? `${b.failureDomain || 'no failure domain'} ${b.hosts.length}` : String(b.hosts.length)));
    const head = canaries ? `${canaries === 1 ? 'canary' : 'canaries'} ${canaries}${rest.length ? ' then ' : ''}` : '';
    return `${label} ${head}${rest.join(', ')}`;
  });
  return `${total} batch${total === 1 ? '' : 'es'}: ${parts.join('; ')}`;
}
