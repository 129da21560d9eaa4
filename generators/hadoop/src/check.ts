// Problems only the Hadoop generator can see. Each is located by cluster and host name (never a
// list position) and says what to change, so the operator can fix every one in one pass.
import type { Environment, HadoopCluster, HadoopHost, Problem } from '@infra/model';
import { compareText, fqdn, hasRole, sortedHosts, withRole, zookeeperId, ZOOKEEPER_ID_MAX, ZOOKEEPER_ID_MIN } from './cluster';

/** One DNS label (RFC 1123), lowercase: what every Hadoop host file and Kerberos principal expects. */
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** A rack path: '/' then segments, none empty, no whitespace (it would add a column to the table). */
const RACK = /^(\/[A-Za-z0-9._-]+)+$/;

export function checkHadoop(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const report = (path: string, message: string) => problems.push({ env: env.name, path, message });

  const clusterCount = new Map<string, number>();
  for (const c of env.hadoop) clusterCount.set(c.name, (clusterCount.get(c.name) ?? 0) + 1);
  for (const [name, count] of clusterCount) {
    if (count > 1) report(`hadoop/${name}`, `cluster name used by ${count} clusters; their files would overwrite each other under rendered/${env.name}/hadoop/${name}/: rename all but one`);
  }

  for (const cluster of env.hadoop) checkCluster(env, cluster, (rel, message) => report(`hadoop/${cluster.name}/${rel}`, message));

  // Sorted so the report does not depend on definition order (shuffled inputs give the same list).
  return problems.sort((a, b) => compareText(a.path, b.path) || compareText(a.message, b.message));
}

type Report = (relPath: string, message: string) => void;

function checkCluster(env: Environment, cluster: HadoopCluster, report: Report): void {
  const hosts = sortedHosts(cluster);
  checkDuplicateNames(cluster, hosts, report);
  for (const h of hosts) {
    checkHostName(env, h, report);
    checkRackSyntax(h, report);
    checkState(h, report);
  }
  checkRackDepth(cluster, hosts, report);
  checkRequiredRoles(cluster, report);
  checkZooKeeper(cluster, report);
}

function checkDuplicateNames(cluster: HadoopCluster, hosts: HadoopHost[], report: Report): void {
  const counts = new Map<string, number>();
  for (const h of hosts) counts.set(h.name, (counts.get(h.name) ?? 0) + 1);
  for (const [name, count] of counts) {
    if (count > 1) report(`hosts/${name}`, `defined ${count} times in cluster ${cluster.name}: every server needs its own name; rename or remove the copies`);
  }
}

function checkHostName(env: Environment, h: HadoopHost, report: Report): void {
  const where = `hosts/${h.name}/name`;
  if (h.name.includes('_')) {
    // java.net.URI takes "a_b:8020" for a registry authority with no host, so Hadoop daemons fail
    // to parse their own addresses.
    report(where, `"${h.name}" contains "_", which Hadoop rejects in host names (Java parses no host from it): rename it, e.g. "${h.name.replace(/_/g, '-')}"`);
  } else if (h.name !== h.name.toLowerCase() && LABEL.test(h.name.toLowerCase())) {
    report(where, `"${h.name}" has capital letters; the host files and Kerberos principals compare names as written: rename it "${h.name.toLowerCase()}"`);
  } else if (!LABEL.test(h.name)) {
    report(where, `"${h.name}" is not a valid DNS label: use 1-63 lowercase letters, digits and "-", starting and ending with a letter or digit`);
  } else if (fqdn(env, h).length > 253) {
    report(where, `"${fqdn(env, h)}" is longer than the 253 characters DNS allows: shorten the host name`);
  }
}

function checkRackSyntax(h: HadoopHost, report: Report): void {
  if (!h.rack.startsWith('/')) {
    report(`hosts/${h.name}/rack`, `rack "${h.rack}" must be a path starting with "/", e.g. "/${h.rack.replace(/^\/*/, '')}"`);
  } else if (!RACK.test(h.rack)) {
    report(`hosts/${h.name}/rack`, `rack "${h.rack}" must be "/"-separated names of letters, digits, ".", "_" or "-", with no empty part, trailing "/" or space`);
  }
}

/** Number of levels of a rack path ("/lenexa/rack-h1" → 2). */
function depth(rack: string): number {
  return rack.split('/').filter((s) => s !== '').length;
}

/**
 * NetworkTopology refuses a node whose depth differs from those already added, so one odd rack
 * makes DataNodes fail to register. The depth most hosts use is taken as intended (a tie goes to
 * the depth of the first host by name, for a stable report) and every other host is reported.
 */
function checkRackDepth(cluster: HadoopCluster, hosts: HadoopHost[], report: Report): void {
  const byDepth = new Map<number, HadoopHost[]>();
  for (const h of hosts) byDepth.set(depth(h.rack), [...(byDepth.get(depth(h.rack)) ?? []), h]);
  if (byDepth.size < 2) return;
  let [expected, example] = [depth(hosts[0].rack), hosts[0]];
  for (const [d, members] of byDepth) {
    if (members.length > (byDepth.get(expected)?.length ?? 0)) [expected, example] = [d, members[0]];
  }
  for (const h of hosts) {
    const d = depth(h.rack);
    if (d === expected) continue;
    report(
      `hosts/${h.name}/rack`,
      `rack "${h.rack}" has ${d} level(s) but most hosts of cluster ${cluster.name} have ${expected} (e.g. ${example.name} in "${example.rack}"); ` +
        `Hadoop refuses to mix rack depths: give it ${expected} level(s) like the others`,
    );
  }
}

function checkState(h: HadoopHost, report: Report): void {
  if (h.state !== 'decommissioning') return;
  if (hasRole(h, 'regionserver')) {
    report(
      `hosts/${h.name}/roles`,
      `${h.name} is decommissioning but still has the "regionserver" role: move its regions off (graceful_stop.sh) and remove "regionserver" from its roles, or set its state to "active"`,
    );
  }
  if (!hasRole(h, 'datanode')) {
    report(`hosts/${h.name}/state`, `"decommissioning" only applies to datanodes and ${h.name} has no "datanode" role: set its state to "active" or remove the host`);
  }
}

function checkRequiredRoles(cluster: HadoopCluster, report: Report): void {
  if (withRole(cluster, 'namenode').length === 0) {
    report('hosts', `cluster ${cluster.name} has no namenode: add "namenode" to the roles of the host that runs the HDFS NameNode`);
  }
  if (withRole(cluster, 'datanode').length === 0) {
    // An include file with no host in it means "permit every host", the opposite of the intent.
    report('hosts', `cluster ${cluster.name} has no datanode, and an empty dfs.hosts would admit any host: add "datanode" to the roles of the HDFS storage hosts`);
  }
  if (withRole(cluster, 'regionserver').length > 0 && withRole(cluster, 'hmaster').length === 0) {
    report('hosts', `cluster ${cluster.name} has regionservers but no hmaster: add "hmaster" to the roles of the host that runs the HBase Master`);
  }
}

function checkZooKeeper(cluster: HadoopCluster, report: Report): void {
  const members = withRole(cluster, 'zookeeper');
  const n = members.length;
  if (n > 0 && n < 3) {
    report('hosts', `ZooKeeper ensemble of ${cluster.name} has ${n} member(s): it needs at least 3 to survive losing one; give the "zookeeper" role to ${3 - n} more host(s)`);
  } else if (n > 0 && n % 2 === 0) {
    report(
      'hosts',
      `ZooKeeper ensemble of ${cluster.name} has ${n} members (${members.map((h) => h.name).join(', ')}); ${n} members survive no more failures than ${n - 1} would, and make a majority harder to reach: add or remove the "zookeeper" role on one host`,
    );
  }

  // Ids derive from addresses (see zookeeperId); they must be in range and unique.
  const owner = new Map<number, string>();
  for (const h of members) {
    const id = zookeeperId(h);
    const where = `hosts/${h.name}/ip`;
    if (id === undefined) {
      report(where, `"${h.ip}" is not an IPv4 address, and a ZooKeeper member's id is the last number of its address: write it as a.b.c.d`);
    } else if (id < ZOOKEEPER_ID_MIN || id > ZOOKEEPER_ID_MAX) {
      report(where, `ZooKeeper id ${id} (last number of ${h.ip}) is outside ${ZOOKEEPER_ID_MIN}-${ZOOKEEPER_ID_MAX}: give ${h.name} an address ending in ${ZOOKEEPER_ID_MIN}-${ZOOKEEPER_ID_MAX}`);
    } else if (owner.has(id)) {
      report(where, `ZooKeeper id ${id} (last number of ${h.ip}) is also the id of hosts/${owner.get(id)}: give one of them an address with another last number`);
    } else {
      owner.set(id, h.name);
    }
  }
}
