import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diffCloudInit } from './diff';

const read = (p: string) => fs.readFileSync(path.resolve(__dirname, '../../../rendered/lenexa', p), 'utf8');
const FILE = 'cloud-init/mesos-agent-b.yaml';

test('a changed group shows its changed lines and reaches every host of the group', () => {
  const inv = read('inventory.json');
  const before = read(FILE);
  const after = before.replace('"openssl=1.0.1f-1ubuntu2.27"', '"openssl=1.0.1f-1ubuntu2.28"');
  assert.is.not(after, before);
  const [c] = diffCloudInit(new Map([[FILE, before], ['inventory.json', inv]]), new Map([[FILE, after], ['inventory.json', inv]]));
  assert.equal(c, {
    group: 'mesos-agent-b', action: 'update',
    lines: ['-   - "openssl=1.0.1f-1ubuntu2.27"', '+   - "openssl=1.0.1f-1ubuntu2.28"'],
    hosts: ['mesos-agent-05', 'mesos-agent-06', 'mesos-agent-07', 'mesos-agent-08'],
  });
});

test('a group removed is a delete reaching the hosts it had', () => {
  const inv = read('inventory.json');
  const [c] = diffCloudInit(new Map([[FILE, read(FILE)], ['inventory.json', inv]]), new Map([['inventory.json', inv]]));
  assert.equal([c.action, c.hosts.length, c.lines[0]], ['delete', 4, '- #cloud-config']);
});

test.run();
