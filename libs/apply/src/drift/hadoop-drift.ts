import type { Tree } from '@infra/render';
import { decommissionStatus, HADOOP_FILES } from '../hadoop-step';
import type { HostShell } from '../hosts';
import type { HadoopDrift, SystemResult } from './types';

// Hadoop read back over ssh (apply's shell: `ssh` from PATH, BatchMode, deadlines): the host
// files of each cluster as they are on the NameNodes and HMasters that read them (`cat`), and
// the NameNode's view of its DataNodes (`hdfs dfsadmin -report`) against the include and exclude
// files: a host to be decommissioned that is still Normal, an excluded host back in service, a
// DataNode the NameNode serves that dfs.hosts does not list. A host that does not answer (ssh
// exit 255) makes the system unreachable, not drift. The DataNodes' own copies and zoo.cfg on
// the ZooKeeper members are not read (a file read on every host of a large cluster is slow, and
// the NameNode's and HMaster's copies are the ones acted upon).

export interface HadoopDriftResult {
  system: SystemResult;
  drift: HadoopDrift[];
}

const READ_ROLES = new Set(['namenode', 'hmaster']);
const linesOf = (text: string | undefined) => (text ?? '').split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
const hostsIn = (text: string | undefined) => (text ?? '').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);

interface Member { hostname: string; roles: string[] }

export function clustersOf(tree: Tree): { cluster: string; members: Member[]; fqdn: (short: string) => string }[] {
  const names = [...new Set([...tree.keys()].map((p) => /^hadoop\/([^/]+)\//.exec(p)?.[1]).filter((x): x is string => !!x))].sort();
  const inventory = tree.get('inventory.json');
  const all = inventory ? ((JSON.parse(inventory) as { hadoop?: { cluster: string; hostname: string; roles: string[] }[] }).hadoop ?? []) : [];
  return names.map((cluster) => {
    const map = new Map<string, string>();
    for (const line of hostsIn(tree.get(`hadoop/${cluster}/hosts`))) {
      const [, fq, short] = line.split(/\s+/);
      if (fq && short) map.set(short, fq);
    }
    return { cluster, members: all.filter((h) => h.cluster === cluster), fqdn: (s: string) => map.get(s) ?? s };
  });
}

export async function hadoopDrift(applied: Tree, shell: HostShell): Promise<HadoopDriftResult> {
  const clusters = clustersOf(applied);
  if (!clusters.length) return { system: { status: 'not-rendered', notes: [] }, drift: [] };
  const drift: HadoopDrift[] = [];
  const notes: string[] = [];
  let unreachable = false;
  const run = async (host: string, command: string) => {
    const res = await shell.run(host, command, 60_000);
    if (res.code === 255) {
      unreachable = true;
      notes.push(`${host}: unreachable over ssh (${res.stderr.trim().split('\n').pop() ?? ''}); check the host and this runner's ssh key, then run again.`);
      return undefined;
    }
    return res;
  };
  for (const { cluster, members, fqdn } of clusters) {
    const withRole = (role: string) => members.filter((m) => m.roles.includes(role)).map((m) => fqdn(m.hostname)).sort();
    const readers = members.filter((m) => m.roles.some((r) => READ_ROLES.has(r))).map((m) => ({ host: fqdn(m.hostname), roles: m.roles })).sort((a, b) => (a.host < b.host ? -1 : 1));
    for (const { host, roles } of readers) {
      const files = Object.entries(HADOOP_FILES)
        .filter(([name, where]) => applied.has(`hadoop/${cluster}/${name}`) && (where.roles === 'all' || where.roles.some((r) => roles.includes(r))))
        .map(([name, where]) => ({ rendered: applied.get(`hadoop/${cluster}/${name}`)!, path: where.path }));
      // One connection per host: every file at once, each after the header GNU tail prints.
      const res = await run(host, `tail -v -n +1 ${files.map((f) => f.path).join(' ')}`);
      if (!res) continue;
      const onHost = splitTail(res.stdout, files.map((f) => f.path));
      for (const f of files) {
        const have = onHost.get(f.path);
        if (have === f.rendered) continue;
        const want = linesOf(f.rendered);
        const lines = linesOf(have);
        drift.push({
          cluster, host, kind: 'file', file: f.path,
          missing: have === undefined ? ['(the file is missing)'] : want.filter((l) => !lines.includes(l)),
          extra: lines.filter((l) => !want.includes(l)),
        });
      }
    }
    const nn = withRole('namenode')[0];
    const include = applied.get(`hadoop/${cluster}/dfs.hosts`);
    if (!nn || include === undefined) continue;
    const report = await run(nn, 'hdfs dfsadmin -report');
    if (!report) continue;
    if (report.code !== 0) {
      unreachable = true;
      notes.push(`${cluster}: \`hdfs dfsadmin -report\` on ${nn} failed (exit ${report.code}): ${report.stderr.trim().split('\n').pop() ?? ''}`);
      continue;
    }
    const status = decommissionStatus(report.stdout);
    const included = new Set(hostsIn(include));
    const excluded = new Set(hostsIn(applied.get(`hadoop/${cluster}/dfs.hosts.exclude`)));
    const hosts = [...new Set([...included, ...status.keys()])].sort();
    for (const dn of hosts) {
      const reported = status.get(dn);
      if (reported === undefined) continue; // not connected: a dead DataNode is an alert, not drift
      const expected = !included.has(dn) ? 'not in dfs.hosts' : excluded.has(dn) ? 'Decommission In Progress or Decommissioned' : 'Normal';
      const ok = !included.has(dn) ? false : excluded.has(dn) ? reported !== 'Normal' : reported === 'Normal';
      if (!ok) drift.push({ cluster, host: nn, kind: 'namenode', datanode: dn, expected, reported });
    }
  }
  const status = drift.length ? 'drift' : unreachable ? 'unreachable' : 'in-sync';
  return { system: { status, notes }, drift };
}

/**
 * `tail -v -n +1 F1 F2 …` output → file → content: each file follows a "==> F <==" line, and
 * a blank line separates one file from the next header. A file it could not open is absent.
 */
export function splitTail(stdout: string, files: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const at = files.map((f) => ({ f, header: `==> ${f} <==\n` })).map((x) => ({ ...x, i: stdout.indexOf(x.header) })).filter((x) => x.i >= 0).sort((a, b) => a.i - b.i);
  at.forEach((x, k) => {
    const start = x.i + x.header.length;
    const end = k + 1 < at.length ? at[k + 1].i - 1 : stdout.length;
    out.set(x.f, stdout.slice(start, end));
  });
  return out;
}
