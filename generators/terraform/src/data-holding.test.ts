import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dataHolding } from './data-holding';

test('a resource rendered with prevent_destroy holds data, whatever its type', () => {
  assert.is(dataHolding('vsphere_virtual_disk', { lifecycle: { prevent_destroy: true } }), 'data');
  assert.is(dataHolding('aws_ebs_volume', { lifecycle: { prevent_destroy: true } }), 'data');
});

test('a volume attachment moves a kept volume: a risk to replace, not a loss', () => {
  assert.is(dataHolding('aws_volume_attachment', { volume_id: '${aws_ebs_volume.db-01.id}', instance_id: '${aws_instance.db-01.id}' }), 'stateful-vm');
});

test('a database or hadoop VM that says nothing holds its data on its only disk', () => {
  assert.is(dataHolding('vsphere_virtual_machine', { annotation: 'role: database\ngroup: db-ledger' }), 'data');
  assert.is(dataHolding('aws_instance', { tags: { role: 'hadoop' } }), 'data');
});

test('a stateful VM whose data is on a kept disk of its own is a risk to replace, not a loss', () => {
  assert.is(dataHolding('vsphere_virtual_machine', { annotation: 'role: database\ndata: own-disk' }), 'stateful-vm');
  assert.is(dataHolding('aws_instance', { tags: { role: 'database', data: 'own-disk' } }), 'stateful-vm');
});

test('data declared rebuildable, and stateless roles, hold nothing', () => {
  assert.is(dataHolding('aws_instance', { tags: { role: 'hadoop', data: 'rebuildable' } }), 'none');
  assert.is(dataHolding('vsphere_virtual_machine', { annotation: 'role: mesos-agent' }), 'none');
  assert.is(dataHolding('aws_security_group', {}), 'none');
});

test.run();
