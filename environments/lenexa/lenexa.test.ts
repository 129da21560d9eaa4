import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hostsWithRole } from '@infra/model';
import lenexa from './index';

test('lenexa exercises every part of the model at realistic size', () => {
  assert.is(hostsWithRole(lenexa, 'mesos-master').length, 3);
  assert.ok(hostsWithRole(lenexa, 'mesos-agent').length >= 10);
  assert.ok(hostsWithRole(lenexa, 'app-server').length >= 2);
  const databases = hostsWithRole(lenexa, 'database');
  assert.ok(databases.length >= 3 && databases.every((d) => d.ip !== undefined));
  assert.ok(lenexa.apps.length >= 8);
  assert.ok(lenexa.apps.some((a) => a.runtime === 'jvm') && lenexa.apps.some((a) => a.runtime !== 'jvm'));
  assert.ok(lenexa.apps.some((a) => a.dependsOn?.some((d) => 'app' in d)), 'apps depend on apps');
  assert.ok(lenexa.apps.some((a) => a.dependsOn?.some((d) => 'database' in d)), 'apps depend on databases');
  const hadoop = lenexa.hadoop[0];
  assert.ok(hadoop.hosts.length >= 6);
  assert.ok(new Set(hadoop.hosts.map((h) => h.rack)).size >= 2);
  assert.ok(hadoop.hosts.some((h) => h.roles.includes('zookeeper')));
});

test.run();
