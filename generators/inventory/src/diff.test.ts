import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diffInventory, diffParity, inventoryDiff } from './diff';

const read = (p: string) => fs.readFileSync(path.resolve(__dirname, '../../../rendered', p), 'utf8');
const edited = (text: string, f: (doc: any) => void) => { const d = JSON.parse(text); f(d); return JSON.stringify(d); }; // eslint-disable-line @typescript-eslint/no-explicit-any

test('unchanged inventory: nothing added, removed or unprovided; the counts before are there', () => {
  const t = new Map([['inventory.json', read('lenexa/inventory.json')]]);
  const d = diffInventory(t, t)!;
  assert.equal([d.serversAdded, d.serversRemoved, d.appsRemoved, d.unprovided, d.capacity], [[], [], [], [], []]);
  assert.is(d.before.byRole['mesos-master'], 3);
  assert.equal(d.before.agentsByDomain, { 'rack-a': 4, 'rack-b': 4, 'rack-c': 4 });
});

test('a database removed leaves its apps without a provider; capacity after losing a rack is compared', () => {
  const before = read('lenexa/inventory.json');
  const after = edited(before, (d) => {
    d.servers = d.servers.filter((s: { hostname: string }) => s.hostname !== 'db-ledger-01');
    d.capacity[0].supplyAfterLoss = 100;
    d.capacity[0].utilizationAfterLoss = 0.353;
  });
  const d = diffInventory(new Map([['inventory.json', before]]), new Map([['inventory.json', after]]))!;
  assert.equal(d.serversRemoved, ['db-ledger-01']);
  assert.equal(d.unprovided, [{ app: '/ledger/api', dependency: 'database db-ledger-01' }, { app: '/ledger/reconciler', dependency: 'database db-ledger-01' }]);
  assert.equal(d.capacity.map((c) => [c.resource, c.supplyAfterLossBefore, c.supplyAfterLossAfter]), [['cpus', 128, 100]]);
});

test('DR parity lost: a paired host that becomes missing', () => {
  const before = read('aws-dr/PARITY.json');
  const after = edited(before, (d) => { d.hosts[0].status = 'missing'; d.hosts[0].note = 'no counterpart'; });
  const p = diffParity(new Map([['PARITY.json', before]]), new Map([['PARITY.json', after]]))!;
  assert.equal(p.lost, [{ kind: 'hosts', name: 'billing-app-01', before: 'paired', after: 'missing', note: 'no counterpart' }]);
  const summary = inventoryDiff.diff(new Map([['PARITY.json', before]]), new Map([['PARITY.json', after]])).summary!;
  assert.ok(summary.some((l) => l.startsWith('DR parity lost: hosts billing-app-01')));
});

test.run();
