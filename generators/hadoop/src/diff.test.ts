import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diffHadoop } from './diff';

const DIR = path.resolve(__dirname, '../../../rendered/lenexa/hadoop/hbase-lenexa');
const tree = () => new Map(['dfs.hosts', 'dfs.hosts.exclude', 'topology.table', 'zoo.cfg', 'regionservers'].map((f) => [`hadoop/hbase-lenexa/${f}`, fs.readFileSync(path.join(DIR, f), 'utf8')]));
const without = (t: Map<string, string>, file: string, host: string) => {
  const p = `hadoop/hbase-lenexa/${file}`;
  t.set(p, t.get(p)!.split('\n').filter((l) => !l.startsWith(`${host}.`) && !l.includes(`=${host}.`)).join('\n'));
  return t;
};

test('the decommissioned host leaving dfs.hosts is a removal after decommission', () => {
  const after = without(without(tree(), 'dfs.hosts', 'hdp-dn-06'), 'dfs.hosts.exclude', 'hdp-dn-06');
  assert.equal(diffHadoop(tree(), after), [{ cluster: 'hbase-lenexa', host: 'hdp-dn-06', action: 'remove', detail: 'was decommissioned first' }]);
});

test('an active host leaving dfs.hosts is removed without decommission', () => {
  const after = without(tree(), 'dfs.hosts', 'hdp-dn-01');
  const [c] = diffHadoop(tree(), after);
  assert.equal([c.host, c.action], ['hdp-dn-01', 'remove']);
  assert.match(c.detail!, /without being decommissioned/);
});

test('ZooKeeper members leaving and recommission are seen', () => {
  const after = without(without(tree(), 'zoo.cfg', 'hdp-nn-01'), 'dfs.hosts.exclude', 'hdp-dn-06');
  assert.equal(diffHadoop(tree(), after).map((c) => [c.host, c.action, c.detail]), [
    ['hdp-dn-06', 'recommission', undefined],
    ['hdp-nn-01', 'zookeeper-leave', 'ensemble 3 → 2'],
  ]);
});

test.run();
