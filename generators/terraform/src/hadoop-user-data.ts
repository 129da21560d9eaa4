// The user-data of Hadoop hosts that are instances (AWS): the cloud-init kind's, unless a test
// stubs it. Encoded like every other user-data (encodeUserData), once per cluster.
import type { Environment, HadoopCluster } from '@infra/model';
import { renderHadoopUserData } from '@infra/generator-cloud-init';

export type HadoopUserDataSource = (env: Environment, cluster: HadoopCluster) => string;

export const defaultHadoopUserData: HadoopUserDataSource = renderHadoopUserData;

/** The local holding a cluster's user-data. */
export function hadoopUserDataLocal(cluster: HadoopCluster): string {
  return `userdata_hadoop_${cluster.name}`;
}
