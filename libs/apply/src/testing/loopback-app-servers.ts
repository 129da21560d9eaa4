import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Tree } from '@infra/render';

// The replaced app servers as a health check sees them: one HTTP listener on 127.0.0.1 per
// group, answering its declared path 200, or 503 while the group is `broken` (its new servers
// came up unhealthy). `pointAt` rewrites a tree's rollout files so every server of a group is
// probed at its group's listener. Test support only.

export class LoopbackAppServers {
  readonly broken = new Set<string>();
  /** Probes seen, as "<group> <path>". */
  readonly seen: string[] = [];
  private readonly servers = new Map<string, { server: http.Server; port: number }>();

  async start(groups: string[]): Promise<void> {
    for (const group of groups) {
      const server = http.createServer((req, res) => {
        this.seen.push(`${group} ${req.url}`);
        res.writeHead(this.broken.has(group) ? 503 : 200).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      this.servers.set(group, { server, port: (server.address() as AddressInfo).port });
    }
  }

  /** `tree` with each rollout file's addresses 127.0.0.1 and its health port its group's listener. */
  pointAt(tree: Tree): Map<string, string> {
    const out = new Map(tree);
    for (const [p, text] of tree) {
      if (!/^rollout\/[^/]+\.json$/.test(p)) continue;
      const doc = JSON.parse(text) as { group: string; health?: { port: number }; batches: { hosts: { address?: string }[] }[] };
      const listener = this.servers.get(doc.group);
      if (!listener || !doc.health) continue;
      doc.health.port = listener.port;
      for (const b of doc.batches) for (const h of b.hosts) h.address = '127.0.0.1';
      out.set(p, JSON.stringify(doc, null, 2) + '\n');
    }
    return out;
  }

  async stop(): Promise<void> {
    for (const { server } of this.servers.values()) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
