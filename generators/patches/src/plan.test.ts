import { test } from 'uvu';
import * as assert from 'uvu/assert';
import lenexa from '@infra/env-lenexa';
import awsDr from '@infra/env-aws-dr';
import type { Environment, HostGroup } from '@infra/model';
import { generatedMarker } from '@infra/render';
import { shuffled } from '@infra/render/testing';
import { patchesGenerator } from './index';

const ctx = { environment: () => undefined };
const generate = (env: Environment) => patchesGenerator.generate(env, ctx);
const plan = (env: Environment, group: string) => JSON.parse(generate(env).get(`patches/${group}.json`)!);

test('one plan per group patched in place and per Hadoop cluster, in both environments', () => {
  const files = ['patches/db-catalog.json', 'patches/db-customer.json', 'patches/db-ledger.json', 'patches/db-reporting.json', 'patches/hbase-lenexa.json'];
  assert.equal([...generate(lenexa).keys()], files);
  assert.equal([...generate(awsDr).keys()], files);
});

test('a database plan: the contract format, pinned packages sorted by name, the kernel patch\'s reboot, one host per step', () => {
  const text = generate(lenexa).get('patches/db-ledger.json')!;
  assert.ok(text.endsWith('}\n'));
  assert.equal(JSON.parse(text), {
    '//': generatedMarker('patches'),
    group: 'db-ledger',
    source: 'vm',
    patchLevel: '3468.21+USN-3880-2+USN-3970-1+USN-4013-1',
    packages: [
      { name: 'libssl1.0.0', version: '1.0.1f-1ubuntu2.27' },
      { name: 'linux-image-generic', version: '3.13.0.170.181' },
      { name: 'openssh-server', version: '1:6.6p1-2ubuntu2.13' },
      { name: 'openssl', version: '1.0.1f-1ubuntu2.27' },
    ],
    reboot: true,
    steps: [{ host: 'db-ledger-01', address: '10.20.5.10', reboot: true, health: { kind: 'tcp', port: 5432 } }],
  });
  assert.equal(plan(awsDr, 'db-ledger').steps[0].address, '10.120.5.10');
});

test('Hadoop: workers first, then HBase masters, ZooKeeper members and NameNodes last, one by one', () => {
  const p = plan(lenexa, 'hbase-lenexa');
  assert.is(p.source, 'hadoop');
  assert.equal(p.steps.map((s: { host: string }) => s.host), [
    'hdp-dn-06', // datanode only
    'hdp-dn-01', 'hdp-dn-02', 'hdp-dn-03', 'hdp-dn-04', 'hdp-dn-05', // regionservers
    'hdp-hm-01', // ZooKeeper member (and HBase master)
    'hdp-nn-01', 'hdp-nn-02', // NameNodes
  ]);
  assert.equal(p.steps.map((s: { health: { port: number } }) => s.health.port), [50010, 16020, 16020, 16020, 16020, 16020, 2181, 8020, 8020]);
  assert.ok(p.steps.every((s: { reboot: boolean }) => s.reboot));
});

test('a new patch changes every plan (and Hadoop\'s): its package and the patch level', () => {
  const next = { ...lenexa, stemcell: { ...lenexa.stemcell, patches: [...lenexa.stemcell.patches, { id: 'USN-4100-1', packages: [{ name: 'bash', version: '4.3-7ubuntu1.8' }] }] } };
  const before = generate(lenexa);
  const after = generate(next);
  assert.equal([...after.keys()], [...before.keys()]);
  for (const [file, text] of after) {
    assert.is.not(text, before.get(file), file);
    const p = JSON.parse(text);
    assert.is(p.patchLevel, '3468.21+USN-3880-2+USN-3970-1+USN-4013-1+USN-4100-1');
    assert.equal(p.packages[0], { name: 'bash', version: '4.3-7ubuntu1.8' });
  }
});

test('without a patch that needs it, no step reboots', () => {
  const noKernel = { ...lenexa, stemcell: { ...lenexa.stemcell, patches: lenexa.stemcell.patches.filter((p) => p.id !== 'USN-4013-1') } };
  for (const text of generate(noKernel).values()) {
    const p = JSON.parse(text);
    assert.is(p.reboot, false);
    assert.ok(p.steps.every((s: { reboot: boolean }) => !s.reboot));
  }
});

test('a stateless group that chooses patch-in-place gets a plan; databases can choose replace', () => {
  const env: Environment = {
    ...lenexa,
    hostGroups: lenexa.hostGroups.map((g): HostGroup => (g.name === 'crm-app' ? { ...g, patching: 'patch-in-place' }
      : g.name === 'db-reporting' ? { ...g, patching: 'replace' } : g)),
  };
  const files = [...generate(env).keys()];
  assert.ok(files.includes('patches/crm-app.json'));
  assert.not.ok(files.includes('patches/db-reporting.json'));
  assert.equal(plan(env, 'crm-app').steps.map((s: { host: string; health: { port: number } }) => [s.host, s.health.port]), [['crm-app-01', 8081], ['crm-app-02', 8081]]);
});

test('deterministic: the same bytes from a shuffled definition', () => {
  for (const seed of [1, 7, 42]) assert.equal([...generate(shuffled(lenexa, seed))].sort(), [...generate(lenexa)].sort());
});

test('a Hadoop cluster named like a host group is refused (their plans would be one file)', () => {
  const env = { ...lenexa, hadoop: [{ ...lenexa.hadoop[0], name: 'db-ledger' }] };
  assert.equal(patchesGenerator.check!(env, ctx), [
    { env: 'lenexa', path: 'hadoop/db-ledger/name', message: 'a host group is also named db-ledger; their patch plans would be the same file: rename one' },
  ]);
});

test.run();
