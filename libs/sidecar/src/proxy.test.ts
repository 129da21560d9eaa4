// The order in which a local port tries a dependency's backends: round robin while none has
// refused (the allocation-free path), refusers last for a while, then back in the rotation.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DependencyProxy } from './proxy';
import type { DependencyState } from './resolver';
import { ask, freePort, namedBackend } from './testing/backends';

const backend = (port: number) => ({ host: '127.0.0.1', port, taskId: `t${port}` });

test('round robin over new connections; a refuser is passed over for 2 s, then tried in its turn again', async () => {
  const [a, b] = await Promise.all([namedBackend('a'), namedBackend('b')]);
  const dead = await freePort();
  const state: DependencyState = { name: 'svc', localPort: await freePort(), target: 'fixed', backends: [backend(a.port), backend(b.port)], resolved: true };
  const logs: string[] = [];
  const proxy = new DependencyProxy(state, (l) => logs.push(l));
  await proxy.listen();
  try {
    assert.equal([await ask(state.localPort), await ask(state.localPort), await ask(state.localPort)], ['a', 'b', 'a']);
    state.backends = [backend(dead), backend(a.port), backend(b.port)];
    const list = state.backends;
    assert.equal(proxy.order(list, 0).map((x) => x.port), [dead, a.port, b.port], 'nobody passed over: the rotation');
    // Whichever turn comes, a connection is answered; the refuser is tried at most once in 2 s.
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await ask(state.localPort));
    assert.ok(answers.every((x) => x === 'a' || x === 'b'), answers.join(','));
    assert.is(logs.filter((l) => l.startsWith(`svc: 127.0.0.1:${dead} refused a connection`)).length, 1, logs.join('\n'));
    const now = Date.now();
    assert.equal(proxy.order(list, 0, now).map((x) => x.port), [a.port, b.port, dead], 'the refuser last');
    assert.equal(proxy.order(list, 2, now).map((x) => x.port), [b.port, a.port, dead], 'from its turn on, the refuser last');
    assert.equal(proxy.order(list, 0, now + 2001).map((x) => x.port), [dead, a.port, b.port], 'its penalty over: in its turn again');
  } finally {
    await proxy.close();
    await Promise.all([a.close(), b.close()]);
  }
});

test.run();
