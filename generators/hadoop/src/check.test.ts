// Bad definitions give located, actionable problems; good ones give none.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Environment, Problem } from '@infra/model';
import lenexa from '@infra/env-lenexa';
import awsDr from '@infra/env-aws-dr';
import { hadoopGenerator } from './index';
import { hdfsOnly, host, noContext, variant } from './testing/fixtures';
import { shuffled } from '@infra/render/testing';

const check = (env: Environment): Problem[] => hadoopGenerator.check!(env, noContext);
const at = (problems: Problem[], path: string) => problems.filter((p) => p.path === path);
const P = 'hadoop/hbase-lenexa';

test('the real environments and the hdfs-only case have no problem', () => {
  assert.equal(check(lenexa), []);
  assert.equal(check(awsDr), []);
  assert.equal(check(hdfsOnly(lenexa)), []);
});

test('underscore in a host name: located at its name, suggests the hyphen form', () => {
  const problems = check(variant(lenexa, (c) => (host(c, 'hdp-dn-01').name = 'hdp_dn_01')));
  assert.is(problems.length, 1);
  assert.is(problems[0].env, 'lenexa');
  assert.is(problems[0].path, `${P}/hosts/hdp_dn_01/name`);
  assert.match(problems[0].message, 'contains "_", which Hadoop rejects');
  assert.match(problems[0].message, 'rename it, e.g. "hdp-dn-01"');
});

test('other illegal host names: capitals, leading hyphen, too long', () => {
  const problems = check(
    variant(lenexa, (c) => {
      host(c, 'hdp-dn-01').name = 'HDP-dn-01';
      host(c, 'hdp-dn-02').name = '-hdp-dn-02';
      host(c, 'hdp-dn-03').name = 'x'.repeat(64);
    }),
  );
  assert.match(at(problems, `${P}/hosts/HDP-dn-01/name`)[0].message, 'rename it "hdp-dn-01"');
  assert.match(at(problems, `${P}/hosts/-hdp-dn-02/name`)[0].message, 'is not a valid DNS label');
  assert.match(at(problems, `${P}/hosts/${'x'.repeat(64)}/name`)[0].message, 'is not a valid DNS label');
  assert.is(problems.length, 3);
});

test('mixed rack depths: the odd host is named, with the depth the others use and an example', () => {
  const problems = check(variant(lenexa, (c) => (host(c, 'hdp-dn-04').rack = '/rack-h2')));
  assert.is(problems.length, 1);
  assert.is(problems[0].path, `${P}/hosts/hdp-dn-04/rack`);
  assert.match(problems[0].message, 'rack "/rack-h2" has 1 level(s) but most hosts of cluster hbase-lenexa have 2');
  assert.match(problems[0].message, 'e.g. hdp-dn-01 in "/lenexa/rack-h1"');
  assert.match(problems[0].message, 'give it 2 level(s) like the others');
});

test('rack syntax: must start with "/", no empty part or space', () => {
  const problems = check(
    variant(lenexa, (c) => {
      host(c, 'hdp-dn-01').rack = 'lenexa/rack-h1';
      host(c, 'hdp-dn-02').rack = '/lenexa//rack h1';
    }),
  );
  assert.match(at(problems, `${P}/hosts/hdp-dn-01/rack`)[0].message, 'must be a path starting with "/", e.g. "/lenexa/rack-h1"');
  assert.match(at(problems, `${P}/hosts/hdp-dn-02/rack`)[0].message, 'no empty part, trailing "/" or space');
});

test('even ZooKeeper ensemble: names the members and says to add or remove one', () => {
  const problems = check(variant(lenexa, (c) => host(c, 'hdp-dn-01').roles.push('zookeeper')));
  assert.is(problems.length, 1);
  assert.is(problems[0].path, `${P}/hosts`);
  assert.match(problems[0].message, 'has 4 members (hdp-dn-01, hdp-hm-01, hdp-nn-01, hdp-nn-02)');
  assert.match(problems[0].message, 'add or remove the "zookeeper" role on one host');
});

test('ZooKeeper ensemble of one: at least three', () => {
  const problems = check(
    variant(lenexa, (c) => {
      for (const name of ['hdp-nn-01', 'hdp-nn-02']) host(c, name).roles = host(c, name).roles.filter((r) => r !== 'zookeeper');
    }),
  );
  assert.equal(problems.map((p) => p.path), [`${P}/hosts`]);
  assert.match(problems[0].message, 'has 1 member(s): it needs at least 3');
});

test('ZooKeeper ids (last octet) must be unique and within 1-254', () => {
  const problems = check(
    variant(lenexa, (c) => {
      host(c, 'hdp-nn-02').ip = '10.20.9.11'; // same last octet as hdp-nn-01 (a /23 would allow it)
      host(c, 'hdp-hm-01').ip = '10.20.9.0';
    }),
  );
  assert.match(at(problems, `${P}/hosts/hdp-nn-02/ip`)[0].message, 'ZooKeeper id 11 (last number of 10.20.9.11) is also the id of hosts/hdp-nn-01');
  assert.match(at(problems, `${P}/hosts/hdp-hm-01/ip`)[0].message, 'ZooKeeper id 0 (last number of 10.20.9.0) is outside 1-254');
  assert.is(problems.length, 2);
});

test('decommissioning regionserver: located at its roles, says how to drain it', () => {
  const problems = check(variant(lenexa, (c) => (host(c, 'hdp-dn-05').state = 'decommissioning')));
  assert.is(problems.length, 1);
  assert.is(problems[0].path, `${P}/hosts/hdp-dn-05/roles`);
  assert.match(problems[0].message, 'is decommissioning but still has the "regionserver" role');
  assert.match(problems[0].message, 'remove "regionserver" from its roles, or set its state to "active"');
});

test('decommissioning a host that is no datanode', () => {
  const problems = check(variant(lenexa, (c) => (host(c, 'hdp-hm-01').state = 'decommissioning')));
  assert.equal(problems.map((p) => p.path), [`${P}/hosts/hdp-hm-01/state`]);
  assert.match(problems[0].message, '"decommissioning" only applies to datanodes');
});

test('no namenode, no datanode, regionservers without hmaster', () => {
  const problems = check(
    variant(lenexa, (c) => {
      for (const h of c.hosts) h.roles = h.roles.filter((r) => r !== 'namenode' && r !== 'datanode' && r !== 'hmaster');
      for (const h of c.hosts) h.state = 'active';
    }),
  );
  const messages = at(problems, `${P}/hosts`).map((p) => p.message);
  assert.ok(messages.some((m) => m.includes('has no namenode: add "namenode" to the roles')), messages.join('\n'));
  assert.ok(messages.some((m) => m.includes('has no datanode, and an empty dfs.hosts would admit any host')));
  assert.ok(messages.some((m) => m.includes('has regionservers but no hmaster')));
  assert.is(problems.length, 3);
});

test('duplicate host names within a cluster, and duplicate cluster names', () => {
  const dupHost = check(variant(lenexa, (c) => c.hosts.push({ ...host(c, 'hdp-dn-01'), ip: '10.20.8.99' })));
  assert.equal(dupHost.map((p) => p.path), [`${P}/hosts/hdp-dn-01`]);
  assert.match(dupHost[0].message, 'defined 2 times in cluster hbase-lenexa');

  const env = variant(lenexa, () => {});
  env.hadoop.push(JSON.parse(JSON.stringify(env.hadoop[0])));
  const dupCluster = check(env);
  assert.equal(dupCluster.map((p) => p.path), [P]);
  assert.match(dupCluster[0].message, 'cluster name used by 2 clusters');
});

test('every problem is reported at once, in the same order whatever the definition order', () => {
  const bad = variant(lenexa, (c) => {
    host(c, 'hdp-dn-01').name = 'hdp_dn_01';
    host(c, 'hdp-dn-04').rack = '/rack-h2';
    host(c, 'hdp-dn-05').state = 'decommissioning';
    host(c, 'hdp-dn-02').roles.push('zookeeper');
  });
  const problems = check(bad);
  assert.is(problems.length, 4);
  for (const seed of [1, 2, 3, 4, 5]) assert.equal(check(shuffled(bad, seed)), problems);
});

test.run();
