import * as http from 'node:http';
import * as net from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { probe } from './host-probe';

// Probes against loopback listeners: an HTTP server whose answer the test sets, a bare TCP
// listener, a port nobody listens on, and a server that accepts but never answers.

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

test('http: 2xx and 3xx are healthy, 5xx and 4xx are not; the path is the one declared', async () => {
  const seen: string[] = [];
  let status = 200;
  const server = http.createServer((req, res) => {
    seen.push(req.url ?? '');
    res.writeHead(status, status === 302 ? { location: '/elsewhere' } : {});
    res.end();
  });
  const port = await listen(server);
  try {
    const p = { host: 'crm-app-01', address: '127.0.0.1', health: { kind: 'http' as const, port, path: '/health' } };
    assert.is(await probe(p, 1000), undefined);
    status = 302;
    assert.is(await probe(p, 1000), undefined);
    status = 503;
    assert.is(await probe(p, 1000), 'answered 503');
    status = 404;
    assert.is(await probe(p, 1000), 'answered 404');
    assert.equal(seen, ['/health', '/health', '/health', '/health']);
  } finally {
    server.close();
  }
});

test('tcp: a listener is healthy; a closed port is refused', async () => {
  const server = net.createServer((s) => s.destroy());
  const port = await listen(server);
  server.close();
  const closedPort = port;
  const open = net.createServer((s) => s.destroy());
  const openPort = await listen(open);
  try {
    assert.is(await probe({ host: 'a', address: '127.0.0.1', health: { kind: 'tcp', port: openPort } }, 1000), undefined);
    assert.is(await probe({ host: 'a', address: '127.0.0.1', health: { kind: 'tcp', port: closedPort } }, 1000), 'ECONNREFUSED');
  } finally {
    open.close();
  }
});

test('a server that accepts but never answers fails the probe within its timeout', async () => {
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => { sockets.push(s); });
  const port = await listen(server);
  try {
    const t0 = Date.now();
    assert.is(await probe({ host: 'a', address: '127.0.0.1', health: { kind: 'http', port, path: '/' } }, 150), 'no answer within 150 ms');
    assert.ok(Date.now() - t0 < 1000);
  } finally {
    for (const s of sockets) s.destroy();
    server.close();
  }
});

test.run();
