import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resolve, type Environment, type MesosAgentGroup } from '@infra/model';
import lenexa from '@infra/env-lenexa';
import awsDr from '@infra/env-aws-dr';
import { shuffled } from '@infra/render/testing';
import { capacityProblems } from './capacity';

// The figures are the model's (resolve(env).capacity); this kind owns the rule that reads them.
const capacity = (env: Environment) => resolve(env).capacity;
import { rackedEnv, smallEnv, withApp } from './testing/fixtures';

test('lenexa: demand with sidecars, supply of 12 xlarge agents, a rack of 4 lost', () => {
  const c = capacity(lenexa);
  assert.is(c.agents, 12);
  assert.equal(c.domains.map((d) => `${d.kind}:${d.name}:${d.agents.length}`), ['rack:rack-a:4', 'rack:rack-b:4', 'rack:rack-c:4']);
  // 9 apps, 28 instances; five non-JVM apps carry the 0.1 cpu / 64 MiB sidecar per instance.
  assert.is(c.apps.length, 9);
  assert.is(c.apps.reduce((n, a) => n + a.instances, 0), 28);
  assert.equal(c.apps.find((a) => a.id === '/web/storefront')!.perInstance, { cpus: 1.1, mem: 1088, disk: 256 });
  assert.equal(c.apps.find((a) => a.id === '/ledger/api')!.perInstance, { cpus: 2, mem: 4096, disk: 512 });
  const { cpus, mem, disk } = c.resources;
  assert.equal([cpus.demand, cpus.supply, cpus.supplyAfterLoss, cpus.largestDomain?.name], [35.3, 192, 128, 'rack-a']);
  assert.equal([mem.demand, mem.supply, mem.supplyAfterLoss], [57472, 786432, 524288]);
  assert.equal([disk.demand, disk.supply, disk.supplyAfterLoss], [13184, 12 * 500 * 1024, 8 * 500 * 1024]);
  assert.is(cpus.utilizationAfterLoss, 35.3 / 128);
  assert.is(mem.shortfall, 0);
  assert.equal(capacityProblems(lenexa), []);
});

test('aws-dr keeps the same apps and agents, and fits too', () => {
  const c = capacity(awsDr);
  assert.equal(Object.values(c.resources).map((r) => [r.demand, r.supplyAfterLoss]), [[35.3, 128], [57472, 524288], [13184, 4096000]]);
  assert.equal(capacityProblems(awsDr), []);
});

test('figures do not depend on the order of apps and hosts', () => {
  for (const seed of [1, 2, 3]) assert.equal(capacity(shuffled(lenexa, seed)), capacity(lenexa));
});

test('without racks, the largest failure domain is one agent', () => {
  const c = capacity(smallEnv());
  assert.equal(c.domains.map((d) => d.kind), ['agent', 'agent', 'agent']);
  assert.equal(c.resources.mem.largestDomain?.name, 'agent-01');
  assert.is(c.resources.mem.supplyAfterLoss, 2 * 8192);
});

test('agents without a rack are domains of their own beside the racks', () => {
  const env = rackedEnv();
  const agents = env.hostGroups.find((g) => g.role === 'mesos-agent') as MesosAgentGroup;
  const partial: Environment = { ...env, hostGroups: [{ ...agents, racks: { 'agent-01': 'r1', 'agent-02': 'r1' } }, ...env.hostGroups.filter((g) => g !== agents)] };
  const c = capacity(partial);
  assert.equal(c.domains.map((d) => d.name), ['r1', 'agent-03', 'agent-04', 'agent-05', 'agent-06']);
  assert.is(c.resources.cpus.largestDomain?.name, 'r1');
  assert.is(c.resources.cpus.supplyAfterLoss, 16);
});

test('over capacity: the shortfall per resource, naming the lost rack', () => {
  const env = withApp(lenexa, '/reports/builder', (a) => ({ ...a, instances: 90 }));
  assert.equal(capacityProblems(env), [
    { env: 'lenexa', path: 'capacity/cpus', message: 'needs 213.3 cpus, 128 cpus left after losing rack rack-a (4 agents); short by 85.3 cpus (add agents or reduce instances)' },
    { env: 'lenexa', path: 'capacity/mem', message: 'needs 604288 MiB, 524288 MiB left after losing rack rack-a (4 agents); short by 80000 MiB (add agents or reduce instances)' },
  ]);
});

test('fits in total but not after losing one agent', () => {
  // 3 agents × 8192 MiB = 24576 MiB; 16384 left after losing one. Demand: orders/api 2 × 1024,
  // orders/web 4 × (256 + 64 sidecar), orders/worker 5 × (4000 + 64) = 23648: fits all, not after a loss.
  const env = withApp(smallEnv(), '/orders/worker', (a) => ({ ...a, mem: 4000, instances: 5 }));
  assert.equal([capacity(env).resources.mem.demand, capacity(env).resources.mem.supply], [23648, 24576]);
  const mem = capacityProblems(env).filter((p) => p.path === 'capacity/mem');
  assert.equal(mem.map((p) => p.message), [
    'needs 23648 MiB, 16384 MiB left after losing agent agent-01; short by 7264 MiB (add agents or reduce instances)',
  ]);
});

test('an instance bigger than every agent could never start', () => {
  const env = withApp(smallEnv(), '/orders/web', (a) => ({ ...a, mem: 8192, instances: 1 }));
  assert.ok(capacityProblems(env).some((p) => p.path === 'apps/orders/web/mem'
    && p.message === 'one instance needs 8256 MiB (sidecar included), more than the largest agent offers (8192 MiB)'));
});

test('no agents at all', () => {
  const env = { ...smallEnv(), hostGroups: smallEnv().hostGroups.filter((g) => g.role !== 'mesos-agent') };
  assert.equal(capacityProblems(env).map((p) => p.path), ['capacity/cpus', 'capacity/mem', 'capacity/disk']);
  assert.match(capacityProblems(env)[0].message, /none available: the environment has no Mesos agents/);
});

test.run();
