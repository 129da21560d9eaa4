// Talks to Marathon over its REST API and event stream, across several Marathon URLs: any
// instance answers (non-leaders proxy to the leader), and during a leader election one answers
// 503. The URL that last answered is tried first, the others in order after it.
import * as http from 'node:http';
import type { Config } from './config';
import { SseParser, type ServerSentEvent } from './sse';

const REQUEST_TIMEOUT_MS = 3000;

export class MarathonUnreachable extends Error {}

export interface JsonAnswer {
  status: number;
  body: unknown;
}

export interface EventStream {
  close(): void;
}

export class MarathonClient {
  private preferred = 0;

  constructor(private readonly urls: readonly string[], private readonly auth: Config['auth']) {}

  /** The URLs in the order to try them: the one that last answered first. */
  private order(): number[] {
    return this.urls.map((_, i) => (this.preferred + i) % this.urls.length);
  }

  private headers(accept: string): Record<string, string> {
    const h: Record<string, string> = { accept };
    if (this.auth.kind === 'basic') h.authorization = `Basic ${Buffer.from(`${this.auth.username}:${this.auth.password}`).toString('base64')}`;
    if (this.auth.kind === 'token') h.authorization = `token=${this.auth.token}`;
    return h;
  }

  /**
   * GET a JSON document. A connection failure, a timeout or a 5xx moves on to the next URL; any
   * other answer (2xx, 404 for an unknown app, 401) is Marathon's and is returned as is.
   */
  async getJson(path: string): Promise<JsonAnswer> {
    const reasons: string[] = [];
    for (const i of this.order()) {
      const url = this.urls[i] + path;
      try {
        const answer = await getOnce(url, this.headers('application/json'));
        if (answer.status >= 500) {
          reasons.push(`${url}: HTTP ${answer.status}`);
          continue;
        }
        this.preferred = i;
        let body: unknown = undefined;
        try {
          body = answer.text === '' ? undefined : JSON.parse(answer.text);
        } catch {
          reasons.push(`${url}: answer is not JSON`);
          continue;
        }
        return { status: answer.status, body };
      } catch (err) {
        reasons.push(`${url}: ${(err as Error).message}`);
      }
    }
    throw new MarathonUnreachable(reasons.join('; '));
  }

  /**
   * Subscribes to `GET /v2/events` (Server-Sent Events), asking Marathon to send only the given
   * event types (`event_type`, Marathon 1.3.7+; older ones ignore it, so the caller filters
   * too). Calls `onOpen` once attached, `onEvent` per event, and `onClose` exactly once when
   * the stream ends, fails or cannot be opened at any URL.
   */
  openEvents(types: readonly string[], handlers: { onOpen(url: string): void; onEvent(e: ServerSentEvent): void; onClose(reason: string): void }): EventStream {
    let closed = false;
    let current: http.ClientRequest | undefined;
    const finish = (reason: string) => {
      if (closed) return;
      closed = true;
      current?.destroy();
      handlers.onClose(reason);
    };
    const query = types.map((t) => `event_type=${encodeURIComponent(t)}`).join('&');
    const order = this.order();
    const reasons: string[] = [];
    const attempt = (k: number) => {
      if (closed) return;
      if (k >= order.length) return finish(`no Marathon URL gave an event stream (${reasons.join('; ')})`);
      const i = order[k];
      const url = `${this.urls[i]}/v2/events${query ? `?${query}` : ''}`;
      const req = request(url, this.headers('text/event-stream'));
      current = req;
      let attached = false;
      // Only the connection gets a timeout: an attached stream may be quiet for a long time.
      const connectTimer = setTimeout(() => req.destroy(new Error('timed out')), REQUEST_TIMEOUT_MS);
      req.on('response', (res) => {
        clearTimeout(connectTimer);
        if (res.statusCode !== 200) {
          res.resume();
          reasons.push(`${url}: HTTP ${res.statusCode}`);
          req.destroy();
          return attempt(k + 1);
        }
        attached = true;
        this.preferred = i;
        res.socket?.setKeepAlive(true, 10_000);
        res.setEncoding('utf8');
        const parser = new SseParser((e) => { if (!closed) handlers.onEvent(e); });
        handlers.onOpen(this.urls[i]);
        res.on('data', (chunk: string) => parser.push(chunk));
        res.on('end', () => finish(`event stream from ${this.urls[i]} ended`));
        res.on('error', (err) => finish(`event stream from ${this.urls[i]} failed: ${err.message}`));
        res.on('close', () => finish(`event stream from ${this.urls[i]} closed`));
      });
      req.on('error', (err) => {
        clearTimeout(connectTimer);
        if (attached) return finish(`event stream from ${this.urls[i]} failed: ${err.message}`);
        if (closed) return;
        reasons.push(`${url}: ${err.message}`);
        attempt(k + 1);
      });
      req.end();
    };
    attempt(0);
    return { close: () => { if (!closed) { closed = true; current?.destroy(); } } };
  }
}

function request(url: string, headers: Record<string, string>): http.ClientRequest {
  // https (and with it tls and crypto) is loaded only for an https URL: ~1 MiB of heap and code
  // that a plain-http Marathon never needs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod: typeof http = url.startsWith('https:') ? (require('node:https') as typeof http) : http;
  // No keep-alive agent: a resync is a handful of requests every half minute.
  return mod.request(url, { method: 'GET', headers, agent: false });
}

function getOnce(url: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, headers);
    const timer = setTimeout(() => req.destroy(new Error('timed out')), REQUEST_TIMEOUT_MS);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (err) => { clearTimeout(timer); reject(err); });
    });
    req.on('error', (err) => { clearTimeout(timer); reject(err); });
    req.end();
  });
}
