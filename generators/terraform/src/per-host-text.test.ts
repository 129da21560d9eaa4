// The VMs and data disks written as text must be the bytes stableJson writes for their objects:
// every resource of both environments, of a synthetic one and of one made of edge values.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import lenexa from '@infra/env-lenexa';
import dr from '@infra/env-aws-dr';
import { syntheticEnvironment } from '@infra/synthetic';
import { groupHosts, type Environment, type VsphereSite } from '@infra/model';
import { stableJson } from '@infra/render';
import { HOST_NAME, perHostText, spliceValue } from './per-host-text';
import { groupDocument, groupFile, groupParts } from './vsphere';
import { tfFile } from './tf-json';
import { encodeUserData } from './user-data';
import { smallVsphere, stubUserData } from './testing/fixtures';

/** What tfFile writes for `value` nested at depth 3 (a resource under resource → type → hostname). */
const nested = (value: unknown) => stableJson(value).slice(0, -1).replaceAll('\n', '\n      ');

/** smallVsphere with edge values where a group's VMs take them: unicode, quotes, `${`, `%{`, an empty list. */
function edgeEnvironment(): Environment {
  const env = smallVsphere();
  const site = env.site as VsphereSite;
  site.folder = 'infra/"smäll"\\${x}%{y}\u2028\ud800😀';
  site.datacenter = 'dc "1" ${dc}';
  env.network.domain = 'smäll.例え.example.net "q" ${d}';
  env.network.dnsServers = [];
  env.stemcell.name = 'trusty ${s} "ü"';
  return env;
}

const environments: Array<[string, Environment]> = [
  ['lenexa', lenexa], ['aws-dr', dr], ['synthetic', syntheticEnvironment({ name: 'synth', vms: 400 })], ['edge', edgeEnvironment()],
];

for (const [label, env] of environments) {
  test(`${label}: every VM and data disk written as text is the bytes of stableJson(the object)`, () => {
    if (env.site.kind !== 'vsphere') {
      // aws-dr has no vSphere VMs: nothing here writes its files (asserted, so a change is seen).
      assert.is(env.site.kind, 'aws');
      return;
    }
    let resources = 0;
    for (const group of env.hostGroups) {
      const parts = groupParts(env, env.site, group, encodeUserData(stubUserData(env, group)));
      const vm = perHostText(parts.vm, 3);
      assert.ok(vm, `${group.name}: its VMs are written as text`);
      const disk = parts.disk && perHostText(parts.disk, 3);
      if (parts.disk) assert.ok(disk, `${group.name}: its data disks are written as text`);
      for (const host of groupHosts(group)) {
        assert.is(vm!.of(host.name, host.ip!), nested(parts.vm(host)), `${group.name}/${host.name}`);
        if (disk) assert.is(disk.of(host.name, host.ip!), nested(parts.disk!(host)), `${group.name}/${host.name} disk`);
        resources++;
      }
    }
    assert.ok(resources > 0);
  });

  test(`${label}: every group's file is the bytes of tfFile(its document of objects)`, () => {
    if (env.site.kind !== 'vsphere') return;
    for (const group of env.hostGroups) {
      const userData = encodeUserData(stubUserData(env, group));
      assert.ok(groupFile(env, env.site, group, userData) === tfFile(groupDocument(env, env.site, group, userData)), group.name);
    }
  });
}

test('a host whose name is not an identifier, or with no address, is written from its object', () => {
  const env = edgeEnvironment();
  const db = env.hostGroups.find((g) => g.name === 'db')!;
  db.hosts = [{ name: 'db "01" ${x}', ip: '10.1.2.10' }, { name: 'db-02', ip: '10.1.2.11' }, { name: 'db-03' } as never];
  const site = env.site as VsphereSite;
  const userData = encodeUserData(stubUserData(env, db));
  const text = groupFile(env, site, db, userData);
  assert.ok(text === tfFile(groupDocument(env, site, db, userData)));
  assert.ok(text.includes('"db \\"01\\" ${x}": {'), 'the odd name is a key, escaped');
});

test('a group value holding a stand-in\'s text: the group is written from its objects, the same bytes', () => {
  const env = smallVsphere();
  (env.site as VsphereSite).folder = `infra/${HOST_NAME}`;
  env.network.domain = '"infra-stand-in-vsphere-virtual-machines-5b2e"';
  for (const group of env.hostGroups) {
    const parts = groupParts(env, env.site as VsphereSite, group, encodeUserData(stubUserData(env, group)));
    assert.is(perHostText(parts.vm, 3), undefined, `${group.name}: the stand-in is seen`);
    const userData = encodeUserData(stubUserData(env, group));
    assert.ok(groupFile(env, env.site as VsphereSite, group, userData) === tfFile(groupDocument(env, env.site as VsphereSite, group, userData)), group.name);
  }
});

test('a group with no hosts: empty maps, as stableJson writes them', () => {
  const env = smallVsphere();
  const db = env.hostGroups.find((g) => g.name === 'db')!;
  db.hosts = [];
  const site = env.site as VsphereSite;
  const userData = encodeUserData(stubUserData(env, db));
  const text = groupFile(env, site, db, userData);
  assert.ok(text === tfFile(groupDocument(env, site, db, userData)));
  assert.match(text, /"vsphere_virtual_machine": \{\}/);
});

test('perHostText: the stand-ins replaced in place, the address escaped; undefined when a stand-in is used in a key', () => {
  const text = perHostText((h) => ({ a: [h.name, `x-${h.ip}-y`], b: { name: h.name }, e: [] }), 1)!;
  assert.is(text.of('vm-1', '10.0.0.1"'), nested({ a: ['vm-1', 'x-10.0.0.1"-y'], b: { name: 'vm-1' }, e: [] }).replaceAll('\n      ', '\n  '));
  assert.is(perHostText((h) => ({ [h.name]: 1 }), 1), undefined);
  assert.is(perHostText((h) => ({ a: 1, [`k-${h.ip}-\\"`]: 2 }), 1), undefined);
  assert.is(perHostText(() => ({ a: HOST_NAME }), 1), undefined, 'a stand-in that is not the host\'s');
});

test('spliceValue: each quoted stand-in replaced once; undefined when one is missing or repeated', () => {
  assert.is(spliceValue('{"a": "S", "b": "T"}', [['S', '[1]'], ['T', '{}']]), '{"a": [1], "b": {}}');
  assert.is(spliceValue('{"a": "S"}', [['T', '1']]), undefined);
  assert.is(spliceValue('{"a": "S", "b": "S"}', [['S', '1']]), undefined);
  assert.is(spliceValue('{"a": "x\\"S\\""}', [['S', '1']]), undefined, 'inside a string it is escaped, not quoted');
});

test.run();
