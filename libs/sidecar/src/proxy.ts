// One TCP listener per dependency on 127.0.0.1: each new connection goes to the next healthy
// backend (round robin); a backend that refuses or does not answer in time is skipped for
// this connection and passed over for a short while. Bytes are relayed untouched, so any TCP
// protocol works (HTTP, Redis, PostgreSQL), and connections already open are never moved.
import * as net from 'node:net';
import type { DependencyState } from './resolver';
import type { Backend } from './tasks';

const CONNECT_TIMEOUT_MS = 2000;
/**
 * What both sides' bytes are read into: one buffer for the whole process (reads are handled one
 * at a time on the one thread, and each chunk is copied out before the next read), so a chunk
 * costs no read buffer of its own and skips the stream machinery of 'data' events. That
 * machinery is most of the relay's JavaScript: the sidecar runs V8's interpreter and baseline
 * code only (--no-opt, for memory), where reading the app's side through 'data' events cost
 * 37-39 µs of CPU per proxied HTTP request and this read 23-26 µs (32 keep-alive connections).
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);
/** How long a backend that refused is passed over while others are available. */
const PENALTY_MS = 2000;

export class DependencyProxy {
  private next = 0;
  private readonly failedUntil = new Map<string, number>();
  private server?: net.Server;
  readonly sockets = new Set<net.Socket>();

  constructor(private readonly state: DependencyState, private readonly log: (line: string) => void) {}

  listen(): Promise<void> {
    // pauseOnConnect: nothing is read from an accepted connection before adopt() has moved it.
    const server = net.createServer({ allowHalfOpen: true, noDelay: true, pauseOnConnect: true } as net.ServerOpts, (client) => this.accept(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', (err) => reject(new Error(`${this.state.name}: cannot listen on 127.0.0.1:${this.state.localPort}: ${(err as Error).message}`)));
      server.listen(this.state.localPort, '127.0.0.1', () => resolve());
    });
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /**
   * The backends to try for the connection whose round-robin turn is `turn`, in order: from the
   * turn's one onwards, those not passed over first, then the passed-over ones.
   */
  order(list: readonly Backend[], turn: number, now = Date.now()): Backend[] {
    // Penalties that ran out are forgotten, so that the fast path of accept() comes back.
    for (const [k, until] of this.failedUntil) if (until <= now) this.failedUntil.delete(k);
    const rotated = list.map((_, j) => list[(turn + j) % list.length]);
    const penalised = (b: Backend) => (this.failedUntil.get(key(b)) ?? 0) > now;
    return [...rotated.filter((b) => !penalised(b)), ...rotated.filter(penalised)];
  }

  private accept(accepted: net.Socket): void {
    // App → backend: read as the backend's side is (`onread`), into the backend's socket once it
    // is connected (nothing is read before: the connection stays paused until then); `false`
    // (the backend's socket is full) stops reading until it drains.
    let sink: net.Socket | undefined;
    const client = adopt(accepted, { buffer: READ_BUFFER, callback: (n: number, buf: Uint8Array) => sink!.write(Buffer.from(buf.subarray(0, n))) });
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => client.destroy());
    client.pause();
    // The resolver replaces a dependency's list, never changes it in place: this one is stable.
    const list = this.state.backends;
    const turn = list.length === 0 ? 0 : this.next++ % list.length;
    // While no backend is passed over (the common case) the order is the plain rotation: O(1),
    // with no array or key string made per connection. After a refusal, an ordered list.
    const order = this.failedUntil.size === 0 ? undefined : this.order(list, turn);
    const attempt = (i: number) => {
      if (client.destroyed) return;
      const b = order ? order[i] : i < list.length ? list[(turn + i) % list.length] : undefined;
      if (b === undefined) {
        // No backend took it: closing at once lets the app's client fail fast and retry.
        client.destroy();
        return;
      }
      const upstream: net.Socket = net.connect({
        host: b.host,
        port: b.port,
        allowHalfOpen: true,
        noDelay: true,
        // Backend → app: copied out of the shared buffer (small chunks come from Node's pool);
        // `false` (the app's socket is full) stops reading until it drains.
        onread: { buffer: READ_BUFFER, callback: (n: number, buf: Uint8Array) => client.write(Buffer.from(buf.subarray(0, n))) },
      } as net.NetConnectOpts);
      const timer = setTimeout(() => upstream.destroy(new Error('connect timed out')), CONNECT_TIMEOUT_MS);
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        sink = upstream;
        clearTimeout(timer);
        if (this.failedUntil.size > 0) this.failedUntil.delete(key(b));
        this.sockets.add(upstream);
        // A clean close of one side ends the other after its queued bytes; an error cuts it.
        upstream.on('close', (hadError) => { this.sockets.delete(upstream); if (hadError) client.destroy(); else client.end(); });
        client.on('close', (hadError) => { if (hadError) upstream.destroy(); else upstream.end(); });
        // Without a handle to move (see adopt), the accepted socket's 'data' events.
        if (client === accepted) client.on('data', (chunk: Buffer) => { if (!upstream.write(chunk)) client.pause(); });
        upstream.on('drain', () => client.resume());
        client.on('drain', () => upstream.resume());
        client.on('end', () => upstream.end());
        upstream.on('end', () => client.end());
        client.resume();
      });
      upstream.on('error', (err) => {
        clearTimeout(timer);
        if (connected) {
          client.destroy();
          return;
        }
        this.failedUntil.set(key(b), Date.now() + PENALTY_MS);
        this.log(`${this.state.name}: ${key(b)} refused a connection (${err.message}); trying the next backend`);
        upstream.destroy();
        attempt(i + 1);
      });
    };
    attempt(0);
  }
}

const key = (b: Backend) => `${b.host}:${b.port}`;

/**
 * The accepted connection as a socket that reads through `onread`, which `net.connect` takes and
 * `net.Server` does not: its handle (accepted paused, nothing read yet) is moved into a socket
 * made the way net.Server makes one (`new Socket({ handle })`), and the emptied socket destroyed
 * (which also takes it off the server's count). `_handle` and the `handle` option are Node's
 * own, not its documented API: the executable embeds the Node it was built and tested with, and
 * without a handle to move the accepted socket is used as it is ('data' events; the caller
 * checks). Exported for its test.
 */
export function adopt(accepted: net.Socket, onread: { buffer: Uint8Array; callback: (n: number, buf: Uint8Array) => boolean | void }): net.Socket {
  const holder = accepted as unknown as { _handle?: object | null };
  const handle = holder._handle;
  if (handle == null || accepted.destroyed) return accepted;
  holder._handle = null;
  accepted.destroy();
  return new net.Socket({ handle, allowHalfOpen: true, readable: true, writable: true, pauseOnCreate: true, onread } as unknown as net.SocketConstructorOpts);
}
