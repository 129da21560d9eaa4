import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hostsOf } from '@infra/model';
import lenexa from '@infra/env-lenexa';
import awsDr from '@infra/env-aws-dr';
import { costSummary } from './cost';
import { inventoryGenerator } from './index';
import { ctx } from './cloud-init.fixture';

const md = (env = awsDr) => inventoryGenerator.generate(env, ctx).get('INVENTORY.md')!;

test('the DR skeleton\'s cost: instance types and counts per role, root volumes and their sizes', () => {
  const cost = costSummary(awsDr)!;
  const hadoopHosts = awsDr.hadoop.reduce((n, c) => n + c.hosts.length, 0);
  assert.is(cost.instances, hostsOf(awsDr).length + hadoopHosts);
  assert.equal(cost.rows.find((r) => r.role === 'mesos-agent'), { role: 'mesos-agent', instanceType: 'm5.4xlarge', count: 12, volumeGiB: 500 });
  assert.equal(cost.rows.filter((r) => r.role === 'database').map((r) => [r.instanceType, r.count]), [['m5.2xlarge', 3], ['m5.4xlarge', 1]]);
  assert.is(cost.rows.find((r) => r.role === 'hadoop')!.count, hadoopHosts);
  assert.is(cost.volumeGiB, cost.rows.reduce((n, r) => n + r.count * r.volumeGiB, 0));
  const text = md();
  assert.match(text, `## What it costs to run (${cost.instances} instances, ${cost.volumeGiB} GiB of EBS)`);
  assert.match(text, '| mesos-agent | m5.4xlarge | 12 | 500 | 6000 |');
});

test('a vSphere site has no cost section (its hardware is already paid for)', () => {
  assert.is(costSummary(lenexa), undefined);
  assert.not.match(md(lenexa), 'What it costs to run');
});

test.run();
