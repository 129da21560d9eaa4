import * as http from 'node:http';
import { closeLoopback, listenLoopback } from '@infra/loopback';

// A Mesos master on 127.0.0.1 answering GET /master/slaves ({ slaves: [{ id, hostname, active }] })
// with the agents `agents()` says are up (a test derives them from the stand-in terraform's
// state, so a replaced agent registers once its new VM exists). Test support only.

export class LoopbackMesos {
  url = '';
  /** Agents that never register again (their VM came up broken). */
  readonly broken = new Set<string>();
  private server?: http.Server;

  constructor(private readonly agents: () => string[]) {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      if (req.method !== 'GET' || req.url !== '/master/slaves') {
        res.writeHead(404).end();
        return;
      }
      const slaves = this.agents().filter((h) => !this.broken.has(h)).sort().map((hostname, i) => ({ id: `agent-${i}-S0`, hostname, active: true, pid: `slave(1)@${hostname}:5051` }));
      const text = JSON.stringify({ slaves, recovered_slaves: [] });
      res.writeHead(200, { 'content-type': 'application/json' }).end(text);
    });
    this.url = await listenLoopback(this.server);
    return this.url;
  }

  async stop(): Promise<void> {
    await closeLoopback(this.server);
  }
}
