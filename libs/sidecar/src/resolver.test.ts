// The resolver and the local ports against the loopback Marathon: real sockets, real HTTP,
// real event stream.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Config, Dependency } from './config';
import { MarathonClient } from './marathon';
import { DependencyProxy } from './proxy';
import { Resolver } from './resolver';
import { ask, freePort, namedBackend, until, type NamedBackend } from './testing/backends';
import { LoopbackMarathon } from './testing/marathon';

interface Rig {
  marathon: LoopbackMarathon;
  resolver: Resolver;
  proxies: DependencyProxy[];
  logs: string[];
  backends: NamedBackend[];
  close(): Promise<void>;
}

async function rig(opts: { deps: Dependency[]; urls?: (m: LoopbackMarathon) => string[]; auth?: Config['auth']; marathon?: LoopbackMarathon; resyncSeconds?: number }): Promise<Rig> {
  const marathon = opts.marathon ?? (await new LoopbackMarathon().start());
  const config: Config = {
    marathon: opts.urls ? opts.urls(marathon) : [marathon.url], deps: opts.deps, statusPort: 1, waitSeconds: 0,
    resyncSeconds: opts.resyncSeconds ?? 30, auth: opts.auth ?? { kind: 'none' }, command: ['true'],
  };
  const logs: string[] = [];
  const resolver = new Resolver(config, new MarathonClient(config.marathon, config.auth), (l) => logs.push(l));
  const proxies = resolver.deps.map((d) => new DependencyProxy(d, (l) => logs.push(l)));
  await Promise.all(proxies.map((p) => p.listen()));
  const backends: NamedBackend[] = [];
  return {
    marathon, resolver, proxies, logs, backends,
    close: async () => {
      resolver.stop();
      await Promise.all(proxies.map((p) => p.close()));
      await Promise.all(backends.map((b) => b.close()));
      await marathon.stop();
    },
  };
}

const dep = async (name: string, app: string, portName = 'http'): Promise<Dependency> => ({ kind: 'marathon', name, app, portName, localPort: await freePort() });

test('new connections through each local port reach that dependency\'s backends, round robin', async () => {
  const r = await rig({ deps: [await dep('customers-api', '/customers/api'), await dep('catalog-search', '/catalog/search', 'grpc')] });
  try {
    const [c1, c2, s1] = await Promise.all([namedBackend('customers-1'), namedBackend('customers-2'), namedBackend('search-1')]);
    r.backends.push(c1, c2, s1);
    r.marathon.addApp({ id: '/customers/api', ports: ['http'], healthChecks: true });
    r.marathon.addApp({ id: '/catalog/search', ports: ['http', 'grpc'], healthChecks: false });
    r.marathon.runTask('/customers/api', '127.0.0.1', [c1.port], [true]);
    r.marathon.runTask('/customers/api', '127.0.0.1', [c2.port], [true]);
    r.marathon.runTask('/customers/api', '127.0.0.1', [9], undefined); // no health result yet: never used
    r.marathon.runTask('/catalog/search', '127.0.0.1', [9, s1.port]);
    r.resolver.start();
    await until(() => r.resolver.ready && r.resolver.deps[0].backends.length === 2, 2000, 'resolved');
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await ask(r.resolver.deps[0].localPort));
    assert.equal(answers.sort(), ['customers-1', 'customers-1', 'customers-2', 'customers-2']);
    assert.is(await ask(r.resolver.deps[1].localPort), 'search-1');
    assert.ok(r.logs.includes(`customers-api: +127.0.0.1:${Math.min(c1.port, c2.port)} +127.0.0.1:${Math.max(c1.port, c2.port)} (2 backends)`), r.logs.join('\n'));
  } finally {
    await r.close();
  }
});

test('a backend that refuses is skipped: the connection goes to the next one', async () => {
  const r = await rig({ deps: [await dep('customers-api', '/customers/api')] });
  try {
    const live = await namedBackend('live');
    r.backends.push(live);
    const dead = await freePort();
    r.marathon.addApp({ id: '/customers/api', ports: ['http'], healthChecks: false });
    r.marathon.runTask('/customers/api', '127.0.0.1', [dead]);
    r.marathon.runTask('/customers/api', '127.0.0.1', [live.port]);
    r.resolver.start();
    await until(() => r.resolver.deps[0].backends.length === 2, 2000, 'resolved');
    for (let i = 0; i < 4; i++) assert.is(await ask(r.resolver.deps[0].localPort), 'live');
    assert.ok(r.logs.some((l) => l.startsWith(`customers-api: 127.0.0.1:${dead} refused a connection`)), r.logs.join('\n'));
  } finally {
    await r.close();
  }
});

test('a task killed and restarted elsewhere is followed: new connections reach it within 1 s of the event', async () => {
  const r = await rig({ deps: [await dep('customers-api', '/customers/api')] });
  try {
    const [before, after] = await Promise.all([namedBackend('agent-1'), namedBackend('agent-2')]);
    r.backends.push(before, after);
    r.marathon.addApp({ id: '/customers/api', ports: ['http'], healthChecks: true });
    const old = r.marathon.runTask('/customers/api', '127.0.0.1', [before.port], [true]);
    r.resolver.start();
    await until(() => r.marathon.attachedStreams === 1 && r.resolver.ready, 2000, 'attached and resolved');
    assert.is(await ask(r.resolver.deps[0].localPort), 'agent-1');

    // The kill: TASK_KILLING at once takes it out of service.
    r.marathon.killTask(old.id);
    await until(() => r.resolver.deps[0].backends.length === 0, 1000, 'killed task out');
    // The replacement: running, then healthy (a new host port, as on another agent).
    const t = r.marathon.runTask('/customers/api', '127.0.0.1', [after.port], undefined);
    const emitted = Date.now();
    r.marathon.setHealth(t.id, [true]);
    const took = await until(async () => (await ask(r.resolver.deps[0].localPort)) === 'agent-2', 1000, 'new connections reach the moved task');
    assert.ok(Date.now() - emitted < 1000, `followed in ${took} ms`);
    assert.is(r.marathon.requests.filter((q) => q.startsWith('GET /v2/events')).length, 1, 'no reconnect needed');
    assert.ok(r.marathon.requests.some((q) => q === 'GET /v2/events?event_type=status_update_event&event_type=instance_health_changed_event&event_type=health_status_changed_event'), 'asks Marathon to filter');
  } finally {
    await r.close();
  }
});

test('a dropped event stream: reconnect, and a resync picks up what changed meanwhile', async () => {
  const r = await rig({ deps: [await dep('customers-api', '/customers/api')] });
  try {
    const [a, b] = await Promise.all([namedBackend('a'), namedBackend('b')]);
    r.backends.push(a, b);
    r.marathon.addApp({ id: '/customers/api', ports: ['http'], healthChecks: false });
    const ta = r.marathon.runTask('/customers/api', '127.0.0.1', [a.port]);
    r.resolver.start();
    await until(() => r.marathon.attachedStreams === 1 && r.resolver.ready, 2000, 'attached');
    r.marathon.dropStreams();
    // Changed while nobody listens: no event will ever tell the sidecar.
    r.marathon.tasks.delete(ta.id);
    r.marathon.tasks.set('moved', { id: 'moved', appId: '/customers/api', host: '127.0.0.1', ports: [b.port], state: 'TASK_RUNNING' });
    await until(() => r.marathon.attachedStreams === 1 && r.resolver.deps[0].backends.map((x) => x.port).join() === String(b.port), 3000, 'reattached and resynced');
    assert.is(await ask(r.resolver.deps[0].localPort), 'b');
    assert.is(r.marathon.requests.filter((q) => q.startsWith('GET /v2/events')).length, 2);
    assert.ok(r.logs.some((l) => /^event stream from http:\/\/127\.0\.0\.1:\d+ (ended|closed|failed: aborted): reconnecting in 250 ms$/.test(l)), r.logs.join('\n'));
  } finally {
    await r.close();
  }
});

test('Marathon down: the last backends keep serving, and the sidecar says so', async () => {
  const r = await rig({ deps: [await dep('customers-api', '/customers/api')], resyncSeconds: 0.2 });
  try {
    const a = await namedBackend('a');
    r.backends.push(a);
    r.marathon.addApp({ id: '/customers/api', ports: ['http'], healthChecks: false });
    r.marathon.runTask('/customers/api', '127.0.0.1', [a.port]);
    r.resolver.start();
    await until(() => r.resolver.ready && r.resolver.marathon.reachable, 2000, 'resolved');
    await r.marathon.stop();
    await until(() => !r.resolver.marathon.reachable, 2000, 'noticed');
    assert.is(await ask(r.resolver.deps[0].localPort), 'a');
    assert.is(r.resolver.deps[0].backends.length, 1);
    assert.ok(r.logs.some((l) => l.startsWith('marathon unreachable (') && l.endsWith('): keeping the last known backends: customers-api (1)')), r.logs.join('\n'));
    assert.match(r.resolver.marathon.lastError ?? '', /ECONNREFUSED/);
    // Retries (250, 500 ms, …) while it stays away add no lines.
    await new Promise((res) => setTimeout(res, 900));
    assert.is(r.logs.filter((l) => l.includes('reconnecting')).length, 1, r.logs.join('\n'));
    assert.is(r.logs.filter((l) => l.startsWith('marathon unreachable')).length, 1, r.logs.join('\n'));
    // Back on the same port: reattached and reachable again.
    await r.marathon.start();
    await until(() => r.resolver.marathon.reachable && r.marathon.attachedStreams === 1, 6000, 'back');
    assert.ok(r.logs.includes('marathon reachable again'));
  } finally {
    await r.close();
  }
});

test('the first Marathon URL failing (refused, or 503 during an election): the next one answers', async () => {
  const down = await freePort();
  const electing = await new LoopbackMarathon().start();
  electing.failWith = 503;
  const r = await rig({ deps: [await dep('customers-api', '/customers/api')], urls: (m) => [`http://127.0.0.1:${down}`, electing.url, m.url] });
  try {
    const a = await namedBackend('a');
    r.backends.push(a);
    r.marathon.addApp({ id: '/customers/api', ports: ['http'], healthChecks: false });
    r.marathon.runTask('/customers/api', '127.0.0.1', [a.port]);
    r.resolver.start();
    await until(() => r.resolver.ready && r.marathon.attachedStreams === 1, 3000, 'resolved through the third URL');
    assert.is(r.resolver.marathon.stream, r.marathon.url);
    assert.ok(electing.requests.length > 0, 'the 503 one was tried');
  } finally {
    await r.close();
    await electing.stop();
  }
});

test('credentials: basic auth and token are sent; without them Marathon\'s 401 is reported', async () => {
  for (const [auth, sent] of [
    [{ username: 'sidecar', password: 's3cret' }, { kind: 'basic', username: 'sidecar', password: 's3cret' }],
    [{ token: 'tok' }, { kind: 'token', token: 'tok' }],
  ] as const) {
    const m = await new LoopbackMarathon({ auth }).start();
    const r = await rig({ deps: [await dep('customers-api', '/customers/api')], marathon: m, auth: sent });
    try {
      const a = await namedBackend('a');
      r.backends.push(a);
      m.addApp({ id: '/customers/api', ports: ['http'], healthChecks: false });
      m.runTask('/customers/api', '127.0.0.1', [a.port]);
      r.resolver.start();
      await until(() => r.resolver.ready, 2000, `resolved with ${sent.kind}`);
    } finally {
      await r.close();
    }
  }
  const m = await new LoopbackMarathon({ auth: { token: 'tok' } }).start();
  const r = await rig({ deps: [await dep('customers-api', '/customers/api')], marathon: m });
  try {
    m.addApp({ id: '/customers/api', ports: ['http'], healthChecks: false });
    r.resolver.start();
    await until(() => r.resolver.deps[0].problem !== undefined, 2000, 'problem reported');
    assert.is(r.resolver.deps[0].problem, 'Marathon answered HTTP 401 for /customers/api: check MARATHON_USERNAME/MARATHON_PASSWORD or MARATHON_TOKEN');
  } finally {
    await r.close();
  }
});

test('an unknown app or port name: no backends and a reason', async () => {
  const r = await rig({ deps: [await dep('nope', '/no/such'), await dep('wrong-port', '/customers/api', 'grpc')] });
  try {
    r.marathon.addApp({ id: '/customers/api', ports: ['http'], healthChecks: false });
    r.resolver.start();
    await until(() => r.resolver.deps.every((d) => d.resolved), 2000, 'resolved');
    assert.equal(r.resolver.deps.map((d) => d.problem), ['Marathon has no app /no/such', 'app /customers/api has no port named "grpc"']);
    assert.is(await ask(r.resolver.deps[0].localPort), '', 'refused at once');
  } finally {
    await r.close();
  }
});

test.run();
