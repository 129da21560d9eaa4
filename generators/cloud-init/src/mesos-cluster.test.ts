import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Environment, HostGroup } from '@infra/model';
import { ensemble, quorum, zkUrl } from './mesos-cluster';
import { everyRole } from './testing/fixtures';

const withMasters = (hosts: HostGroup['hosts']): Environment => {
  const env = everyRole();
  return { ...env, hostGroups: env.hostGroups.map((g) => (g.role === 'mesos-master' ? { ...g, hosts } as HostGroup : g)) };
};

test('quorum is a majority', () => {
  assert.equal([1, 2, 3, 4, 5, 6, 7].map(quorum), [1, 2, 2, 3, 3, 4, 4]);
});

test('ZooKeeper ids come from host names, so removing a master renumbers no other', () => {
  const ids = (env: Environment) => ensemble(env).map((m) => `${m.host}=${m.id}`);
  assert.equal(ids(withMasters(['master-01', 'master-02', 'master-03'])), ['master-01=1', 'master-02=2', 'master-03=3']);
  assert.equal(ids(withMasters(['master-03', 'master-01'])), ['master-01=1', 'master-03=3']);
});

test('without usable numbers in the names, ids follow name order', () => {
  const ids = (env: Environment) => ensemble(env).map((m) => `${m.host}=${m.id}`);
  assert.equal(ids(withMasters([{ name: 'zeta', ip: '10.9.1.1' }, { name: 'alpha', ip: '10.9.1.2' }])), ['alpha=1', 'zeta=2']);
  assert.equal(ids(withMasters([{ name: 'm-1', ip: '10.9.1.1' }, { name: 'n-1', ip: '10.9.1.2' }])), ['m-1=1', 'n-1=2'], 'duplicate ordinals');
  assert.equal(ids(withMasters([{ name: 'm-300', ip: '10.9.1.1' }])), ['m-300=1'], 'beyond 255');
});

test('zk URL lists every master by FQDN, in name order', () => {
  assert.is(zkUrl(withMasters(['master-02', 'master-01']), 'marathon'), 'zk://master-01.every-role.test:2181,master-02.every-role.test:2181/marathon');
});

test.run();
