// Change-set tests of the edits that used to destroy data (a stemcell bump, a security patch, a
// database's new address), on the real environments with their real user-data, read as the
// actions Terraform would plan (testing/plan.ts follows the providers' replacement rules).
//
// Measured with this simulator on the rendering before this change (commit 3e531bc) and after:
//   stemcell bump     lenexa  23 VMs replaced, the 4 database VMs among them -> 19, no database
//                     aws-dr  31 instances (4 databases, 8 Hadoop)           -> 19, no database, no Hadoop
//   new patch         lenexa  23 (4 databases)                               -> 19, no database
//                     aws-dr  23 (4 databases)                               -> 19, no database
//   database address  1 VM replaced, its data on its only disk               -> 1 VM replaced, data disk kept
//                                                                               (and re-attached)
// Before, no data disk existed: every replaced database VM took its data with it. After, no
// edit above replaces or deletes a data disk or volume.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import lenexa from '@infra/env-lenexa';
import awsDr, { plan as drPlan } from '@infra/env-aws-dr';
import { deriveDisasterRecovery, hostsOf, type Environment, type HostGroup } from '@infra/model';
import { terraformGenerator } from './index';
import { dataHolding } from './data-holding';
import { plan, resources, withAction } from './testing/plan';
import { cloudInitStub, contextOf, smallAws, stubContextOf } from './testing/fixtures';
import { providerSchemas, validateRendered } from './testing/reference';
import type { BlockSchema } from './testing/provider-schema';

const ctx = contextOf(lenexa, awsDr);
const render = (env: Environment) => terraformGenerator.generate(env, ctx);
const DATABASES = hostsOf(lenexa).filter((h) => h.role === 'database').map((h) => h.name);
const STATELESS = hostsOf(lenexa).filter((h) => h.role !== 'database').map((h) => h.name);

const NEXT = '3468.22';
function bumped(env: Environment): Environment {
  return {
    ...env,
    stemcell: {
      ...env.stemcell,
      version: NEXT,
      images: {
        ...env.stemcell.images,
        [NEXT]: { vsphere: { template: `templates/ubuntu-trusty-hardened-${NEXT}` }, aws: { 'us-east-2': 'ami-0b4f3d8e0f52c7a96' } },
      },
    },
  };
}
function patched(env: Environment): Environment {
  return { ...env, stemcell: { ...env.stemcell, patches: [...env.stemcell.patches, { id: 'USN-4100-1', packages: [{ name: 'bash', version: '4.3-7ubuntu1.8' }] }] } };
}
/** aws-dr as it is derived from a changed lenexa. */
const drOf = (prod: Environment): Environment => deriveDisasterRecovery(prod, drPlan);
const names = (addresses: string[], type: string) => addresses.filter((a) => a.startsWith(`${type}.`)).map((a) => a.slice(type.length + 1)).sort();

test('the derived copy used here is aws-dr itself', () => {
  assert.equal(render(drOf(lenexa)), render(awsDr));
});

test('vSphere: a stemcell bump replaces every stateless VM and no database VM or data disk', () => {
  const actions = plan(render(lenexa), render(bumped(lenexa)));
  assert.equal(names(withAction(actions, 'replace'), 'vsphere_virtual_machine'), [...STATELESS].sort());
  assert.is(withAction(actions, 'replace').length, 19);
  assert.equal(withAction(actions, 'delete'), []);
  for (const db of DATABASES) {
    assert.is(actions.get(`vsphere_virtual_machine.${db}`), 'update', `${db}: its annotation moves to the new level, in place`);
    assert.is(actions.get(`vsphere_virtual_disk.${db}`), undefined, `${db}: data disk untouched`);
  }
});

test('AWS: a stemcell bump replaces every stateless instance and no database, volume, attachment or Hadoop instance', () => {
  // Hadoop instances move to the new level in place (tags, user-data ignored): an update.
  const actions = plan(render(awsDr), render(drOf(bumped(lenexa))));
  assert.equal(names(withAction(actions, 'replace'), 'aws_instance'), [...STATELESS].sort());
  assert.is(withAction(actions, 'replace').length, 19);
  assert.equal(withAction(actions, 'delete'), []);
  for (const [address, action] of actions) {
    assert.ok(!/^aws_(ebs_volume|volume_attachment)\./.test(address), `${address}: ${action}`);
  }
  assert.is(actions.get('aws_instance.hdp-dn-01'), 'update');
});

test('a new security patch replaces the stateless VMs (new user-data) and no database, in both environments', () => {
  for (const [before, after] of [[lenexa, patched(lenexa)], [awsDr, drOf(patched(lenexa))]] as const) {
    const actions = plan(render(before), render(after));
    const vm = before.site.kind === 'vsphere' ? 'vsphere_virtual_machine' : 'aws_instance';
    assert.equal(names(withAction(actions, 'replace'), vm), [...STATELESS].sort(), before.name);
    assert.equal(withAction(actions, 'delete'), [], before.name);
    for (const db of DATABASES) assert.is(actions.get(`${vm}.${db}`), 'update', `${before.name} ${db}`);
  }
});

test('a database\'s new address recreates its VM and keeps its data disk (re-attached)', () => {
  const moved: Environment = {
    ...lenexa,
    hostGroups: lenexa.hostGroups.map((g): HostGroup => (g.name === 'db-ledger' && g.role === 'database'
      ? { ...g, hosts: [{ name: 'db-ledger-01', ip: '10.20.5.11' }] } : g)),
  };
  const vsphere = plan(render(lenexa), render(moved));
  assert.equal([...vsphere].sort(), [['vsphere_virtual_machine.db-ledger-01', 'replace']]);
  const disk = resources(render(moved)).get('vsphere_virtual_machine.db-ledger-01')!.body.disk as Record<string, unknown>[];
  assert.equal(disk[1], {
    label: 'data', attach: true, unit_number: 1,
    path: '${vsphere_virtual_disk.db-ledger-01.vmdk_path}', datastore_id: '${data.vsphere_datastore.datastore.id}',
  });
  const aws = plan(render(awsDr), render(drOf(moved)));
  assert.equal([...aws].sort(), [['aws_instance.db-ledger-01', 'replace'], ['aws_volume_attachment.db-ledger-01', 'replace']]);
});

test('growing a data disk grows it in place', () => {
  const grown: Environment = {
    ...lenexa,
    hostGroups: lenexa.hostGroups.map((g): HostGroup => (g.name === 'db-ledger' && g.role === 'database' ? { ...g, data: { ...g.data!, sizeGiB: 3000 } } : g)),
  };
  assert.equal([...plan(render(lenexa), render(grown))], [['vsphere_virtual_disk.db-ledger-01', 'update']]);
  assert.equal([...plan(render(awsDr), render(drOf(grown)))], [['aws_ebs_volume.db-ledger-01', 'update']]);
});

test('dataHolding, read from the real rendered output, for every role', () => {
  const holding = (env: Environment) => new Map([...resources(render(env))]
    .filter(([address]) => !address.startsWith('data.') && !address.startsWith('local.'))
    .map(([address, { type, body }]) => [address, dataHolding(type, body)]));
  const lenexaHolding = holding(lenexa);
  for (const h of hostsOf(lenexa)) {
    const expected = h.role === 'database' ? 'stateful-vm' : 'none';
    assert.is(lenexaHolding.get(`vsphere_virtual_machine.${h.name}`), expected, `${h.name} (${h.role})`);
  }
  for (const db of DATABASES) assert.is(lenexaHolding.get(`vsphere_virtual_disk.${db}`), 'data', db);
  assert.is([...lenexaHolding.values()].filter((v) => v === 'data').length, DATABASES.length);

  const drHolding = holding(awsDr);
  for (const h of hostsOf(awsDr)) {
    assert.is(drHolding.get(`aws_instance.${h.name}`), h.role === 'database' ? 'stateful-vm' : 'none', `${h.name} (${h.role})`);
  }
  for (const db of DATABASES) {
    assert.is(drHolding.get(`aws_ebs_volume.${db}`), 'data', db);
    assert.is(drHolding.get(`aws_volume_attachment.${db}`), 'stateful-vm', db);
  }
  for (const host of awsDr.hadoop[0].hosts) {
    assert.is(drHolding.get(`aws_instance.${host.name}`), 'stateful-vm', host.name);
    assert.is(drHolding.get(`aws_ebs_volume.${host.name}`), 'data', host.name);
  }
  assert.is([...drHolding.values()].filter((v) => v === 'data').length, DATABASES.length + awsDr.hadoop[0].hosts.length);
  for (const [address, value] of drHolding) {
    if (/^aws_(vpc|subnet|security_group|vpc_security_group|vpc_dhcp)/.test(address)) assert.is(value, 'none', address);
  }
});

test('Hadoop data declared rebuildable lives on the instance store and holds nothing to protect', () => {
  const env = smallAws();
  const files = terraformGenerator.generate(env, stubContextOf(cloudInitStub(), env));
  const all = resources(files);
  assert.is(dataHolding('aws_instance', all.get('aws_instance.hdp-01')!.body), 'none');
  assert.not.ok(all.has('aws_ebs_volume.hdp-01'));
});

test('every rendered resource validates against the provider schemas, data disks and volumes included', () => {
  assert.equal(validateRendered(render(lenexa)), []);
  assert.equal(validateRendered(render(awsDr)), []);
});

test('every ignore_changes path names an attribute or block the provider schema has', () => {
  const schemas = providerSchemas();
  for (const env of [lenexa, awsDr]) {
    for (const [address, { type, body }] of resources(render(env))) {
      const ignore = ((body.lifecycle as { ignore_changes?: string[] } | undefined)?.ignore_changes) ?? [];
      const schema = schemas.find((p) => type.startsWith(`${p.name}_`))?.resources[type];
      for (const path of ignore) {
        let block: BlockSchema | undefined = schema;
        const parts = path.replace(/\[\d+\]/g, '').split('.');
        parts.forEach((part, i) => {
          const last = i === parts.length - 1;
          assert.ok(block && (part in block.blocks || (last && part in block.attributes)), `${address}: ${path}`);
          block = block!.blocks[part]?.block;
        });
      }
    }
  }
});

test.run();
