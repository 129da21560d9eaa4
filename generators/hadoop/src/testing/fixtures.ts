// Small definitions for the tests. Imported only by *.test.ts files; the real environment they
// start from is passed in, since only test files may import environments (tools/check-deps.js).
import type { Environment, HadoopCluster, HadoopHost } from '@infra/model';
import type { RenderContext } from '@infra/render';

/** Generators here need nothing beyond their own environment. */
export const noContext: RenderContext = { environment: () => undefined };

/** A deep copy of `base` whose first Hadoop cluster is changed by `edit`. */
export function variant(base: Environment, edit: (cluster: HadoopCluster) => void): Environment {
  const env = JSON.parse(JSON.stringify(base)) as Environment;
  edit(env.hadoop[0]);
  return env;
}

export function host(cluster: HadoopCluster, name: string): HadoopHost {
  const found = cluster.hosts.find((h) => h.name === name);
  if (!found) throw new Error(`fixture: no host ${name} in ${cluster.name}`);
  return found;
}

/**
 * A cluster that runs HDFS only (no HBase, no ZooKeeper), three-level racks, in its own domain:
 * shows which files such a cluster gets and that depth is not fixed at two. An address ending
 * in .9 among .1xx ones shows that the hosts file sorts addresses as numbers.
 */
export function hdfsOnly(base: Environment): Environment {
  const env = JSON.parse(JSON.stringify(base)) as Environment;
  env.name = 'hdfs-only';
  env.network.domain = 'lab.example.net';
  env.hadoop = [
    {
      name: 'hdfs-lab',
      subnet: 'hadoop',
      size: 'hadoop',
      hosts: [
        { name: 'lab-nn-01', ip: '10.20.8.101', rack: '/lab/row-1/rack-1', roles: ['namenode'], state: 'active' },
        { name: 'lab-dn-01', ip: '10.20.8.111', rack: '/lab/row-1/rack-1', roles: ['datanode'], state: 'active' },
        { name: 'lab-dn-02', ip: '10.20.8.9', rack: '/lab/row-1/rack-2', roles: ['datanode'], state: 'decommissioning' },
        { name: 'lab-dn-03', ip: '10.20.8.112', rack: '/lab/row-2/rack-3', roles: ['datanode'], state: 'active' },
      ],
    },
  ];
  return env;
}
