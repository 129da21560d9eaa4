import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hostsOf } from '@infra/model';
import lenexa from '@infra/env-lenexa';
import awsDr from './index';

test('aws-dr is derived from lenexa: same hosts, apps and Hadoop hosts but the excluded ones', () => {
  assert.is(awsDr.site.kind, 'aws');
  assert.equal(hostsOf(awsDr).map((h) => [h.name, h.role]), hostsOf(lenexa).map((h) => [h.name, h.role]));
  assert.equal(awsDr.apps.map((a) => a.id), lenexa.apps.map((a) => a.id));
  const excluded = new Set(awsDr.derivedFrom!.exclusions.map((e) => e.name));
  assert.equal(awsDr.hadoop[0].hosts.map((h) => h.name), lenexa.hadoop[0].hosts.map((h) => h.name).filter((n) => !excluded.has(n)));
  assert.ok(awsDr.derivedFrom!.exclusions.every((e) => e.reason.length > 10), 'every exclusion says why');
});

test('no production address leaks into DR', () => {
  const prod = new Set(hostsOf(lenexa).map((h) => h.ip));
  assert.ok(hostsOf(awsDr).every((h) => h.ip?.startsWith('10.120.') && !prod.has(h.ip)));
  assert.ok(awsDr.hadoop[0].hosts.every((h) => h.ip.startsWith('10.120.')));
});

test.run();
