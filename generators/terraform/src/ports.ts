// What each role listens on, the only input to the AWS security groups. Ports are derived from
// the definition (database ports, hosted apps) wherever it has them, and otherwise are the
// daemons' defaults, which the cloud-init mutations leave unchanged.
import { compare, forRole, type HadoopRole, type HostGroup, type PerRole } from '@infra/model';

export interface ListenPort {
  /** Stable label, part of the rule's resource name. */
  name: string;
  protocol: 'tcp' | 'udp';
  from: number;
  to: number;
}

const tcp = (name: string, from: number, to = from): ListenPort => ({ name, protocol: 'tcp', from, to });

/** Every host is administered over SSH, from inside the VPC only. */
export const SSH = tcp('ssh', 22);

/** Mesos offers ports from this range to tasks (the agent's default `ports` resource). */
export const MESOS_TASK_PORTS = tcp('mesos-task-ports', 31000, 32000);

/** What each role listens on besides SSH: a new role must say, or its security group is wrong. */
const ROLE_PORTS: PerRole<ListenPort[]> = {
  'mesos-master': () => [tcp('mesos-master', 5050), tcp('marathon', 8080), tcp('zookeeper-client', 2181), tcp('zookeeper-peer', 2888), tcp('zookeeper-election', 3888)],
  // Apps with `expose` are reached through the task ports too: the load balancer that fronts
  // them is not part of this definition, so nothing here is open to the internet.
  'mesos-agent': () => [tcp('mesos-agent', 5051), MESOS_TASK_PORTS],
  'app-server': (group) => group.apps.map((app) => tcp(`app-${app.name}`, app.port)),
  database: (group) => [tcp(group.engine, group.port)],
};

/** The ports a host group listens on, sorted by name so output does not follow definition order. */
export function groupPorts(group: HostGroup): ListenPort[] {
  return sortPorts([SSH, ...forRole(ROLE_PORTS, group)]);
}

/**
 * Hadoop 2.x / HBase 1.x default ports (the releases packaged for Ubuntu 14.04). The definition
 * does not name the Hadoop version; if the cluster runs Hadoop 3 the NameNode and DataNode
 * ports move (9870, 9864-9867) and this table must follow.
 */
const HADOOP_PORTS: Record<HadoopRole, ListenPort[]> = {
  namenode: [tcp('namenode-rpc', 8020), tcp('namenode-http', 50070)],
  datanode: [tcp('datanode-data', 50010), tcp('datanode-ipc', 50020), tcp('datanode-http', 50075)],
  hmaster: [tcp('hmaster-rpc', 16000), tcp('hmaster-http', 16010)],
  regionserver: [tcp('regionserver-rpc', 16020), tcp('regionserver-http', 16030)],
  zookeeper: [tcp('zookeeper-client', 2181), tcp('zookeeper-peer', 2888), tcp('zookeeper-election', 3888)],
};

export function hadoopRolePorts(role: HadoopRole): ListenPort[] {
  return sortPorts([SSH, ...HADOOP_PORTS[role]]);
}

/**
 * Sorted by name, one rule per protocol and range: EC2 rejects a second identical rule in a
 * group (an app listening on 22 beside SSH), and then the first name in order keeps the rule.
 */
function sortPorts(ports: ListenPort[]): ListenPort[] {
  const unique = new Map<string, ListenPort>();
  for (const p of [...ports].sort((a, b) => compare(a.name, b.name))) {
    const key = `${p.protocol}/${p.from}-${p.to}`;
    if (!unique.has(key)) unique.set(key, p);
  }
  return [...unique.values()];
}
