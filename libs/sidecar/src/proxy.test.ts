// The order in which a local port tries a dependency's backends: round robin while none has
// refused (the allocation-free path), refusers last for a while, then back in the rotation.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { adopt, DependencyProxy } from './proxy';
import type { DependencyState } from './resolver';
import * as crypto from 'node:crypto';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
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

/**
 * A backend that reads the whole request (until the client's half-close), then answers its sha256
 * and `answer`. A slow one pauses 5 ms after every chunk it reads.
 */
async function digestBackend(answer: Buffer, slow = false): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    const hash = crypto.createHash('sha256');
    s.on('data', (d) => { hash.update(d); if (slow) { s.pause(); setTimeout(() => s.resume(), 5); } });
    s.on('end', () => { s.write(`${hash.digest('hex')}\n`); s.end(answer); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

for (const [slow, what] of [['app', 'a slow app'], ['backend', 'a slow backend']] as const) {
test(`bytes cross untouched both ways, with ${what} (backpressure) and a half-close`, async () => {
  const answer = crypto.randomBytes(8 * 1024 * 1024);
  const request = crypto.randomBytes((slow === 'backend' ? 8 : 3) * 1024 * 1024 + 17);
  const server = await digestBackend(answer, slow === 'backend');
  const state: DependencyState = { name: 'svc', localPort: await freePort(), target: 'fixed', backends: [backend(server.port)], resolved: true };
  const proxy = new DependencyProxy(state, () => {});
  await proxy.listen();
  try {
    const got = await new Promise<Buffer>((resolve, reject) => {
      const s = net.connect({ port: state.localPort, host: '127.0.0.1', allowHalfOpen: true });
      const chunks: Buffer[] = [];
      // A reader slower than the backend: paused for 5 ms after every chunk, so the proxy's
      // buffers fill and it has to stop reading the backend and start again.
      s.on('data', (d: Buffer) => { chunks.push(d); if (slow === 'app') { s.pause(); setTimeout(() => s.resume(), 5); } });
      s.on('end', () => { resolve(Buffer.concat(chunks)); s.end(); });
      s.on('error', reject);
      // A relay that stops reading the backend and never starts again stalls here.
      setTimeout(() => reject(new Error(`stalled after ${chunks.reduce((n, c) => n + c.length, 0)} bytes`)), 15000).unref();
      s.end(request);
    });
    const nl = got.indexOf(10);
    assert.is(got.subarray(0, nl).toString(), crypto.createHash('sha256').update(request).digest('hex'), 'the request arrived whole');
    assert.is(got.length - nl - 1, answer.length);
    assert.ok(got.subarray(nl + 1).equals(answer), 'the answer arrived whole and in order');
  } finally {
    await proxy.close();
    await server.close();
  }
});
}

test('adopt: an accepted connection moves into a socket that reads through onread; without a handle it stays as it is', async () => {
  const got: string[] = [];
  const server = net.createServer({ pauseOnConnect: true } as net.ServerOpts, (accepted) => {
    const s = adopt(accepted, { buffer: Buffer.alloc(64), callback: (n, buf) => { got.push(Buffer.from(buf.subarray(0, n)).toString()); } });
    assert.ok(s !== accepted, 'a new socket');
    assert.ok(accepted.destroyed, 'the emptied one destroyed');
    s.on('end', () => { s.end('bye'); });
    s.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      const c = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
      let text = '';
      c.setEncoding('utf8').on('data', (d) => (text += d)).on('end', () => resolve(text)).on('error', reject);
      c.end('hello');
    });
    assert.is(got.join(''), 'hello', 'read through the callback');
    assert.is(answer, 'bye', 'and written through the new socket');
    await new Promise((r) => setTimeout(r, 20));
    assert.is(await new Promise<number>((resolve) => server.getConnections((_, n) => resolve(n))), 0, 'the emptied socket is off the server count');
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  const plain = new net.Socket();
  assert.is(adopt(plain, { buffer: Buffer.alloc(8), callback: () => {} }), plain, 'no handle: the same socket');
});

test.run();
