import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeUserData, diffTerraform, settingsChanges } from './diff';

const REPO = path.resolve(__dirname, '../../..');
const read = (p: string) => fs.readFileSync(path.join(REPO, 'rendered', p), 'utf8');
const AWS_DB = 'terraform/vm-db-ledger.tf.json';
const VS_DB = 'terraform/vm-db-ledger.tf.json';
// A stateless group, replaced (not patched in place) when its stemcell or user data changes.
const AWS_APP = 'terraform/vm-billing-app.tf.json';
const edit = (text: string, f: (doc: any) => void) => { const doc = JSON.parse(text); f(doc); return JSON.stringify(doc, null, 2); }; // eslint-disable-line @typescript-eslint/no-explicit-any

test('rendered user data decodes to the cloud-config (gzip+base64)', () => {
  const doc = JSON.parse(read(`lenexa/${VS_DB}`));
  assert.ok(decodeUserData(doc.locals['userdata_db-ledger']).startsWith('#cloud-config\n'));
});

test('an encoding-only change replaces an AWS instance (user_data_replace_on_change) and says so', () => {
  const before = read(`aws-dr/${AWS_APP}`);
  const after = edit(before, (doc) => {
    const text = decodeUserData(doc.locals['userdata_billing-app']);
    doc.locals['userdata_billing-app'] = gzipSync(Buffer.from(text), { level: 1 }).toString('base64');
  });
  const changes = diffTerraform(new Map([[AWS_APP, before]]), new Map([[AWS_APP, after]]));
  assert.equal(changes.map((c) => c.address), ['aws_instance.billing-app-01', 'aws_instance.billing-app-02']);
  const [c] = changes;
  assert.is(c.action, 'replace');
  assert.is(c.encodingOnly, true);
  assert.is(c.dataHolding, 'none');
  assert.ok(c.reasons[0].includes('encoding changed'), c.reasons[0]);
  assert.equal(c.attributes.map((a) => [a.path, a.lines]), [['user_data_base64', []]]);
});

test('a database patched in place ignores an encoding-only change of its user data', () => {
  const before = read(`aws-dr/${AWS_DB}`);
  const after = edit(before, (doc) => {
    const text = decodeUserData(doc.locals['userdata_db-ledger']);
    doc.locals['userdata_db-ledger'] = gzipSync(Buffer.from(text), { level: 1 }).toString('base64');
  });
  assert.equal(diffTerraform(new Map([[AWS_DB, before]]), new Map([[AWS_DB, after]])).filter((c) => c.action === 'replace'), []);
});

test('an address change forces a new vSphere VM; lifecycle.ignore_changes hides it', () => {
  const before = read(`lenexa/${VS_DB}`);
  const moved = (ignore: boolean) => (text: string) => edit(text, (doc) => {
    const vm = doc.resource.vsphere_virtual_machine['db-ledger-01'];
    if (ignore) vm.lifecycle = { ignore_changes: ['clone'] };
  });
  const after = edit(before, (doc) => { doc.resource.vsphere_virtual_machine['db-ledger-01'].clone.customize.network_interface.ipv4_address = '10.20.5.11'; });
  const [c] = diffTerraform(new Map([[VS_DB, before]]), new Map([[VS_DB, after]]));
  assert.is(c.action, 'replace');
  assert.equal(c.reasons, ['address 10.20.5.10 → 10.20.5.11 (forces a new resource)']);
  assert.equal(c.attributes, [{ path: 'clone.customize.network_interface.ipv4_address', before: '10.20.5.10', after: '10.20.5.11' }]);
  assert.equal(diffTerraform(new Map([[VS_DB, moved(true)(before)]]), new Map([[VS_DB, moved(true)(after)]])), []);
});

test('an attribute that forces nothing is an update; a removed file destroys its resources', () => {
  const before = read(`lenexa/${VS_DB}`);
  const after = edit(before, (doc) => { doc.resource.vsphere_virtual_machine['db-ledger-01'].memory = 131072; });
  const [u] = diffTerraform(new Map([[VS_DB, before]]), new Map([[VS_DB, after]]));
  assert.equal([u.address, u.action, u.attributes], ['vsphere_virtual_machine.db-ledger-01', 'update', [{ path: 'memory', before: 65536, after: 131072 }]]);
  const deleted = diffTerraform(new Map([[VS_DB, before]]), new Map());
  assert.equal(deleted.map((d) => [d.address.split('.')[0], d.action, d.dataHolding, d.role, d.host]), [
    ['vsphere_virtual_disk', 'delete', 'data', undefined, undefined],
    ['vsphere_virtual_machine', 'delete', 'stateful-vm', 'database', 'db-ledger-01'],
  ], 'the data disk is what holds the data; the VM is a risk');
});

test('a volume attachment whose instance is replaced is replaced too', () => {
  const file = 'terraform/x.tf.json';
  const doc = (ami: string) => JSON.stringify({ resource: {
    aws_instance: { db: { ami, tags: { role: 'database', data: 'own-disk' } } },
    aws_volume_attachment: { 'db-data': { device_name: '/dev/sdf', instance_id: '${aws_instance.db.id}', volume_id: '${aws_ebs_volume.db-data.id}' } },
  } });
  const changes = diffTerraform(new Map([[file, doc('ami-1')]]), new Map([[file, doc('ami-2')]]));
  assert.equal(changes.map((c) => [c.address, c.action, c.dataHolding]), [['aws_instance.db', 'replace', 'stateful-vm'], ['aws_volume_attachment.db-data', 'replace', 'stateful-vm']]);
});

test('a new stemcell on AWS: a new ami replaces the instance, said in stemcell terms', () => {
  const before = read(`aws-dr/${AWS_APP}`);
  const after = before.replace('"ami": "ami-0a3f2c7d9e41b6a85"', '"ami": "ami-0b4e3d8e0f52c7b96"').replace('"stemcell": "ubuntu-trusty-hardened 3468.21"', '"stemcell": "ubuntu-trusty-hardened 3468.22"');
  const [c] = diffTerraform(new Map([[AWS_APP, before]]), new Map([[AWS_APP, after]]));
  assert.equal([c.action, c.reasons], ['replace', ['stemcell ubuntu-trusty-hardened 3468.21 → 3468.22 (ami ami-0a3f2c7d9e41b6a85 → ami-0b4e3d8e0f52c7b96)']]);
  assert.equal(c.attributes.map((a) => a.path), ['ami', 'tags.stemcell']);
});

test('data sources and providers that change are listed apart', () => {
  const before = read('lenexa/terraform/main.tf.json');
  const after = before.replace('templates/ubuntu-trusty-hardened-3468.21', 'templates/ubuntu-trusty-hardened-3468.22');
  assert.equal(settingsChanges(new Map([['terraform/main.tf.json', before]]), new Map([['terraform/main.tf.json', after]])),
    ['terraform: data.vsphere_virtual_machine.stemcell changes (name: templates/ubuntu-trusty-hardened-3468.21 → templates/ubuntu-trusty-hardened-3468.22)']);
});


test('a database VM moving to patch in place (trigger kept and ignored, a data disk attached) is updated, not replaced', () => {
  const now = read(`lenexa/${VS_DB}`);
  // The same VM as rendered before data disks: its trigger live, no lifecycle, disk0 only.
  const before = edit(now, (doc) => {
    const vm = doc.resource.vsphere_virtual_machine['db-ledger-01'];
    delete vm.lifecycle;
    vm.replace_trigger = 'stemcell=ubuntu-trusty-hardened/3468.21 user-data=sha256:c634f7c867ff4f00402a7129b8755f393fe6eb97b35328e4dc1cd2e25dd68c28';
    vm.disk = vm.disk[0];
    delete doc.resource.vsphere_virtual_disk;
  });
  const changes = diffTerraform(new Map([[VS_DB, before]]), new Map([[VS_DB, now]]));
  assert.equal(changes.map((c) => [c.address, c.action]), [['vsphere_virtual_disk.db-ledger-01', 'create'], ['vsphere_virtual_machine.db-ledger-01', 'update']]);
});

test.run();
