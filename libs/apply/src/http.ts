import * as http from 'node:http';
import * as https from 'node:https';

// The one place libs/apply speaks HTTP to the datacenter (Marathon, Mesos, app servers; GitHub is
// libs/github's client). node:http rather than fetch so that a dropped connection is told apart
// from an answer: after a lost reply the caller must find out whether its change was made
// (DESIGN §4), which it cannot if errors are blurred.

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  raw: Buffer;
}

/** The connection failed or was dropped before a complete answer arrived. */
export class ConnectionError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
  }
}

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

export function request(method: string, url: URL, headers: Record<string, string>, body?: string, timeoutMs = 30_000): Promise<HttpResponse> {
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, {
      method,
      headers: { accept: 'application/json', ...headers, ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}) },
      agent: url.protocol === 'https:' ? agents.https : agents.http,
      timeout: timeoutMs,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: raw.toString('utf8'), raw });
      });
      res.on('error', (err: NodeJS.ErrnoException) => reject(new ConnectionError(`${method} ${url.pathname}: ${err.message}`, err.code)));
      res.on('aborted', () => reject(new ConnectionError(`${method} ${url.pathname}: the answer was cut off`, 'ECONNRESET')));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) => reject(new ConnectionError(`${method} ${url.pathname}: ${err.message}`, err.code)));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export function parseJson(res: HttpResponse): unknown {
  try {
    return res.body ? JSON.parse(res.body) : undefined;
  } catch {
    return undefined;
  }
}
