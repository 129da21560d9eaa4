// What is dangerous about a change, computed from its diff and shown before anything else. The
// ids are a closed list (RISK_IDS): the JSON schema enumerates them, apply and people rely on them.
import type { EnvironmentChanges, Risk, TerraformChange } from '@infra/render';

/** Items a risk's message names before it says how many more there are. */
const MAX_LISTED = 8;

/** Every risk id, with what it means (documented in the README, "Reviewing a change"). */
export const RISK_IDS = {
  'data-holding-destroyed': 'a resource that holds data (the terraform kind\'s data-holding predicate) is destroyed',
  'data-holding-replaced': 'a resource that holds data is replaced: destroyed, then created empty',
  'stateful-vm-replaced': 'a VM of a stateful role whose data is on a kept disk of its own is replaced or destroyed',
  'user-data-encoding-only': 'user-data bytes change while the decoded cloud-config does not: instances are replaced or updated for nothing',
  'all-mesos-masters-replaced': 'every Mesos master (with ZooKeeper and Marathon) is replaced or destroyed in one change',
  'zookeeper-majority-replaced': 'a majority of a ZooKeeper ensemble (Mesos masters, or a Hadoop cluster\'s zoo.cfg) changes at once',
  'agent-failure-domains-replaced': 'Mesos agents of more than one failure domain are replaced or destroyed in one change',
  'marathon-app-deleted': 'a Marathon app is deleted: its tasks stop',
  'dependency-unprovided': 'an app depends on an app or database that no longer exists',
  'capacity-after-domain-loss': 'the agents\' capacity after losing the largest failure domain gets worse (high when demand no longer fits)',
  'dr-parity-lost': 'a production host, role, database, app or Hadoop host loses its DR counterpart',
  'hadoop-host-removed-undecommissioned': 'a DataNode leaves dfs.hosts without having been decommissioned first',
  'namenode-restart-required': 'a rack moves in topology.table: the NameNode must be restarted to read it',
} as const;

export type RiskId = keyof typeof RISK_IDS;

const risk = (id: RiskId, severity: Risk['severity'], address: string, message: string): Risk => ({ id, severity, address, message });
const removes = (c: TerraformChange) => c.action === 'replace' || c.action === 'delete';
const isVm = (c: TerraformChange) => /^(vsphere_virtual_machine|aws_instance)\./.test(c.address);
const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'no supply');

export function risksOf(changes: EnvironmentChanges): Risk[] {
  const out: Risk[] = [];
  const tf = changes.terraform;

  for (const c of tf) {
    const what = c.action === 'delete' ? 'destroyed' : 'replaced (destroyed, then created empty)';
    const why = c.reasons.length ? ` because of ${c.reasons.join('; ')}` : '';
    if (c.dataHolding === 'data' && c.action === 'delete') {
      out.push(risk('data-holding-destroyed', 'high', c.address, `${c.address}${c.role ? ` (${c.role})` : ''} holds data and is destroyed: its data is lost. Apply refuses this unless a reviewed allowDestroy names the address; move the data first.`));
    } else if (c.dataHolding === 'data' && c.action === 'replace') {
      out.push(risk('data-holding-replaced', 'high', c.address, `${c.address}${c.role ? ` (${c.role})` : ''} holds data and is ${what}${why}. Apply refuses this unless a reviewed allowDestroy names the address; put the data on a disk of its own or patch in place.`));
    } else if (c.dataHolding === 'stateful-vm' && removes(c)) {
      out.push(risk('stateful-vm-replaced', 'medium', c.address, `${c.address} is ${c.action === 'delete' ? 'destroyed' : 'replaced'}${why}; its data disk is kept and re-attached, but the service is down meanwhile.`));
    }
  }

  const encoding = new Map<string, string[]>();
  for (const c of tf) if (c.encodingOnly) encoding.set(c.group ?? c.address, [...(encoding.get(c.group ?? c.address) ?? []), c.host ?? c.address]);
  for (const [group, hosts] of encoding) {
    out.push(risk('user-data-encoding-only', 'medium', `group ${group}`, `the user-data of ${group} changes only in its encoding (the decoded cloud-config is identical), yet ${hosts.length} instance(s) are touched: ${hosts.join(', ')}. Keep the encoding stable (gzip level, header bytes) unless you mean to replace them.`));
  }

  const inv = changes.inventory;
  const masters = tf.filter((c) => isVm(c) && removes(c) && c.role === 'mesos-master');
  const totalMasters = inv?.before.byRole['mesos-master'] ?? 0;
  if (masters.length && totalMasters && masters.length >= totalMasters) {
    out.push(risk('all-mesos-masters-replaced', 'high', 'role mesos-master', `all ${totalMasters} Mesos masters (ZooKeeper, Marathon) are ${masters.every((m) => m.action === 'replace') ? 'replaced' : 'replaced or destroyed'} in this change (${masters.map((m) => m.host ?? m.address).join(', ')}): apply must roll them one at a time, or split the change.`));
  } else if (masters.length && masters.length > Math.floor(totalMasters / 2)) {
    out.push(risk('zookeeper-majority-replaced', 'high', 'role mesos-master', `${masters.length} of ${totalMasters} Mesos masters are replaced: a ZooKeeper majority (${Math.floor(totalMasters / 2) + 1}) is lost if they go at once.`));
  }
  const leaving = new Map<string, { n: number; size: number }>();
  for (const h of changes.hadoop) {
    if (h.action !== 'zookeeper-leave') continue;
    const size = Number(/ensemble (\d+)/.exec(h.detail ?? '')?.[1] ?? 0);
    leaving.set(h.cluster, { n: (leaving.get(h.cluster)?.n ?? 0) + 1, size });
  }
  for (const [cluster, { n, size }] of leaving) {
    if (size && n > Math.floor(size / 2)) out.push(risk('zookeeper-majority-replaced', 'high', `hadoop ${cluster}`, `${n} of ${size} ZooKeeper members of ${cluster} leave its ensemble in one change: HBase loses its quorum. Change one member at a time.`));
  }

  const agents = tf.filter((c) => isVm(c) && removes(c) && c.role === 'mesos-agent');
  const domains = new Map<string, string[]>();
  for (const a of agents) {
    const d = a.failureDomain ?? (a.host && inv?.agentDomains[a.host]) ?? a.group ?? '(unknown)';
    const list = domains.get(d);
    if (list) list.push(a.host ?? a.address);
    else domains.set(d, [a.host ?? a.address]);
  }
  if (domains.size > 1) {
    const per = [...domains].sort(([x], [y]) => (x < y ? -1 : 1)).map(([d, hs]) => `${d}: ${hs.length}${inv?.before.agentsByDomain[d] ? ` of ${inv.before.agentsByDomain[d]}` : ''}`);
    // A risk is read in one glance: a stemcell bump of a large site names a hundred racks.
    const shown = per.length > MAX_LISTED ? [...per.slice(0, MAX_LISTED), `and ${per.length - MAX_LISTED} more`] : per;
    out.push(risk('agent-failure-domains-replaced', 'high', 'role mesos-agent', `Mesos agents of ${domains.size} failure domains are replaced or destroyed in one change (${shown.join(', ')}): apply batches them by failure domain; check that the apps fit while one domain is down.`));
  }

  for (const m of changes.marathon) {
    if (m.action === 'delete') out.push(risk('marathon-app-deleted', 'medium', m.id, `${m.id} is deleted from Marathon: its ${m.instancesBefore ?? ''} task(s) stop.`.replace('its  task', 'its task')));
  }
  for (const u of inv?.unprovided ?? []) {
    out.push(risk('dependency-unprovided', 'high', u.app, `${u.app} depends on ${u.dependency}, which no longer exists after this change: keep the provider or remove the dependency.`));
  }
  for (const c of inv?.capacity ?? []) {
    const worse = c.utilizationAfterLossAfter > c.utilizationAfterLossBefore || c.shortfallAfter > c.shortfallBefore;
    if (!worse) continue;
    const severity = c.shortfallAfter > 0 ? 'high' : 'medium';
    out.push(risk('capacity-after-domain-loss', severity, `capacity/${c.resource}`,
      `after losing the largest failure domain${c.largestDomainAfter ? ` (${c.largestDomainAfter})` : ''}, ${c.resource} left for the apps goes ${c.supplyAfterLossBefore} → ${c.supplyAfterLossAfter} ${c.unit} for a demand of ${c.demandBefore} → ${c.demandAfter} (utilization ${pct(c.utilizationAfterLossBefore)} → ${pct(c.utilizationAfterLossAfter)})` +
      (c.shortfallAfter > 0 ? `: short by ${c.shortfallAfter} ${c.unit}. Add agents or reduce instances.` : '.')));
  }
  for (const l of changes.parity?.lost ?? []) {
    out.push(risk('dr-parity-lost', 'high', `parity/${l.kind}/${l.name}`, `${l.kind} ${l.name} has no DR counterpart any more (${l.before} → ${l.after})${l.note ? `: ${l.note}` : ''}. Add it to the DR environment or exclude it with a reason.`));
  }
  const restarts = new Set<string>();
  for (const h of changes.hadoop) {
    if (h.action === 'remove' && !(h.detail ?? '').startsWith('was decommissioned')) {
      out.push(risk('hadoop-host-removed-undecommissioned', 'high', `hadoop ${h.cluster}/${h.host}`, `${h.host} leaves dfs.hosts of ${h.cluster} without being decommissioned first: its block replicas may be lost. Set its state to decommissioning, render, apply, and remove it only once the NameNode reports it Decommissioned.`));
    }
    if (h.action === 'rack-move' && !restarts.has(h.cluster)) {
      restarts.add(h.cluster);
      out.push(risk('namenode-restart-required', 'medium', `hadoop ${h.cluster}`, `racks change in ${h.cluster} (${changes.hadoop.filter((x) => x.cluster === h.cluster && x.action === 'rack-move').map((x) => x.host).join(', ')}): the NameNode reads topology only when it starts; plan its restart.`));
    }
  }
  const rank = (r: Risk) => (r.severity === 'high' ? 0 : 1);
  return out.sort((x, y) => rank(x) - rank(y) || (x.id < y.id ? -1 : x.id > y.id ? 1 : x.address < y.address ? -1 : x.address > y.address ? 1 : 0));
}
