import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { DatabaseGroup, Environment } from '@infra/model';
import lenexa from '@infra/env-lenexa';
import awsDr from '@infra/env-aws-dr';
import { validateEnvironment } from './index';

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

test.run();
