import { test } from 'uvu';
import * as assert from 'uvu/assert';
import lenexa from '@infra/env-lenexa';
import awsDr from '@infra/env-aws-dr';
import { terraformGenerator } from './index';
import { markMap, vmMarks } from './marks';
import { cloudInitStub, stubContextOf } from './testing/fixtures';

// Read from what the kind renders (with stub user-data: the marks do not depend on it).
type Doc = { resource: Record<string, Record<string, Record<string, unknown>>> };
const renders = { lenexa: terraformGenerator.generate(lenexa, stubContextOf(cloudInitStub(), lenexa)), 'aws-dr': terraformGenerator.generate(awsDr, stubContextOf(cloudInitStub(), lenexa, awsDr)) };
const doc = (env: keyof typeof renders, file: string) => JSON.parse(renders[env].get(`terraform/${file}`)!) as Doc;
const resource = (env: keyof typeof renders, file: string, type: string, name: string) => doc(env, file).resource[type][name];

test('a rendered vSphere VM: its annotation lines, its name as host', () => {
  const body = resource('lenexa', 'vm-db-ledger.tf.json', 'vsphere_virtual_machine', 'db-ledger-01');
  assert.equal(vmMarks('vsphere_virtual_machine', body, 'db-ledger-01'), { host: 'db-ledger-01', group: 'db-ledger', role: 'database', data: 'own-disk' });
  assert.is(markMap('vsphere_virtual_machine', body)!.patching, 'patch-in-place');
});

test('a rendered AWS instance: its tags, the Name tag as host; a Hadoop instance is grouped by its cluster', () => {
  const agent = resource('aws-dr', 'vm-mesos-agent-a.tf.json', 'aws_instance', 'mesos-agent-01');
  assert.equal(vmMarks('aws_instance', agent, 'mesos-agent-01'), { host: 'mesos-agent-01', group: 'mesos-agent-a', role: 'mesos-agent', data: 'none' });
  const [name, body] = Object.entries(doc('aws-dr', 'hadoop-hbase-lenexa.tf.json').resource.aws_instance)[0];
  const m = vmMarks('aws_instance', body, name)!;
  assert.is(m.group, 'hbase-lenexa');
  assert.is(m.role, 'hadoop');
  assert.ok(m.rack, 'a Hadoop instance says its rack');
});

test('no marks: the resource name is the host; a resource that is no VM has no marks', () => {
  assert.equal(vmMarks('vsphere_virtual_machine', { annotation: 'free text, no marks' }, 'x-01'), { host: 'x-01' });
  assert.equal(vmMarks('aws_instance', {}, 'x-02'), { host: 'x-02' });
  assert.is(vmMarks('aws_ebs_volume', { tags: { role: 'database' } }, 'v'), undefined);
  assert.is(markMap('aws_security_group', {}), undefined);
});

test.run();
