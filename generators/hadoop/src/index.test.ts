// Golden cases and determinism of the whole generator.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as path from 'node:path';
import type { Environment } from '@infra/model';
import lenexa from '@infra/env-lenexa';
import awsDr from '@infra/env-aws-dr';
import { compareGolden, shuffled } from '@infra/render/testing';
import { hadoopGenerator, hadoopSummary } from './index';
import { hdfsOnly, host, noContext, variant } from './testing/fixtures';

const GOLDEN = path.join(__dirname, '__golden__');
const render = (env: Environment) => hadoopGenerator.generate(env, noContext);

const cases: Record<string, Environment> = { lenexa, 'aws-dr': awsDr, 'hdfs-only': hdfsOnly(lenexa) };

for (const [name, env] of Object.entries(cases)) {
  test(`golden: ${name}`, () => {
    assert.equal(compareGolden(path.join(GOLDEN, name), render(env)), []);
  });

  test(`deterministic: ${name} rendered twice and shuffled gives the same bytes`, () => {
    const first = [...render(env)];
    assert.equal([...render(env)], first);
    for (const seed of [1, 2, 3, 7, 42]) assert.equal([...render(shuffled(env, seed))], first, `seed ${seed}`);
    assert.equal(hadoopSummary(shuffled(env, 3)), hadoopSummary(env));
  });
}

test('hdfs-only cluster gets no HBase or ZooKeeper file; hosts sorts addresses numerically', () => {
  const files = render(hdfsOnly(lenexa));
  assert.equal([...files.keys()], ['dfs.hosts', 'dfs.hosts.exclude', 'hosts', 'topology.table', 'workers'].map((f) => `hadoop/hdfs-lab/${f}`));
  const hosts = files.get('hadoop/hdfs-lab/hosts')!.split('\n').filter((l) => /^\d/.test(l));
  assert.equal(hosts.map((l) => l.split(' ')[0]), ['10.20.8.9', '10.20.8.101', '10.20.8.111', '10.20.8.112']);
});

test('adding or removing a ZooKeeper member renumbers no other member', () => {
  const before = render(lenexa);
  const grown = render(
    variant(lenexa, (c) => {
      host(c, 'hdp-dn-01').roles.push('zookeeper');
      host(c, 'hdp-dn-04').roles.push('zookeeper');
    }),
  );
  const shrunk = render(variant(lenexa, (c) => (host(c, 'hdp-nn-01').roles = ['namenode'])));
  for (const name of ['hdp-nn-02', 'hdp-hm-01']) {
    const p = `hadoop/hbase-lenexa/zookeeper/myid.${name}`;
    assert.is(grown.get(p), before.get(p), p);
    assert.is(shrunk.get(p), before.get(p), p);
  }
  assert.is(grown.get('hadoop/hbase-lenexa/zookeeper/myid.hdp-dn-01'), '21\n');
  assert.not.ok(shrunk.has('hadoop/hbase-lenexa/zookeeper/myid.hdp-nn-01'));
});

test('decommissioning a datanode changes exactly dfs.hosts.exclude', () => {
  const before = render(lenexa);
  const after = render(
    variant(lenexa, (c) => {
      const h = host(c, 'hdp-dn-03');
      h.state = 'decommissioning';
      h.roles = ['datanode'];
    }),
  );
  const changed = [...after].filter(([p, text]) => before.get(p) !== text).map(([p]) => p);
  // regionservers changes too, because the host had to stop being a regionserver first.
  assert.equal(changed, ['hadoop/hbase-lenexa/dfs.hosts.exclude', 'hadoop/hbase-lenexa/regionservers']);
  assert.match(after.get('hadoop/hbase-lenexa/dfs.hosts.exclude')!, 'hdp-dn-03.lenexa.example.net\nhdp-dn-06.lenexa.example.net\n');
});

test('summary: hosts with rack, roles (fixed order), state, active master and ZooKeeper ids', () => {
  const [cluster] = hadoopSummary(lenexa);
  assert.is(cluster.name, 'hbase-lenexa');
  assert.is(cluster.activeMaster, 'hdp-hm-01');
  assert.is(cluster.hosts.length, 9);
  assert.equal(cluster.hosts.find((h) => h.name === 'hdp-nn-02'), {
    name: 'hdp-nn-02',
    fqdn: 'hdp-nn-02.lenexa.example.net',
    ip: '10.20.8.12',
    rack: '/lenexa/rack-h2',
    roles: ['namenode', 'hmaster', 'zookeeper'],
    state: 'active',
    zookeeperId: 12,
  });
  assert.is(cluster.hosts.find((h) => h.name === 'hdp-dn-06')?.state, 'decommissioning');
});

test.run();
