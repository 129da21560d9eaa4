import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { DatabaseGroup, Environment, HostGroup } from '@infra/model';
import lenexa from '@infra/env-lenexa';
import awsDr from '@infra/env-aws-dr';
import { validateEnvironment } from './index';
import { checkStateful, rolePackages } from './stateful-rules';

const messages = (env: Environment) => validateEnvironment(env).map((p) => `[environments/${p.env}] ${p.path}: ${p.message}`);
const db = (env: Environment, name: string) => env.hostGroups.find((g) => g.name === name) as DatabaseGroup;

test('a stemcell version with no image for the site is refused, located at the version', () => {
  const env = structuredClone(lenexa);
  env.stemcell.version = '3468.22';
  assert.equal(messages(env), [
    "[environments/lenexa] stemcell/images/3468.22: stemcell ubuntu-trusty-hardened version 3468.22 has no images (built versions: 3468.21); build it and list its images under images['3468.22'], or keep a built version",
  ]);
  const dr = structuredClone(awsDr);
  delete dr.stemcell.images['3468.21'].aws;
  assert.equal(messages(dr), [
    "[environments/aws-dr] stemcell/images/3468.21/aws: stemcell ubuntu-trusty-hardened 3468.21 has no AMI for region us-east-2; add images['3468.21'].aws['us-east-2']",
  ]);
});

test('a database without a data disk, or with its data directory off the disk, is refused', () => {
  const env = structuredClone(lenexa);
  delete db(env, 'db-ledger').data;
  db(env, 'db-catalog').dataDir = '/var/lib/mysql-old';
  assert.equal(messages(env), [
    "[environments/lenexa] hostGroups/db-ledger/data: a database keeps its data on a disk of its own that outlives the VM; declare it, e.g. data: { sizeGiB: 500, mountPoint: '/var/lib/postgresql', filesystem: 'ext4' }, with dataDir on it",
    '[environments/lenexa] hostGroups/db-catalog/dataDir: /var/lib/mysql-old is not on the data disk mounted at /var/lib/mysql; put dataDir at or below /var/lib/mysql',
  ]);
});

test('a shell metacharacter or space in a data path is refused by the model\'s pattern', () => {
  const env = structuredClone(lenexa);
  db(env, 'db-ledger').data!.mountPoint = '/var/lib/$(reboot)';
  db(env, 'db-customer').dataDir = '/var/lib/postgresql/9.6/my main';
  assert.equal(messages(env), [
    '[environments/lenexa] hostGroups/db-ledger/data/mountPoint: must match ^(/[A-Za-z0-9._-]+)+$',
    '[environments/lenexa] hostGroups/db-customer/dataDir: must match ^(/[A-Za-z0-9._-]+)+$',
    '[environments/lenexa] hostGroups/db-ledger/dataDir: /var/lib/postgresql/9.6/main is not on the data disk mounted at /var/lib/$(reboot); put dataDir at or below /var/lib/$(reboot)',
  ]);
});

test('a kernel patch must carry its reboot; a package version must be a Debian version', () => {
  const env = structuredClone(lenexa);
  delete env.stemcell.patches.find((p) => p.id === 'USN-4013-1')!.reboot;
  assert.equal(messages(env), [
    '[environments/lenexa] stemcell/patches/USN-4013-1/reboot: linux-image-generic takes effect only after a reboot; set reboot: true so the patch plan reboots each host',
  ]);
  const bad = structuredClone(lenexa);
  bad.stemcell.patches[0].packages[0].version = '1.0; reboot';
  assert.equal(messages(bad), [
    '[environments/lenexa] stemcell/patches/USN-3970-1/packages/openssl/version: must match ^([0-9]+:)?[0-9][A-Za-z0-9.+~]*(-[A-Za-z0-9.+~]+)?$',
  ]);
});

test('one package pinned to two versions by two patches is refused', () => {
  const env = structuredClone(lenexa);
  env.stemcell.patches.push({ id: 'USN-4200-1', packages: [{ name: 'openssl', version: '1.0.1f-1ubuntu2.28' }] });
  assert.equal(messages(env), [
    '[environments/lenexa] stemcell/patches/USN-4200-1/packages/openssl: openssl is pinned to 1.0.1f-1ubuntu2.28 here and to 1.0.1f-1ubuntu2.27 by USN-3970-1; keep the newer pin only, in one patch',
  ]);
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const group = (env: Environment, name: string) => env.hostGroups.find((g) => g.name === name)! as any;

test('a rack that maps to no ESXi hosts (vSphere) or no zone (AWS) is refused', () => {
  const env = structuredClone(lenexa);
  group(env, 'mesos-agent-c').rack = 'rack-d';
  group(env, 'mesos-master').racks['mesos-master-03'] = 'rack-x';
  assert.equal(messages(env), [
    '[environments/lenexa] hostGroups/mesos-master/racks/mesos-master-03: rack rack-x maps to no ESXi hosts on this vSphere site; list its hosts under site/racks/rack-x, or use one of: rack-a, rack-b, rack-c',
    '[environments/lenexa] hostGroups/mesos-agent-c/rack: rack rack-d maps to no ESXi hosts on this vSphere site; list its hosts under site/racks/rack-d, or use one of: rack-a, rack-b, rack-c',
  ]);
  const dr = structuredClone(awsDr);
  delete (dr.site as { racks?: Record<string, string> }).racks!['rack-c'];
  assert.equal(messages(dr), [
    '[environments/aws-dr] hostGroups/mesos-agent-c/rack: rack rack-c maps to no availability zone on this AWS site; add it to site/racks with its zone, or use one of: rack-a, rack-b',
  ]);
});

test('racks must be independent: no ESXi host in two racks, no two racks in one zone, agents in their rack\'s zone', () => {
  const env = structuredClone(lenexa);
  (env.site as { racks: Record<string, string[]> }).racks['rack-c'].push('esx-a-01.lenexa.example.net');
  assert.equal(messages(env), ['[environments/lenexa] site/racks/rack-c: ESXi host esx-a-01.lenexa.example.net is also in rack rack-a; a host is in one rack']);
  const dr = structuredClone(awsDr);
  (dr.site as { racks: Record<string, string> }).racks['rack-c'] = 'us-east-2a';
  assert.equal(messages(dr), [
    '[environments/aws-dr] hostGroups/mesos-agent-c/subnet: rack rack-c is zone us-east-2a, but subnet compute-c is in us-east-2c; put the group in a subnet of us-east-2a',
    '[environments/aws-dr] site/racks/rack-c: racks rack-a and rack-c both map to zone us-east-2a and would fail together; give each rack its own zone',
  ]);
});

test('on AWS, Hadoop hosts without declared data are refused (a volume of their own, or rebuildable)', () => {
  const dr = structuredClone(awsDr);
  delete dr.hadoop[0].data;
  assert.equal(messages(dr), [
    '[environments/aws-dr] hadoop/hbase-lenexa/data: on AWS the Hadoop hosts are instances: declare their data (sizeGiB, mountPoint, filesystem) so it gets a volume of its own, or set rebuildable: true to keep it on the instance store',
  ]);
});

test('every role package comes from a declared apt source', () => {
  const env = structuredClone(lenexa);
  env.stemcell.aptSources = env.stemcell.aptSources!.filter((s) => s.name !== 'pgdg');
  db(env, 'db-catalog').engineVersion = '8.0';
  assert.equal(messages(env), [
    '[environments/lenexa] hostGroups/db-catalog: package mysql-server-8.0 comes from no apt source of the stemcell; add its repository to stemcell/aptSources with mysql-server-8.0 in its packages',
    '[environments/lenexa] hostGroups/db-ledger: package postgresql-9.6 comes from no apt source of the stemcell; add its repository to stemcell/aptSources with postgresql-9.6 in its packages',
  ]);
});

test('role packages: each role from its row; a role or engine the schema refuses installs nothing instead of crashing', () => {
  const env = structuredClone(lenexa);
  const of = (name: string) => rolePackages(env.hostGroups.find((g) => g.name === name)!);
  assert.equal(of('mesos-master'), ['marathon', 'mesos', 'zookeeper', 'zookeeperd']);
  assert.equal(of('mesos-agent-a'), ['docker-ce', 'mesos']);
  assert.equal(of('crm-app'), []);
  assert.equal(of('db-ledger'), ['postgresql-9.6']);
  assert.equal(of('db-catalog'), [`mysql-server-${db(env, 'db-catalog').engineVersion}`]);
  (db(env, 'db-catalog') as { engine: string }).engine = 'oracle';
  assert.equal(of('db-catalog'), []);
  const odd = { ...env.hostGroups[0], role: 'load-balancer' } as unknown as HostGroup;
  assert.equal(rolePackages(odd), []);
  // The masters' packages are checked against the apt sources too (not only the databases').
  env.stemcell.aptSources = env.stemcell.aptSources!.filter((s) => s.name !== 'mesosphere');
  assert.equal(checkStateful(env).filter((p) => /package (marathon|mesos) /.test(p.message)).map((p) => `${p.path}: ${p.message.split(' comes')[0]}`),
    ['hostGroups/mesos-master: package marathon', 'hostGroups/mesos-master: package mesos']);
});

test('versions are full Debian versions; a shell metacharacter in one is refused', () => {
  const env = structuredClone(lenexa);
  group(env, 'mesos-agent-a').dockerVersion = '18.06.3';
  group(env, 'mesos-master').marathonVersion = '1.6.549 $(reboot)';
  assert.equal(messages(env), [
    '[environments/lenexa] hostGroups/mesos-master/marathonVersion: must match ^([0-9]+:)?[0-9][A-Za-z0-9.+~-]*$',
    '[environments/lenexa] hostGroups/mesos-agent-a/dockerVersion: must match ^([0-9]+:)?[0-9][A-Za-z0-9.+~]*-[A-Za-z0-9.+~]+$',
  ]);
});

test('on AWS, agents in a single zone are refused', () => {
  const dr = structuredClone(awsDr);
  for (const name of ['mesos-agent-a', 'mesos-agent-b', 'mesos-agent-c']) group(dr, name).subnet = 'compute-a';
  const site = dr.site as { racks: Record<string, string> };
  site.racks = { 'rack-a': 'us-east-2a' };
  for (const name of ['mesos-agent-b', 'mesos-agent-c']) group(dr, name).rack = 'rack-a';
  const found = messages(dr).filter((m) => !m.includes('/ip:'));
  assert.equal(found, [
    '[environments/aws-dr] hostGroups: every Mesos agent is in zone us-east-2a: losing that zone loses them all; map the racks to at least two zones (site/racks) with a subnet in each',
  ]);
});

test.run();
