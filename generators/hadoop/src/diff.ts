// The hadoop kind's reading of two renderings of a cluster's host files, in the operator's terms:
// DataNodes commissioned (into dfs.hosts), decommissioned (into dfs.hosts.exclude, data moves
// off first), recommissioned (out of the exclude file again), removed (out of dfs.hosts), rack
// moves (topology.table: the NameNode reads racks only when it starts, so it must be restarted),
// ZooKeeper ensemble members joining or leaving (zoo.cfg) and regionservers added or removed.
import type { HadoopChange, KindDiff, Tree } from '@infra/render';

const FILE = /^hadoop\/([^/]+)\/(dfs\.hosts|dfs\.hosts\.exclude|topology\.table|zoo\.cfg|regionservers)$/;

export const hadoopDiff: KindDiff = {
  kind: 'hadoop',
  // A change to one file reads against the others (an exclude entry means nothing without the
  // include file), so every host file of a changed cluster is needed, changed or not.
  needs: (path, changed) => {
    const m = FILE.exec(path);
    return !!m && [...changed].some((c) => c.startsWith(`hadoop/${m[1]}/`));
  },
  diff: (before, after) => ({ hadoop: diffHadoop(before, after) }),
};

interface Cluster {
  include: Set<string>;
  exclude: Set<string>;
  racks: Map<string, string>;
  zookeeper: Set<string>;
  regionservers: Set<string>;
}

/** The short host name of a line's FQDN: host files list FQDNs, the definitions short names. */
const short = (host: string) => host.split('.')[0];

/** Host lines of a file: no comments, no blank lines. */
const hostLines = (text: string | undefined) => (text ?? '').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);

function read(tree: Tree, cluster: string): Cluster {
  const get = (f: string) => tree.get(`hadoop/${cluster}/${f}`);
  const racks = new Map<string, string>();
  for (const line of hostLines(get('topology.table'))) {
    const [host, rack] = line.split(/\s+/);
    if (host && rack && !/^\d+\.\d+\.\d+\.\d+$/.test(host)) racks.set(short(host), rack);
  }
  const zookeeper = new Set<string>();
  for (const line of hostLines(get('zoo.cfg'))) {
    const m = /^server\.\d+=([^:]+):/.exec(line);
    if (m) zookeeper.add(short(m[1]));
  }
  return {
    include: new Set(hostLines(get('dfs.hosts')).map(short)),
    exclude: new Set(hostLines(get('dfs.hosts.exclude')).map(short)),
    racks,
    zookeeper,
    regionservers: new Set(hostLines(get('regionservers')).map(short)),
  };
}

export function diffHadoop(before: Tree, after: Tree): HadoopChange[] {
  const clusters = new Set<string>();
  for (const tree of [before, after]) for (const p of tree.keys()) { const m = FILE.exec(p); if (m) clusters.add(m[1]); }
  const out: HadoopChange[] = [];
  for (const cluster of [...clusters].sort()) {
    const a = read(before, cluster);
    const b = read(after, cluster);
    const add = (host: string, action: HadoopChange['action'], detail?: string) => out.push({ cluster, host, action, ...(detail ? { detail } : {}) });
    for (const host of union(a.include, b.include)) {
      const [inA, inB, exA, exB] = [a.include.has(host), b.include.has(host), a.exclude.has(host), b.exclude.has(host)];
      if (!inA && inB) add(host, 'commission', exB ? 'listed as decommissioning from the start' : undefined);
      else if (inA && !inB) add(host, 'remove', exA ? 'was decommissioned first' : 'removed without being decommissioned first: its blocks may be lost');
      else if (!exA && exB) add(host, 'decommission', 'its blocks are copied elsewhere before it leaves');
      else if (exA && !exB) add(host, 'recommission');
    }
    for (const host of union(new Set(a.racks.keys()), new Set(b.racks.keys()))) {
      const [r0, r1] = [a.racks.get(host), b.racks.get(host)];
      if (r0 && r1 && r0 !== r1) add(host, 'rack-move', `${r0} → ${r1}; refreshNodes does not reload racks: restart the NameNode`);
    }
    for (const host of union(a.zookeeper, b.zookeeper)) {
      if (!a.zookeeper.has(host)) add(host, 'zookeeper-join', `ensemble ${a.zookeeper.size} → ${b.zookeeper.size}`);
      else if (!b.zookeeper.has(host)) add(host, 'zookeeper-leave', `ensemble ${a.zookeeper.size} → ${b.zookeeper.size}`);
    }
    for (const host of union(a.regionservers, b.regionservers)) {
      if (!a.regionservers.has(host)) add(host, 'regionserver-add');
      else if (!b.regionservers.has(host)) add(host, 'regionserver-remove', 'leaves with graceful_stop.sh first');
    }
  }
  return out;
}

const union = (x: Set<string>, y: Set<string>) => [...new Set([...x, ...y])].sort();
