import * as http from 'node:http';
import { closeLoopback, listenLoopback } from './loopback';

// GitHub's REST API on 127.0.0.1, the parts apply uses: deployments and their statuses (newest
// first), the pull requests of a commit, and an issue's comments, paged with a Link header
// (30 a page unless per_page says otherwise). Checks the bearer token. Test support only.

export class LoopbackGitHub {
  url = '';
  readonly deployments: { id: number; sha: string; ref: string; environment: string; payload: unknown; statuses: { state: string; description: string; log_url?: string }[] }[] = [];
  readonly pulls = new Map<string, { number: number; merged_at: string | null }[]>();
  readonly comments = new Map<number, { id: number; body: string }[]>();
  /** Workflow runs by head sha, each with artifacts (name → zip bytes). */
  readonly runs = new Map<string, { id: number; artifacts: Record<string, Buffer> }[]>();
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
        // Artifact storage: a signed URL, no token (as GitHub's redirect target).
        let blob: RegExpExecArray | null;
        if ((blob = /^\/storage\/(\d+)\/(.+)$/.exec(url.pathname))) {
          if (req.headers.authorization) return send(400, { message: 'storage takes no Authorization header' });
          const zip = [...this.runs.values()].flat().find((r) => r.id === Number(blob![1]))?.artifacts[decodeURIComponent(blob[2])];
          if (!zip) return send(404, { message: 'Not Found' });
          res.writeHead(200, { 'content-type': 'application/zip' }).end(zip);
          return;
        }
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
        if (/^\/repos\/[^/]+\/[^/]+\/actions\/runs$/.test(url.pathname)) {
          const runs = this.runs.get(url.searchParams.get('head_sha') ?? '') ?? [];
          return send(200, { total_count: runs.length, workflow_runs: runs.map((r) => ({ id: r.id, head_sha: url.searchParams.get('head_sha') })) });
        }
        if ((m = /^\/repos\/([^/]+\/[^/]+)\/actions\/runs\/(\d+)\/artifacts$/.exec(url.pathname))) {
          const run = [...this.runs.values()].flat().find((r) => r.id === Number(m![2]));
          const names = Object.keys(run?.artifacts ?? {});
          return send(200, { total_count: names.length, artifacts: names.map((name, i) => ({ id: i + 1, name, expired: false, archive_download_url: `${this.url}/repos/${m![1]}/actions/artifacts/${run!.id}/${encodeURIComponent(name)}/zip` })) });
        }
        if ((m = /^\/repos\/[^/]+\/[^/]+\/actions\/artifacts\/(\d+)\/([^/]+)\/zip$/.exec(url.pathname))) {
          return send(302, {}, { location: `${this.url}/storage/${m[1]}/${m[2]}` });
        }
        if ((m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(url.pathname))) return page(this.comments.get(Number(m[1])) ?? []);
        send(404, { message: 'Not Found' });
      });
    });
    this.url = await listenLoopback(this.server);
    return this.url;
  }

  async stop(): Promise<void> {
    await closeLoopback(this.server);
  }
}
