// The sidecar's status on SIDECAR_PORT (127.0.0.1 only: it is for the app and for people who
// exec into the container). /healthz: 200 once every dependency has a backend or the app has
// been started, else 503. /backends: every dependency's backends and Marathon's state, as JSON.
import * as http from 'node:http';
import type { Resolver } from './resolver';
import { VERSION } from './version';

export interface StatusView {
  resolver: Resolver;
  appStarted: () => boolean;
}

export function backendsDocument(view: StatusView): object {
  const { resolver } = view;
  return {
    version: VERSION,
    ready: resolver.ready,
    appStarted: view.appStarted(),
    marathon: resolver.marathon,
    dependencies: resolver.deps.map((d) => ({
      name: d.name,
      localPort: d.localPort,
      target: d.target,
      resolved: d.resolved,
      ...(d.problem !== undefined ? { problem: d.problem } : {}),
      backends: d.backends.map((b) => ({ host: b.host, port: b.port, ...(b.taskId ? { taskId: b.taskId } : {}) })),
    })),
  };
}

export function startStatusServer(port: number, view: StatusView): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const send = (code: number, body: object) => {
      // No Date header: formatting it loads ICU's time-zone data into the sidecar for good.
      res.sendDate = false;
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify(body, null, 2)}\n`);
    };
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { error: 'only GET' });
    if (path === '/healthz') {
      const ok = view.resolver.ready || view.appStarted();
      return send(ok ? 200 : 503, { ok, ready: view.resolver.ready, marathonReachable: view.resolver.marathon.reachable });
    }
    if (path === '/backends') return send(200, backendsDocument(view));
    send(404, { error: 'not found: try /healthz or /backends' });
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`cannot listen on 127.0.0.1:${port} (SIDECAR_PORT): ${err.message}`)));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
