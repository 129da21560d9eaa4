// The text of each host file of one cluster. Formats follow
// ../shared/reference/notes/hadoop-host-files.md; the reason for each choice is beside it.
import { HADOOP_SERVICE_PORT, type Environment, type HadoopCluster } from '@infra/model';
import { FileMap, generatedMarker, lines } from '@infra/render';
import { compareIp, compareText, fqdn, hasRole, hbaseMasters, sortedHosts, withRole, zookeeperId } from './cluster';

export const GENERATOR = 'hadoop';

/** Whole-line `#` comments, for the formats whose readers skip them (marker first). */
function header(...about: string[]): string[] {
  return [generatedMarker(GENERATOR), ...about].map((text) => `# ${text}`);
}

/** /etc/hosts lines `ip fqdn short` for every member, in address order as hosts files usually are. */
export function hostsFile(env: Environment, cluster: HadoopCluster): string {
  const entries = [...cluster.hosts]
    .sort((a, b) => compareIp(a.ip, b.ip) || compareText(a.name, b.name))
    .map((h) => `${h.ip} ${fqdn(env, h)} ${h.name}`);
  return lines([...header(`/etc/hosts entries for the members of Hadoop cluster ${cluster.name}.`), ...entries]);
}

/**
 * etc/hadoop/workers: the hosts the start scripts ssh to for DataNodes. Decommissioning ones stay:
 * their DataNode must keep running until HDFS has copied their blocks elsewhere.
 * Whole-line comments are safe here (hadoop-functions.sh strips them; pdsh too).
 */
export function workersFile(env: Environment, cluster: HadoopCluster): string {
  const hosts = withRole(cluster, 'datanode').map((h) => fqdn(env, h));
  return lines([...header(`DataNode hosts of ${cluster.name}, one per line (etc/hadoop/workers).`), ...hosts]);
}

/**
 * dfs.hosts (include): every datanode, decommissioning ones included, because a node missing
 * from the include file is refused outright instead of being drained. The file is never left
 * without hosts by check(), since an empty include list permits every host.
 */
export function includeFile(env: Environment, cluster: HadoopCluster): string {
  const hosts = withRole(cluster, 'datanode').map((h) => fqdn(env, h));
  return lines([
    ...header(`DataNodes permitted to connect to the NameNode of ${cluster.name}.`, 'Apply with: hdfs dfsadmin -refreshNodes'),
    ...hosts,
  ]);
}

/** dfs.hosts.exclude: decommissioning datanodes (also in dfs.hosts, so HDFS drains them). */
export function excludeFile(env: Environment, cluster: HadoopCluster): string {
  const hosts = withRole(cluster, 'datanode')
    .filter((h) => h.state === 'decommissioning')
    .map((h) => fqdn(env, h));
  return lines([
    ...header(`DataNodes of ${cluster.name} being decommissioned (they stay in dfs.hosts).`, 'Apply with: hdfs dfsadmin -refreshNodes'),
    ...hosts,
  ]);
}

/**
 * net.topology.table.file.name for TableMapping: two whitespace-separated columns, host and rack.
 * The NameNode looks DataNodes up by IP address (TableMapping is a cached mapping that
 * normalises names to addresses), while other clients (YARN, HBase) may pass host names, so each
 * member gets one line for its address and one for its FQDN, grouped per host in name order.
 * Every member is listed, not only datanodes, so rack-aware readers never fall back to
 * /default-rack, which would have a different depth.
 */
export function topologyTable(env: Environment, cluster: HadoopCluster): string {
  const rows = sortedHosts(cluster).flatMap((h) => [`${h.ip}\t${h.rack}`, `${fqdn(env, h)}\t${h.rack}`]);
  return lines([
    ...header(
      `Rack of every member of ${cluster.name}: host (address and FQDN), then rack.`,
      'Read when the NameNode starts: refreshNodes does not reload racks, restart the NameNode.',
    ),
    ...rows,
  ]);
}

/** HBase conf/regionservers: hosts only. regionservers.sh ssh-es to every word, comments included. */
export function regionserversFile(env: Environment, cluster: HadoopCluster): string {
  return lines(withRole(cluster, 'regionserver').map((h) => fqdn(env, h)));
}

/** HBase conf/backup-masters: hosts only, every hmaster except the active one (see hbaseMasters). */
export function backupMastersFile(env: Environment, cluster: HadoopCluster): string {
  return lines(hbaseMasters(cluster).backups.map((h) => fqdn(env, h)));
}

/** ZooKeeper's data directory on a cluster's hosts: on the data disk when the cluster declares one. */
export function zookeeperDataDir(cluster: HadoopCluster): string {
  return cluster.data ? `${cluster.data.mountPoint}/zookeeper` : '/var/lib/zookeeper';
}

/**
 * zoo.cfg (a Java properties file, so `#` comments are fine): everything ZooKeeper's parser
 * (QuorumPeerConfig) requires of a quorum member, with the timing ZooKeeper's own sample
 * configuration ships (a 2 s tick; followers get 10 ticks to connect and 5 to sync), then the
 * ensemble, ordered by id numerically: the lines that must agree with each member's myid.
 */
export function zooCfg(env: Environment, cluster: HadoopCluster): string {
  const servers = withRole(cluster, 'zookeeper')
    .map((h) => ({ id: zookeeperId(h) ?? 0, host: fqdn(env, h) }))
    .sort((a, b) => a.id - b.id || compareText(a.host, b.host))
    .map((s) => `server.${s.id}=${s.host}:2888:3888`);
  return lines([
    ...header(`ZooKeeper ensemble of ${cluster.name}: server.<myid>=<host>:<peer port>:<election port>; each member's myid is in ${zookeeperDataDir(cluster)}/myid.`),
    'tickTime=2000',
    'initLimit=10',
    'syncLimit=5',
    `dataDir=${zookeeperDataDir(cluster)}`,
    `clientPort=${HADOOP_SERVICE_PORT.zookeeper}`,
    ...servers,
  ]);
}

/**
 * dataDir/myid: ZooKeeper reads the first line and parses it as a number, so this file holds the
 * id and nothing else: no marker (the manifest records that it is generated).
 */
export function myidFile(id: number): string {
  return lines([String(id)]);
}

/** Which files a cluster gets; HBase and ZooKeeper files only when the cluster runs them. */
export function clusterFiles(env: Environment, cluster: HadoopCluster): FileMap {
  const files = new FileMap();
  files.set('hosts', hostsFile(env, cluster));
  files.set('workers', workersFile(env, cluster));
  files.set('dfs.hosts', includeFile(env, cluster));
  files.set('dfs.hosts.exclude', excludeFile(env, cluster));
  files.set('topology.table', topologyTable(env, cluster));
  if (cluster.hosts.some((h) => hasRole(h, 'hmaster') || hasRole(h, 'regionserver'))) {
    // Always written, even empty: a removed last backup master must empty the file on the
    // servers, not leave a stale one behind because the file vanished from rendered/.
    files.set('regionservers', regionserversFile(env, cluster));
    files.set('backup-masters', backupMastersFile(env, cluster));
  }
  const zookeepers = withRole(cluster, 'zookeeper');
  if (zookeepers.length > 0) {
    files.set('zoo.cfg', zooCfg(env, cluster));
    for (const h of zookeepers) files.set(`zookeeper/myid.${h.name}`, myidFile(zookeeperId(h) ?? 0));
  }
  return files;
}
