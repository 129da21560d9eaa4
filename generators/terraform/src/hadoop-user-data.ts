// The user-data of Hadoop hosts that are instances (AWS): the cloud-init kind's output, passed in
// by the registry, or a test's stub. Encoded like every other user-data (encodeUserData), once
// per cluster.
import type { Environment, HadoopCluster } from '@infra/model';

export type HadoopUserDataSource = (env: Environment, cluster: HadoopCluster) => string;

/** The local holding a cluster's user-data. */
export function hadoopUserDataLocal(cluster: HadoopCluster): string {
  return `userdata_hadoop_${cluster.name}`;
}
