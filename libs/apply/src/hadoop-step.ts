import type { Tree } from '@infra/render';
import { sleep } from './backoff';
import { StepFailed } from './errors';
import { mustRun, pushFile, type HostShell } from './hosts';

// The Hadoop step: the host files of rendered/<env>/hadoop/<cluster>/ pushed to the hosts that
// read them, in the safe order of DESIGN §4 — a new DataNode enters the include file (dfs.hosts)
// before it starts; a leaving one is excluded, refreshNodes, waited for until the NameNode
// reports it Decommissioned, and only then dropped from the include file; a leaving
// regionserver is stopped with graceful_stop.sh before the regionservers file drops it.

/** Where each rendered file lives on the hosts, and which hosts (by role) read it. */
export const HADOOP_FILES: Record<string, { roles: string[] | 'all'; path: string }> = {
  'dfs.hosts': { roles: ['namenode'], path: '/etc/hadoop/conf/dfs.hosts' },
  'dfs.hosts.exclude': { roles: ['namenode'], path: '/etc/hadoop/conf/dfs.hosts.exclude' },
  'topology.table': { roles: ['namenode'], path: '/etc/hadoop/conf/topology.table' },
  workers: { roles: ['namenode'], path: '/etc/hadoop/conf/workers' },
  regionservers: { roles: ['hmaster'], path: '/etc/hbase/conf/regionservers' },
  'backup-masters': { roles: ['hmaster'], path: '/etc/hbase/conf/backup-masters' },
  'zoo.cfg': { roles: ['zookeeper'], path: '/etc/zookeeper/conf/zoo.cfg' },
  hosts: { roles: 'all', path: '/etc/hadoop/conf/hosts' },
};
const MYID_PATH = '/var/lib/zookeeper/myid';

interface Member { hostname: string; roles: string[] }

export interface Push { host: string; path: string; file: string; content: string }

export interface ClusterPlan {
  cluster: string;
  namenodes: string[];
  hmasters: string[];
  /** dfs.hosts while hosts leave: the target's plus those still to be decommissioned. */
  interimInclude?: string;
  include?: string;
  exclude?: string;
  /** Hosts (as in the files) to wait for until Decommissioned. */
  decommission: string[];
  /** Regionservers leaving: stopped gracefully first. */
  regionserversLeaving: string[];
  pushes: Push[];
  notes: string[];
}

const hostsIn = (text: string | undefined) => (text ?? '').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);

export function hadoopPlan(base: Tree, target: Tree): ClusterPlan[] {
  const clusters = new Set<string>();
  for (const p of [...base.keys(), ...target.keys()]) {
    const m = /^hadoop\/([^/]+)\//.exec(p);
    if (m) clusters.add(m[1]);
  }
  const plans: ClusterPlan[] = [];
  for (const cluster of [...clusters].sort()) {
    const file = (t: Tree, f: string) => t.get(`hadoop/${cluster}/${f}`);
    const changed = (f: string) => file(base, f) !== file(target, f) && file(target, f) !== undefined;
    const members = membersOf(target, cluster);
    const fqdn = fqdnOf(file(target, 'hosts') ?? file(base, 'hosts'));
    const withRole = (role: string) => members.filter((m) => m.roles.includes(role)).map((m) => fqdn(m.hostname)).sort();
    const plan: ClusterPlan = { cluster, namenodes: withRole('namenode'), hmasters: withRole('hmaster'), decommission: [], regionserversLeaving: [], pushes: [], notes: [] };
    const anyChange = [...target.keys(), ...base.keys()].some((p) => p.startsWith(`hadoop/${cluster}/`) && base.get(p) !== target.get(p));
    if (!anyChange) continue;

    if (changed('dfs.hosts') || changed('dfs.hosts.exclude')) {
      const include = file(target, 'dfs.hosts') ?? '';
      const leaving = hostsIn(file(base, 'dfs.hosts')).filter((h) => !hostsIn(include).includes(h));
      plan.include = include;
      plan.exclude = file(target, 'dfs.hosts.exclude') ?? '';
      // A host dropped from the include file without having been decommissioned would lose its
      // blocks' replicas at once: it is excluded and decommissioned first.
      plan.decommission = [...new Set([...hostsIn(plan.exclude), ...leaving])].sort();
      if (leaving.length) {
        plan.interimInclude = include + leaving.map((h) => `${h}\n`).join('');
        plan.exclude = plan.exclude + leaving.filter((h) => !hostsIn(plan.exclude).includes(h)).map((h) => `${h}\n`).join('');
      }
    }
    const rsLeaving = hostsIn(file(base, 'regionservers')).filter((h) => !hostsIn(file(target, 'regionservers')).includes(h));
    plan.regionserversLeaving = rsLeaving.sort();
    for (const [name, where] of Object.entries(HADOOP_FILES)) {
      if (name === 'dfs.hosts' || name === 'dfs.hosts.exclude' || !changed(name)) continue;
      const hosts = where.roles === 'all' ? members.map((m) => fqdn(m.hostname)).sort() : where.roles.flatMap((r) => withRole(r));
      for (const host of [...new Set(hosts)]) plan.pushes.push({ host, path: where.path, file: name, content: file(target, name)! });
    }
    for (const m of members) {
      const f = `zookeeper/myid.${m.hostname}`;
      if (changed(f)) plan.pushes.push({ host: fqdn(m.hostname), path: MYID_PATH, file: f, content: file(target, f)! });
    }
    if (changed('topology.table')) plan.notes.push(`topology.table changed: refreshNodes does not reload racks; restart the NameNodes of ${cluster} one at a time to take the new racks.`);
    if (changed('zoo.cfg')) plan.notes.push(`zoo.cfg changed: restart the ZooKeeper members of ${cluster} one at a time (a quorum must stay up); apply does not restart them.`);
    plans.push(plan);
  }
  return plans;
}

function membersOf(tree: Tree, cluster: string): Member[] {
  const text = tree.get('inventory.json');
  if (!text) return [];
  const doc = JSON.parse(text) as { hadoop?: { cluster: string; hostname: string; roles: string[] }[] };
  return (doc.hadoop ?? []).filter((h) => h.cluster === cluster).map((h) => ({ hostname: h.hostname, roles: h.roles }));
}

/** short hostname → FQDN, from the cluster's rendered hosts file ("ip fqdn short"). */
function fqdnOf(hostsFile: string | undefined): (short: string) => string {
  const map = new Map<string, string>();
  for (const line of hostsIn(hostsFile)) {
    const [, fq, short] = line.split(/\s+/);
    if (fq && short) map.set(short, fq);
  }
  return (short) => map.get(short) ?? short;
}

export function hadoopPlanLines(plans: ClusterPlan[]): string[] {
  return plans.flatMap((p) => [
    ...(p.interimInclude ? [`${p.cluster}: dfs.hosts keeps ${p.decommission.join(', ')} until decommissioned`] : []),
    ...(p.include !== undefined ? [`${p.cluster}: dfs.hosts, dfs.hosts.exclude → ${p.namenodes.join(', ')}; hdfs dfsadmin -refreshNodes${p.decommission.length ? `; wait for ${p.decommission.join(', ')} to be Decommissioned` : ''}`] : []),
    ...p.regionserversLeaving.map((h) => `${p.cluster}: graceful_stop.sh ${h}`),
    ...p.pushes.map((x) => `${p.cluster}: ${x.file} → ${x.host}:${x.path}`),
    ...p.notes.map((n) => `${p.cluster}: note: ${n}`),
  ]);
}

export interface HadoopRunOptions {
  deadlineMs: number;
  pollMs?: number;
  progressMs?: number;
  log: (line: string) => void;
}

export async function runHadoop(plans: ClusterPlan[], shell: HostShell, opts: HadoopRunOptions): Promise<void> {
  for (const p of plans) {
    if (p.include !== undefined) {
      for (const nn of p.namenodes) {
        // Include before exclude: a new host is allowed before it starts; a leaving one stays
        // included while it decommissions.
        await pushFile(shell, nn, HADOOP_FILES['dfs.hosts'].path, p.interimInclude ?? p.include);
        await pushFile(shell, nn, HADOOP_FILES['dfs.hosts.exclude'].path, p.exclude ?? '');
        await mustRun(shell, nn, 'hdfs dfsadmin -refreshNodes');
        opts.log(`hadoop: ${p.cluster}: include and exclude files on ${nn}, nodes refreshed`);
      }
      if (p.decommission.length && p.namenodes.length) await waitDecommissioned(p, shell, opts);
      if (p.interimInclude) {
        for (const nn of p.namenodes) {
          await pushFile(shell, nn, HADOOP_FILES['dfs.hosts'].path, p.include);
          await mustRun(shell, nn, 'hdfs dfsadmin -refreshNodes');
        }
        opts.log(`hadoop: ${p.cluster}: ${p.decommission.join(', ')} dropped from dfs.hosts after decommissioning`);
      }
    }
    for (const rs of p.regionserversLeaving) {
      const master = p.hmasters[0];
      if (!master) throw new StepFailed(`hadoop: ${p.cluster}: regionserver ${rs} leaves but the cluster has no hmaster to stop it from; stop it with graceful_stop.sh yourself, then run infra apply again.`);
      await mustRun(shell, master, `graceful_stop.sh ${rs}`, opts.deadlineMs);
      opts.log(`hadoop: ${p.cluster}: regionserver ${rs} stopped gracefully`);
    }
    for (const x of p.pushes) {
      await pushFile(shell, x.host, x.path, x.content);
      opts.log(`hadoop: ${p.cluster}: ${x.file} → ${x.host}`);
    }
    for (const n of p.notes) opts.log(`hadoop: ${p.cluster}: note: ${n}`);
  }
}

async function waitDecommissioned(p: ClusterPlan, shell: HostShell, opts: HadoopRunOptions): Promise<void> {
  const deadlineAt = Date.now() + opts.deadlineMs;
  let lastProgress = Date.now();
  for (;;) {
    const report = await mustRun(shell, p.namenodes[0], 'hdfs dfsadmin -report');
    const status = decommissionStatus(report);
    // A host the NameNode does not list is not connected: nothing of it to wait for.
    const waiting = p.decommission.filter((h) => status.has(h) && status.get(h) !== 'Decommissioned');
    if (!waiting.length) {
      opts.log(`hadoop: ${p.cluster}: ${p.decommission.join(', ')} decommissioned`);
      return;
    }
    if (Date.now() >= deadlineAt) {
      throw new StepFailed(`hadoop: ${p.cluster}: ${waiting.map((h) => `${h} (${status.get(h)})`).join(', ')} not Decommissioned within ${Math.round(opts.deadlineMs / 1000)} s; the include file still lists them, so no data is at risk. Let HDFS finish re-replicating (hdfs dfsadmin -report), then run infra apply again.`);
    }
    if (Date.now() - lastProgress >= (opts.progressMs ?? 10_000)) {
      lastProgress = Date.now();
      opts.log(`hadoop: ${p.cluster}: waiting for ${waiting.map((h) => `${h} (${status.get(h)})`).join(', ')} to be Decommissioned`);
    }
    await sleep(opts.pollMs ?? 5000);
  }
}

/** Hostname → "Decommission Status" from `hdfs dfsadmin -report`. */
export function decommissionStatus(report: string): Map<string, string> {
  const out = new Map<string, string>();
  let host: string | undefined;
  for (const line of report.split('\n')) {
    const h = /^Hostname:\s*(\S+)/.exec(line);
    if (h) host = h[1];
    const s = /^Decommission Status\s*:\s*(.+?)\s*$/.exec(line);
    if (s && host) out.set(host, s[1]);
  }
  return out;
}
