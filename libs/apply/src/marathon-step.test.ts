import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StepFailed } from './errors';
import { MarathonClient, sameApp, type AppJson } from './marathon-client';
import { dependencyLayers, runMarathonStep } from './marathon-step';
import { LoopbackMarathon } from './testing/loopback-marathon';
import { marathonApps, renderedTree } from './testing/trees';

const apps = marathonApps(renderedTree('lenexa')) as AppJson[];
// How the marathon kind's files say what an app depends on (the cli passes this in).
const dependsOn = (app: AppJson) => (app.dependencies ?? []) as string[];

async function withMarathon(fn: (m: LoopbackMarathon, client: MarathonClient) => Promise<void>) {
  const m = new LoopbackMarathon({ deploymentMs: 40 });
  const url = await m.start();
  try {
    await fn(m, new MarathonClient({ url, pollMs: 5, backoff: { baseMs: 5, maxMs: 20, attempts: 6 } }));
  } finally {
    await m.stop();
  }
}

test('lenexa apps: each PUT only after the deployments of the apps it depends on finished', async () => {
  await withMarathon(async (m, client) => {
    const done: string[] = [];
    const result = await runMarathonStep(client, { deploy: apps, remove: [] }, { appDeadlineMs: 5000, dependsOn, concurrency: 4, onDone: (id) => done.push(id) });
    assert.is(result.deployed.length, apps.length);
    assert.equal([...done].sort(), apps.map((a) => a.id).sort());
    let checked = 0;
    for (const app of apps) {
      const put = m.requests.find((r) => r.method === 'PUT' && r.path === `/v2/apps${app.id}`)!;
      for (const dep of dependsOn(app)) {
        assert.ok(put.at >= m.finishedAt.get(dep)!, `${app.id} sent before ${dep} finished`);
        checked++;
      }
      assert.ok(sameApp(app, m.apps.get(app.id)));
      assert.is(m.puts(app.id), 1);
    }
    assert.ok(checked >= 8, 'lenexa has real dependencies to order');
    assert.ok(m.maxConcurrent > 1, 'independent apps went out together');
    assert.ok(m.maxConcurrent <= 4, 'never more than the concurrency');
  });
});

test('deletions come last and touch only labelled apps', async () => {
  await withMarathon(async (m, client) => {
    const [web, ...rest] = apps;
    await runMarathonStep(client, { deploy: [web], remove: [] }, { appDeadlineMs: 5000, dependsOn });
    m.apps.set('/ops/by-hand', { id: '/ops/by-hand', instances: 1 });
    const result = await runMarathonStep(client, { deploy: rest, remove: [web.id, '/ops/by-hand'] }, { appDeadlineMs: 5000, dependsOn });
    assert.equal(result.removed, [web.id]);
    assert.equal(result.unmanaged, ['/ops/by-hand']);
    assert.ok(m.apps.has('/ops/by-hand'));
    const lastPut = Math.max(...m.requests.filter((r) => r.method === 'PUT').map((r) => r.at));
    const del = m.requests.find((r) => r.method === 'DELETE')!;
    assert.ok(del.at >= lastPut);
  });
});

test('a stuck deployment fails the step within its deadline; nothing that depends on it starts', async () => {
  await withMarathon(async (m, client) => {
    m.unhealthy.add('/ledger/api');
    const done: string[] = [];
    const t0 = Date.now();
    const err = await runMarathonStep(client, { deploy: apps, remove: [] }, { appDeadlineMs: 300, dependsOn, concurrency: 2, onDone: (id) => done.push(id) }).catch((e) => e);
    assert.instance(err, StepFailed);
    assert.match(err.message, '/ledger/api');
    assert.ok(Date.now() - t0 < 3000);
    for (const dependent of ['/ledger/reconciler', '/payments/gateway', '/reports/builder']) {
      assert.is(m.puts(dependent), 0, `${dependent} was not started`);
      assert.not.ok(done.includes(dependent));
    }
  });
});

test('a dependency cycle is named, not waited on forever', () => {
  const a = { id: '/a', dependencies: ['/b'] } as AppJson;
  const b = { id: '/b', dependencies: ['/a'] } as AppJson;
  assert.throws(() => dependencyLayers([a, b], dependsOn), /\/a → \/b → \/a/);
});

test('a resumed step skips apps already live as rendered, but not one whose label was removed since', async () => {
  await withMarathon(async (m, client) => {
    await runMarathonStep(client, { deploy: apps, remove: [] }, { appDeadlineMs: 5000, dependsOn });
    const [first, ...others] = apps;
    const labels = { ...(first.labels as Record<string, string>) };
    delete labels.SERVICE_PORTS;
    const changed = { ...first, labels };
    await runMarathonStep(client, { deploy: [changed, ...others], remove: [] }, { appDeadlineMs: 5000, dependsOn, skipIfLive: true });
    assert.is(m.puts(first.id), 2, 'a removed label is a change');
    for (const app of others) assert.is(m.puts(app.id), 1, `${app.id} not sent again`);
  });
});

test.run();
