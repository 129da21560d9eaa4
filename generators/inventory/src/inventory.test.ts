import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hostsOf } from '@infra/model';
import { userDataHash } from '@infra/generator-cloud-init';
import lenexa from '@infra/env-lenexa';
import awsDr from '@infra/env-aws-dr';
import { inventoryGenerator } from './index';
import { inventoryOf } from './inventory';
import { markdownTable } from './table';

const md = (env = lenexa) => inventoryGenerator.generate(env, { environment: () => undefined }).get('INVENTORY.md')!;

test('lists every VM, every Hadoop host and every app of the environment', () => {
  const text = md();
  for (const h of hostsOf(lenexa)) assert.match(text, `| ${h.name} | ${h.role} | ${h.group.name} | ${h.ip} |`);
  for (const c of lenexa.hadoop) for (const h of c.hosts) assert.match(text, `| ${h.name} | ${c.name} | ${h.ip} | ${h.rack} |`);
  for (const a of lenexa.apps) assert.match(text, `| ${a.id} | ${a.runtime} | ${a.runtime === 'jvm' ? 'no' : 'yes'} | ${a.instances} |`);
  assert.match(text, `## Servers (${hostsOf(lenexa).length})`);
  assert.match(text, '## Bare-metal Hadoop/HBase hosts (9)');
});

test('each server carries its stemcell and the hash of its group\'s user-data', () => {
  const inv = inventoryOf(awsDr);
  const ledger = inv.servers.find((s) => s.hostname === 'db-ledger-01')!;
  assert.is(ledger.stemcell, 'ubuntu-trusty-hardened 3468.21');
  assert.is(ledger.userData, userDataHash(awsDr, awsDr.hostGroups.find((g) => g.name === 'db-ledger')!));
  assert.match(md(awsDr), `| ${ledger.userData.slice(0, 12)} |`);
});

test('a new stemcell version shows on every server, with new user-data hashes', () => {
  const before = inventoryOf(lenexa);
  const after = inventoryOf({ ...lenexa, stemcell: { ...lenexa.stemcell, version: '3468.22' } });
  assert.ok(after.servers.every((s) => s.stemcell === 'ubuntu-trusty-hardened 3468.22'));
  assert.ok(after.servers.every((s, i) => s.userData !== before.servers[i].userData));
});

test('shows utilization per resource after losing the largest failure domain', () => {
  assert.match(md(), '| cpus (cpus) | 35.3 | 192 | 18.4% | rack rack-a (64) | 128 | 27.6% |');
});

test('a | in a value cannot break the table', () => {
  assert.is(markdownTable(['a'], [['x|y']]), '| a |\n| --- |\n| x\\|y |');
});

test.run();
