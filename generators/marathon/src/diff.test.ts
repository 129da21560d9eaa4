import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diffMarathon } from './diff';

const FILE = 'marathon/payments/gateway.json';
const before = fs.readFileSync(path.resolve(__dirname, '../../../rendered/lenexa', FILE), 'utf8');
const edited = (f: (app: any) => void) => { const a = JSON.parse(before); f(a); return JSON.stringify(a); }; // eslint-disable-line @typescript-eslint/no-explicit-any

test('env, labels and health checks changed: an update that restarts every task, field by field', () => {
  const after = edited((a) => { a.env.SIDECAR_PORT = '9902'; a.labels.HAPROXY_GROUP = 'internal'; a.healthChecks[0].path = '/ready'; });
  const [c] = diffMarathon(new Map([[FILE, before]]), new Map([[FILE, after]]));
  assert.equal([c.id, c.action, c.restarts], ['/payments/gateway', 'update', true]);
  assert.equal(c.attributes.map((a) => a.path), ['env.SIDECAR_PORT', 'healthChecks', 'labels.HAPROXY_GROUP']);
  assert.equal(c.dependsOn, ['/customers/api', '/ledger/api']);
});

test('only instances changed: it scales, nothing restarts', () => {
  const [c] = diffMarathon(new Map([[FILE, before]]), new Map([[FILE, edited((a) => { a.instances = 5; })]]));
  assert.equal([c.restarts, c.instancesBefore, c.instancesAfter], [false, 3, 5]);
});

test('created and deleted apps', () => {
  assert.equal(diffMarathon(new Map(), new Map([[FILE, before]])).map((c) => [c.action, c.instancesAfter]), [['create', 3]]);
  assert.equal(diffMarathon(new Map([[FILE, before]]), new Map()).map((c) => [c.action, c.instancesBefore]), [['delete', 3]]);
});

test.run();
