export type HadoopRole = 'namenode' | 'datanode' | 'hmaster' | 'regionserver' | 'zookeeper';

/** A bare-metal HP server of the Hadoop/HBase cluster: not on vSphere, configured by host files. */
export interface HadoopHost {
  /**
   * Short host name; Hadoop rejects underscores.
   * @pattern ^[A-Za-z0-9-]+$
   */
  name: string;
  ip: string;
  /** Rack path, e.g. "/lenexa/rack-a"; every host of a cluster has the same depth. */
  rack: string;
  /** @minItems 1 */
  roles: HadoopRole[];
  /** A decommissioning datanode stays in dfs.hosts and is listed in dfs.hosts.exclude. */
  state: 'active' | 'decommissioning';
}

export interface HadoopCluster {
  /** @pattern ^[a-z0-9][a-z0-9-]*$ */
  name: string;
  /** Subnet name from `network.subnets` that the servers' addresses are in. */
  subnet: string;
  /** Size of the instances standing in for these servers where there is no bare metal (AWS). */
  size: string;
  hosts: HadoopHost[];
}
