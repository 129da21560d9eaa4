// Test support: backends that say who they are, and a client that asks through a port.
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface NamedBackend {
  name: string;
  port: number;
  close(): Promise<void>;
}

/** A TCP server that answers every connection with its name and closes. */
export async function namedBackend(name: string, port = 0): Promise<NamedBackend> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.end(`${name}\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    name,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

/** Connects to 127.0.0.1:port and returns everything read until the far end closes ('' if refused or reset). */
export function ask(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let text = '';
    s.setEncoding('utf8');
    s.on('data', (d: string) => (text += d));
    s.on('close', () => resolve(text.trim()));
    s.on('error', () => resolve(text.trim()));
  });
}

/** A free port on 127.0.0.1 (listened on and released). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls `check` every 10 ms until it is true; rejects after `ms`. Returns the time it took. */
export async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await check()) return Date.now() - start;
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
