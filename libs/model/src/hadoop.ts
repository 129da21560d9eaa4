import type { PinnedPackage } from './stemcell';

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

/**
 * Where a cluster's HDFS/ZooKeeper data lives on each host. On bare metal the disks are the
 * servers' own (not managed by Terraform); where the hosts are instances (AWS), the data gets a
 * volume of its own per host that outlives the instance.
 */
export interface HadoopData {
  /**
   * @minimum 1
   * @TJS-type integer
   */
  sizeGiB: number;
  /** @pattern ^(/[A-Za-z0-9._-]+)+$ */
  mountPoint: string;
  filesystem: 'ext4' | 'xfs';
  /**
   * The data can be rebuilt from elsewhere (DR re-replicates from production): it may then live
   * on instance storage, and losing it is not data loss.
   */
  rebuildable?: boolean;
}

export interface HadoopCluster {
  /** @pattern ^[a-z0-9][a-z0-9-]*$ */
  name: string;
  /** Subnet name from `network.subnets` that the servers' addresses are in. */
  subnet: string;
  /** Size of the instances standing in for these servers where there is no bare metal (AWS). */
  size: string;
  hosts: HadoopHost[];
  /** The data disk of every host (ZooKeeper's dataDir and HDFS live under its mount point). */
  data?: HadoopData;
  /**
   * Debian packages the hosts run (JDK, Hadoop, HBase, ZooKeeper), pinned: installed by the
   * user-data where the hosts are instances. Bare metal installs them by its own build.
   */
  packages?: PinnedPackage[];
}

/**
 * The port that shows each Hadoop role's daemon is serving (Hadoop 2.x / HBase 1.x defaults, the
 * releases packaged for Ubuntu 14.04): what a patch step waits for after it restarts a host.
 */
export const HADOOP_SERVICE_PORT: Readonly<Record<HadoopRole, number>> = {
  namenode: 8020,
  datanode: 50010,
  hmaster: 16000,
  regionserver: 16020,
  zookeeper: 2181,
};
