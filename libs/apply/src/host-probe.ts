import * as http from 'node:http';
import * as net from 'node:net';

// The health check of a replaced server, as its group's rollout file declares it
// (rendered/<env>/rollout/<group>.json): an HTTP GET of port+path answered 2xx or 3xx, or a TCP
// connect to the port. Each probe is one attempt with its own timeout; the gate repeats it.

export type HealthCheck = { kind: 'http'; port: number; path: string } | { kind: 'tcp'; port: number };

export interface Probe {
  host: string;
  /** Where to probe: the host's address from the rollout file, else its name. */
  address: string;
  health: HealthCheck;
}

export function describeProbe(p: Probe): string {
  return p.health.kind === 'http' ? `http://${p.address}:${p.health.port}${p.health.path}` : `tcp ${p.address}:${p.health.port}`;
}

/** undefined when healthy, else why not. */
export function probe(p: Probe, timeoutMs: number): Promise<string | undefined> {
  const ms = Math.max(1, timeoutMs);
  if (p.health.kind === 'tcp') {
    const { port } = p.health;
    return new Promise((resolve) => {
      const socket = net.connect({ host: p.address, port });
      const done = (why: string | undefined) => {
        socket.destroy();
        resolve(why);
      };
      socket.setTimeout(ms, () => done(`no connection within ${ms} ms`));
      socket.once('connect', () => done(undefined));
      socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
    });
  }
  const { port, path } = p.health;
  return new Promise((resolve) => {
    // A fresh connection each time (no keep-alive agent): a replaced server is a new machine.
    const req = http.get({ host: p.address, port, path, agent: false, timeout: ms }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve(status >= 200 && status < 400 ? undefined : `answered ${status}`);
    });
    req.on('timeout', () => {
      req.destroy();
      resolve(`no answer within ${ms} ms`);
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}
