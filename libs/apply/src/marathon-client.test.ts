import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Refused, StepFailed } from './errors';
import { MarathonClient, sameApp, type AppJson } from './marathon-client';
import { LoopbackMarathon } from './testing/loopback-marathon';
import { renderedTree } from './testing/trees';

const lenexa = renderedTree('lenexa');
const gateway = JSON.parse(lenexa.get('marathon/payments/gateway.json')!) as AppJson;
const fast = { baseMs: 5, maxMs: 20, attempts: 6 };

async function withMarathon(fn: (m: LoopbackMarathon, client: MarathonClient, lines: string[]) => Promise<void>, opts: ConstructorParameters<typeof LoopbackMarathon>[0] = {}, force = false) {
  const m = new LoopbackMarathon({ deploymentMs: 30, ...opts });
  const url = await m.start();
  const lines: string[] = [];
  const auth = opts.auth && ('token' in opts.auth ? { token: opts.auth.token } : { username: opts.auth.username, password: opts.auth.password });
  try {
    await fn(m, new MarathonClient({ url, ...auth, pollMs: 10, progressMs: 50, backoff: fast, force, log: (l) => lines.push(l) }), lines);
  } finally {
    await m.stop();
  }
}

const soon = (ms = 5000) => Date.now() + ms;

async function live(m: LoopbackMarathon, id: string) {
  return new MarathonClient({ url: m.url }).getApp(id);
}

test('a new app: 201, one PUT with partialUpdate=false, waits until its deployment is gone', async () => {
  await withMarathon(async (m, client) => {
    const { puts } = await client.deploy(gateway, soon());
    assert.is(puts, 1);
    assert.is(m.requests.find((r) => r.method === 'PUT')!.query, '?partialUpdate=false');
    assert.equal(m.liveDeployments(), [], 'returned only after the deployment finished');
    assert.ok(sameApp(gateway, await live(m, gateway.id)));
  });
});

test('an update answers 200 {deploymentId, version}; GET fills in defaults yet the app counts as the one sent', async () => {
  await withMarathon(async (m, client) => {
    await client.deploy(gateway, soon());
    const changed = { ...gateway, instances: 5 };
    await client.deploy(changed, soon());
    const app = (await live(m, gateway.id))!;
    assert.is(app.instances, 5);
    assert.is(app.backoffSeconds, 1, 'defaults are filled in');
    assert.ok(sameApp(changed, app));
    assert.not.ok(sameApp(gateway, app));
  });
});

test('409: waits for the blocking deployment, then sends once more; never force=true', async () => {
  await withMarathon(async (m, client, lines) => {
    await client.deploy(gateway, soon());
    const blocker = m.holdApp(gateway.id, 120);
    const t0 = Date.now();
    await client.deploy({ ...gateway, instances: 4 }, soon());
    assert.ok(Date.now() - t0 >= 100, 'waited for the blocker');
    assert.ok(lines.some((l) => l.includes(blocker)), 'says what it waits for');
    assert.not.ok(m.requests.some((r) => r.query.includes('force')));
    assert.is(m.puts(gateway.id), 3);
  });
});

test('409 with --force overrides the blocking deployment', async () => {
  await withMarathon(async (m, client) => {
    await client.deploy(gateway, soon());
    m.holdApp(gateway.id, 60_000);
    await client.deploy({ ...gateway, instances: 4 }, soon());
    assert.ok(m.requests.some((r) => r.method === 'PUT' && r.query.includes('force=true')));
  }, {}, true);
});

test('503 during leader election, a 502 and a connection reset are retried with backoff', async () => {
  await withMarathon(async (m, client) => {
    m.inject('PUT', `/v2/apps${gateway.id}`, { kind: 'status', status: 503 });
    m.inject('PUT', `/v2/apps${gateway.id}`, { kind: 'status', status: 502 });
    m.inject('GET', '/v2/deployments', { kind: 'reset' });
    await client.deploy(gateway, soon());
    assert.ok(sameApp(gateway, await live(m, gateway.id)));
    assert.is(m.puts(gateway.id), 3);
  });
});

test('a reset before the change was made: the app is looked at, then sent again', async () => {
  await withMarathon(async (m, client) => {
    m.inject('PUT', `/v2/apps${gateway.id}`, { kind: 'reset' });
    await client.deploy(gateway, soon());
    assert.is(m.puts(gateway.id), 2);
    assert.ok(sameApp(gateway, await live(m, gateway.id)));
  });
});

test('a lost reply (change made, connection dropped): not sent again; waits for its deployment', async () => {
  await withMarathon(async (m, client, lines) => {
    m.inject('PUT', `/v2/apps${gateway.id}`, { kind: 'lost' });
    await client.deploy(gateway, soon());
    assert.is(m.puts(gateway.id), 1, 'the app was sent once');
    assert.equal(m.liveDeployments(), []);
    assert.ok(lines.some((l) => l.includes('answer was lost but the app is what was sent')));
  });
});

test('422 names every path in details and is not retried', async () => {
  await withMarathon(async (m, client) => {
    const bad = { ...gateway, cpus: -1, labels: { ...(gateway.labels as object), BAD: 3 } } as AppJson;
    const err = await client.deploy(bad, soon()).catch((e) => e);
    assert.instance(err, StepFailed);
    assert.match(err.message, '/cpus: error.min');
    assert.match(err.message, '/labels/BAD: error.expected.jsstring');
    assert.match(err.message, 'fix the definition');
    assert.is(m.puts(gateway.id), 1);
  });
});

test('a never-finishing deployment fails at its deadline naming the app and its task counts', async () => {
  await withMarathon(async (m, client, lines) => {
    m.unhealthy.add(gateway.id);
    const t0 = Date.now();
    const err = await client.deploy(gateway, Date.now() + 300).catch((e) => e);
    assert.instance(err, StepFailed);
    assert.ok(Date.now() - t0 < 1500, 'stopped at its deadline');
    assert.match(err.message, '/payments/gateway');
    assert.match(err.message, '0/3 tasks healthy, 3 running');
    assert.ok(lines.some((l) => l.includes('healthy 0/3')), 'progress while waiting');
  });
});

test('a file without MANAGED_BY=infra is refused and nothing is sent', async () => {
  await withMarathon(async (m, client) => {
    const unlabelled = { ...gateway, labels: { SERVICE_NAME: 'x' } };
    const err = await client.deploy(unlabelled, soon()).catch((e) => e);
    assert.instance(err, Refused);
    assert.match(err.message, 'no label MANAGED_BY=infra');
    assert.is(m.requests.length, 0);
  });
});

test('DELETE starts a deployment that is waited for; an unlabelled app is never deleted', async () => {
  await withMarathon(async (m, client) => {
    await client.deploy(gateway, soon());
    assert.is(await client.remove(gateway.id, soon()), 'deleted');
    assert.equal(m.liveDeployments(), []);
    assert.is(await live(m, gateway.id), undefined);
    assert.is(await client.remove(gateway.id, soon()), 'absent');
    m.apps.set('/ops/by-hand', { id: '/ops/by-hand', instances: 1 });
    assert.is(await client.remove('/ops/by-hand', soon()), 'unmanaged');
    assert.ok(m.apps.has('/ops/by-hand'));
  });
});

test('basic auth and token auth from the configuration; a wrong credential says what to set', async () => {
  await withMarathon(async (_m, client) => {
    await client.deploy(gateway, soon());
  }, { auth: { username: 'deployer', password: 's3cret' } });
  await withMarathon(async (_m, client) => {
    await client.deploy(gateway, soon());
  }, { auth: { token: 'tok' } });
  const m = new LoopbackMarathon({ auth: { token: 'tok' } });
  const url = await m.start();
  try {
    const err = await new MarathonClient({ url, token: 'wrong' }).deploy(gateway, soon()).catch((e) => e);
    assert.match(err.message, 'MARATHON_TOKEN');
  } finally {
    await m.stop();
  }
});

test.run();
