import * as http from 'node:http';
import { closeLoopback, listenLoopback } from './loopback';

// A GitHub REST API on 127.0.0.1 for the issue flow's tests, following GitHub's documented
// behaviour: a token in the Authorization header ("token X" or "Bearer X", else 401 "Bad
// credentials"); GET /repos/{o}/{r}/issues lists issues AND pull requests (those carry a
// `pull_request` key), newest first, filtered by state (open by default), paged with per_page
// (30 by default, 100 at most) and page, and a Link header (rel="next", rel="last"); POST
// .../issues creates (201); PATCH .../issues/{n} edits title, body, state, state_reason; POST
// .../issues/{n}/comments adds a comment (201). A repository other than the one served is 404.
// Faults: `failNext(status)` answers the next request with it. Test support only.

export interface LoopbackIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason?: string | null;
  pull_request?: { url: string };
  comments: string[];
}

export class LoopbackGitHub {
  readonly issues: LoopbackIssue[] = [];
  readonly requests: { method: string; path: string; query: string }[] = [];
  url = '';
  private server?: http.Server;
  private faults: number[] = [];

  constructor(readonly repository: string, readonly token: string) {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.url = await listenLoopback(this.server);
    return this.url;
  }

  async stop(): Promise<void> {
    await closeLoopback(this.server);
  }

  failNext(status: number): void {
    this.faults.push(status);
  }

  /** Adds issues (or pull requests) as others made them. */
  seed(n: number, make: (i: number) => Partial<LoopbackIssue>): void {
    for (let i = 0; i < n; i++) this.issues.push({ number: this.issues.length + 1, title: `issue ${i}`, body: '', state: 'open', comments: [], ...make(i) });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', this.url);
      const method = req.method ?? 'GET';
      this.requests.push({ method, path: url.pathname, query: url.search });
      const auth = req.headers.authorization ?? '';
      if (auth !== `token ${this.token}` && auth !== `Bearer ${this.token}`) return send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
      const fault = this.faults.shift();
      if (fault) return send(res, fault, { message: fault === 403 ? 'Resource not accessible by integration' : 'Server Error' });
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? JSON.parse(text) : {};
      const prefix = `/repos/${this.repository}/issues`;
      if (!url.pathname.startsWith(prefix)) return send(res, 404, { message: 'Not Found' });
      const rest = url.pathname.slice(prefix.length);
      if (rest === '' && method === 'GET') return this.list(url, res);
      if (rest === '' && method === 'POST') {
        if (!body.title) return send(res, 422, { message: 'Validation Failed', errors: [{ resource: 'Issue', field: 'title', code: 'missing_field' }] });
        const issue: LoopbackIssue = { number: this.issues.length + 1, title: body.title, body: body.body ?? '', state: 'open', comments: [] };
        this.issues.push(issue);
        return send(res, 201, this.view(issue));
      }
      const m = /^\/(\d+)(\/comments)?$/.exec(rest);
      const issue = m && this.issues.find((i) => i.number === Number(m[1]));
      if (!m || !issue) return send(res, 404, { message: 'Not Found' });
      if (m[2] && method === 'POST') {
        issue.comments.push(String(body.body));
        return send(res, 201, { id: issue.comments.length, body: body.body, html_url: `${this.view(issue).html_url}#issuecomment-${issue.comments.length}` });
      }
      if (!m[2] && method === 'PATCH') {
        for (const k of ['title', 'body', 'state', 'state_reason'] as const) if (body[k] !== undefined) (issue as unknown as Record<string, unknown>)[k] = body[k];
        return send(res, 200, this.view(issue));
      }
      if (!m[2] && method === 'GET') return send(res, 200, this.view(issue));
      return send(res, 404, { message: 'Not Found' });
    });
  }

  private list(url: URL, res: http.ServerResponse): void {
    const state = url.searchParams.get('state') ?? 'open';
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
    const page = Number(url.searchParams.get('page') ?? 1);
    const all = this.issues.filter((i) => state === 'all' || i.state === state).sort((a, b) => b.number - a.number);
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const link = (p: number) => {
      const u = new URL(url.toString());
      u.searchParams.set('page', String(p));
      return u.toString();
    };
    const links = [...(page < last ? [`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`] : []), ...(page > 1 ? [`<${link(1)}>; rel="first"`, `<${link(page - 1)}>; rel="prev"`] : [])];
    send(res, 200, all.slice((page - 1) * perPage, page * perPage).map((i) => this.view(i)), links.length ? { link: links.join(', ') } : {});
  }

  private view(i: LoopbackIssue) {
    return { number: i.number, title: i.title, body: i.body, state: i.state, state_reason: i.state_reason ?? null, html_url: `https://github.example/${this.repository}/issues/${i.number}`, comments: i.comments.length, ...(i.pull_request ? { pull_request: i.pull_request } : {}) };
  }
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
