import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hostsOf } from '@infra/model';
import lenexa from '@infra/env-lenexa';
import awsDr from '@infra/env-aws-dr';
import { inventoryGenerator } from './index';
import { cloudInitStub, ctx } from './cloud-init.fixture';
import { behindReport, inventoryOf, serversBehind } from './inventory';
import { stableJson } from '@infra/render';
import { markdownTable } from './table';

const md = (env = lenexa) => inventoryGenerator.generate(env, ctx).get('INVENTORY.md')!;

test('lists every VM, every Hadoop host and every app of the environment', () => {
  const text = md();
  for (const h of hostsOf(lenexa)) assert.match(text, `| ${h.name} | ${h.role} | ${h.group.name} | ${h.ip} |`);
  for (const c of lenexa.hadoop) for (const h of c.hosts) assert.match(text, `| ${h.name} | ${c.name} | ${h.ip} | ${h.rack} |`);
  for (const a of lenexa.apps) assert.match(text, `| ${a.id} | ${a.runtime} | ${a.runtime === 'jvm' ? 'no' : 'yes'} | ${a.instances} |`);
  assert.match(text, `## Servers (${hostsOf(lenexa).length})`);
  assert.match(text, '## Bare-metal Hadoop/HBase hosts (9)');
});

test('each server carries its stemcell and the hash of its group\'s user-data', () => {
  const inv = inventoryOf(awsDr, cloudInitStub);
  const ledger = inv.servers.find((s) => s.hostname === 'db-ledger-01')!;
  assert.is(ledger.stemcell, 'ubuntu-trusty-hardened 3468.21');
  assert.is(ledger.userData, cloudInitStub.userDataHash(awsDr, awsDr.hostGroups.find((g) => g.name === 'db-ledger')!), 'the hash cloud-init provides');
  assert.match(md(awsDr), `| ${ledger.userData.slice(0, 12)} |`);
});

test('a new stemcell version shows on every server, with new user-data hashes', () => {
  const before = inventoryOf(lenexa, cloudInitStub);
  const after = inventoryOf({ ...lenexa, stemcell: { ...lenexa.stemcell, version: '3468.22' } }, cloudInitStub);
  assert.ok(after.servers.every((s) => s.stemcell === 'ubuntu-trusty-hardened 3468.22'));
  assert.ok(after.servers.every((s, i) => s.userData !== before.servers[i].userData));
});

test('shows utilization per resource after losing the largest failure domain', () => {
  assert.match(md(), '| cpus (cpus) | 35.3 | 192 | 18.4% | rack rack-a (64) | 128 | 27.6% |');
});

test('a | in a value cannot break the table', () => {
  assert.is(markdownTable(['a'], [['x|y']]), '| a |\n| --- |\n| x\\|y |');
});

test('every server, Hadoop included, shows its stemcell, patch level and how it is patched', () => {
  const inv = inventoryOf(lenexa, cloudInitStub);
  const level = '3468.21+USN-3880-2+USN-3970-1+USN-4013-1';
  assert.ok(inv.servers.every((s) => s.patchLevel === level));
  assert.equal(inv.servers.filter((s) => s.patching === 'patch-in-place').map((s) => s.hostname), ['db-catalog-01', 'db-customer-01', 'db-ledger-01', 'db-reporting-01']);
  assert.is(inv.servers.find((s) => s.hostname === 'db-ledger-01')!.data, 'own-disk 2000 GiB');
  assert.ok(inv.hadoop.every((h) => h.patchLevel === level && h.patching === 'patch-in-place' && h.stemcell === 'bare metal'));
  assert.ok(inventoryOf(awsDr, cloudInitStub).hadoop.every((h) => h.stemcell === 'ubuntu-trusty-hardened 3468.21'));
  const text = md();
  assert.match(text, `| db-ledger-01 | database | db-ledger | 10.20.5.10 | xlarge | 16 | 65536 | 500 | own-disk 2000 GiB | vsphere:lenexa-dc1/compute-01 | - | ubuntu-trusty-hardened 3468.21 | ${level} | patch-in-place |`);
  assert.match(text, `| hdp-nn-01 | hbase-lenexa | 10.20.8.11 | /lenexa/rack-h1 | namenode, zookeeper | active | bare metal | ${level} | patch-in-place |`);
});

test('servers not at the current level: every server of the older rendering whose level differs, and how it gets there', () => {
  const next = { ...lenexa, stemcell: { ...lenexa.stemcell, patches: [...lenexa.stemcell.patches, { id: 'USN-4100-1', packages: [{ name: 'bash', version: '4.3-7ubuntu1.8' }] }] } };
  const running = JSON.parse(stableJson(inventoryOf(lenexa, cloudInitStub)));
  assert.equal(serversBehind(running, inventoryOf(lenexa, cloudInitStub)), []);
  const behind = serversBehind(running, inventoryOf(next, cloudInitStub));
  assert.is(behind.length, hostsOf(lenexa).length + 9);
  const report = behindReport('lenexa', 'main', stableJson(inventoryOf(lenexa, cloudInitStub)), inventoryOf(next, cloudInitStub));
  assert.match(report, 'lenexa: 32 server(s) not at the current level (as rendered at main):\n');
  assert.match(report, '  db-ledger-01 (server): 3468.21+USN-3880-2+USN-3970-1+USN-4013-1 -> 3468.21+USN-3880-2+USN-3970-1+USN-4013-1+USN-4100-1, patched in place (patch plan)\n');
  assert.match(report, '  mesos-agent-01 (server): 3468.21+USN-3880-2+USN-3970-1+USN-4013-1 -> 3468.21+USN-3880-2+USN-3970-1+USN-4013-1+USN-4100-1, replaced on the new level\n');
  assert.match(report, '  hdp-nn-01 (hadoop): ');
  assert.is(behindReport('lenexa', 'main', stableJson(inventoryOf(lenexa, cloudInitStub)), inventoryOf(lenexa, cloudInitStub)), 'lenexa: every server at main is at the current level');
  assert.is(behindReport('lenexa', 'v1', undefined, inventoryOf(lenexa, cloudInitStub)), 'lenexa: no inventory rendered at v1; every server is created at the current level');
});

test('failure domains are physical: each rack with its ESXi hosts (vSphere) or zone (AWS) and the servers in it', () => {
  assert.match(md(), '| rack-b | esx-b-01.lenexa.example.net, esx-b-02.lenexa.example.net, esx-b-03.lenexa.example.net | mesos-agent-05, mesos-agent-06, mesos-agent-07, mesos-agent-08, mesos-master-02 |');
  assert.match(md(awsDr), '| rack-c | us-east-2c | mesos-agent-09, mesos-agent-10, mesos-agent-11, mesos-agent-12 |');
});

test.run();
