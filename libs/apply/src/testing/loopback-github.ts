import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

// GitHub's REST API on 127.0.0.1, the parts apply uses: deployments and their statuses (newest
// first), the pull requests of a commit, and an issue's comments, paged with a Link header
// (30 a page unless per_page says otherwise). Checks the bearer token. Test support only.

export class LoopbackGitHub {
  url = '';
  readonly deployments: { id: number; sha: string; ref: string; environment: string; payload: unknown; statuses: { state: string; description: string; log_url?: string }[] }[] = [];
  readonly pulls = new Map<string, { number: number; merged_at: string | null }[]>();
  readonly comments = new Map<number, { id: number; body: string }[]>();
  private server?: http.Server;

  constructor(private readonly token = 'ghs_test') {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x');
        const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
        };
        if (req.headers.authorization !== `Bearer ${this.token}`) return send(401, { message: 'Bad credentials' });
        const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
        const page = <T>(items: T[]) => {
          const per = Number(url.searchParams.get('per_page') ?? 30);
          const n = Number(url.searchParams.get('page') ?? 1);
          const headers: Record<string, string> = {};
          if (n * per < items.length) {
            const next = new URL(url.toString().replace('http://x', this.url));
            next.searchParams.set('page', String(n + 1));
            headers.link = `<${next}>; rel="next"`;
          }
          send(200, items.slice((n - 1) * per, n * per), headers);
        };
        let m: RegExpExecArray | null;
        if ((m = /^\/repos\/[^/]+\/[^/]+\/deployments$/.exec(url.pathname))) {
          if (req.method === 'POST') {
            const d = { id: this.deployments.length + 1, sha: body.ref, ref: body.ref, environment: body.environment, payload: body.payload, statuses: [] };
            this.deployments.push(d);
            return send(201, d);
          }
          const env = url.searchParams.get('environment');
          return page([...this.deployments].reverse().filter((d) => !env || d.environment === env).map(({ statuses: _s, ...d }) => d));
        }
        if ((m = /^\/repos\/[^/]+\/[^/]+\/deployments\/(\d+)\/statuses$/.exec(url.pathname))) {
          const d = this.deployments.find((x) => x.id === Number(m![1]));
          if (!d) return send(404, { message: 'Not Found' });
          if (req.method === 'POST') {
            d.statuses.push({ state: body.state, description: body.description, log_url: body.log_url });
            return send(201, body);
          }
          return page([...d.statuses].reverse());
        }
        if ((m = /^\/repos\/[^/]+\/[^/]+\/commits\/([0-9a-f]+)\/pulls$/.exec(url.pathname))) return page(this.pulls.get(m[1]) ?? []);
        if ((m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(url.pathname))) return page(this.comments.get(Number(m[1])) ?? []);
        send(404, { message: 'Not Found' });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
