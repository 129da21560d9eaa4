// The Hadoop/HBase host files of every cluster, under hadoop/<cluster>/ of rendered/<env>/.
import type { Environment } from '@infra/model';
import { FileMap, type Generator } from '@infra/render';
import { compareText } from './cluster';
import { checkHadoop } from './check';
import { clusterFiles, GENERATOR } from './files';

export { checkHadoop } from './check';
export { hadoopSummary } from './summary';
export type { HadoopClusterSummary, HadoopHostSummary } from './summary';
export { zookeeperId } from './cluster';

export const hadoopGenerator: Generator = {
  name: GENERATOR,
  check: (env: Environment) => checkHadoop(env),
  generate(env: Environment): FileMap {
    const out = new FileMap();
    for (const cluster of env.hadoop) {
      for (const [rel, text] of clusterFiles(env, cluster)) out.set(`hadoop/${cluster.name}/${rel}`, text);
    }
    // Insertion order sorted too, for any consumer that iterates the map as it is.
    return new FileMap([...out].sort(([a], [b]) => compareText(a, b)));
  },
};
export { hadoopDiff, diffHadoop } from './diff';
