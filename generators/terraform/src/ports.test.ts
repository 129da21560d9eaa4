import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { HostGroup } from '@infra/model';
import { groupPorts, hadoopRolePorts } from './ports';

const appServer = (apps: { name: string; port: number }[]): HostGroup => ({
  role: 'app-server', name: 'web', size: 's', subnet: 'x', hosts: 1, apps: apps.map((a) => ({ ...a, package: a.name, version: '1' })),
});

test('app servers listen on each hosted app\'s port, plus SSH', () => {
  assert.equal(groupPorts(appServer([{ name: 'b', port: 9000 }, { name: 'a', port: 8443 }])).map((p) => [p.name, p.from]), [['app-a', 8443], ['app-b', 9000], ['ssh', 22]]);
});

test('a port listed twice becomes one rule (EC2 rejects duplicates)', () => {
  const ports = groupPorts(appServer([{ name: 'sshd-proxy', port: 22 }, { name: 'x', port: 8080 }, { name: 'y', port: 8080 }]));
  assert.equal(ports.map((p) => [p.name, p.from]), [['app-sshd-proxy', 22], ['app-x', 8080]]);
});

test('Hadoop roles', () => {
  assert.equal(hadoopRolePorts('zookeeper').map((p) => p.from).sort((a, b) => a - b), [22, 2181, 2888, 3888]);
  assert.equal(hadoopRolePorts('datanode').map((p) => p.from).sort((a, b) => a - b), [22, 50010, 50020, 50075]);
});

test.run();
