import * as http from 'node:http';
import { closeLoopback, listenLoopback } from './listen';

// GitHub's REST API on 127.0.0.1, one server for every test that talks to GitHub (the review's
// sticky comment, apply's Deployments record and reviewed hash, drift's issues), following the
// documented behaviour of the endpoints the code uses:
// - auth: `Authorization: token X` or `Bearer X`, else 401 "Bad credentials"; a repository other
//   than the one served is 404; an unknown path is 404.
// - lists are paged: `per_page` (30 by default, 100 at most) and `page`, with a `Link` header
//   (rel="next", "last", "first", "prev") whose URLs keep the query.
// - issues: GET /repos/{o}/{r}/issues lists issues AND pull requests (those carry `pull_request`),
//   newest first, `state` open (default), closed or all; POST creates (201; 422 without a title);
//   GET/PATCH /issues/{n} (title, body, state, state_reason); a body over 65,536 characters is 422.
// - comments: GET /issues/{n}/comments (oldest first), POST (201), PATCH /issues/comments/{id}
//   (200); 422 without a body or over 65,536 characters; 404 for an issue that does not exist.
// - deployments: POST (201; 422 without `ref`), GET newest first, filtered by `environment`;
//   statuses: POST (201; 422 for an unknown state or a description over 140 characters), GET
//   newest first.
// - GET /commits/{sha}/pulls: the pull requests of a commit.
// - Actions: GET /actions/runs?head_sha=…, /actions/runs/{id}/artifacts, and
//   /actions/artifacts/{id}/zip answering 302 to a storage URL that refuses an Authorization header.
// - DELETE /issues/comments/{id}: 204.
// - faults: `fail(status)` answers the next request (of a method, if given) with that status,
//   after the credentials are checked, as GitHub does for a 5xx or a 403 of a read-only token,
//   with the headers given (a rate limit: `retry-after`, `x-ratelimit-remaining: 0` and
//   `x-ratelimit-reset`); `loseReply()` carries out the next request (of a method, if given)
//   and then drops the connection before answering, as a reply lost on the way back.
// Test support only: no production module imports it.

export interface LoopbackComment {
  id: number;
  body: string;
  html_url: string;
  user: { login: string };
}

export interface LoopbackIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason?: string | null;
  /** Present on a pull request (GitHub lists pull requests among the issues). */
  pull_request?: { url: string };
  comments: LoopbackComment[];
}

export interface LoopbackDeployment {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  payload: unknown;
  statuses: { state: string; description: string; log_url?: string }[];
}

/** A pull request as GET /commits/{sha}/pulls returns it (the fields the code reads). */
export interface LoopbackPull {
  number: number;
  merged_at: string | null;
  head?: { sha: string };
}

export interface LoopbackRun {
  id: number;
  /** Artifact name → zip bytes. */
  artifacts: Record<string, Buffer>;
}

export interface LoopbackRequest {
  method: string;
  /** The path without the query. */
  path: string;
  /** The query, with its `?`, or ''. */
  query: string;
}

/** GitHub's limit of an issue's or a comment's body. */
export const GITHUB_BODY_LIMIT = 65_536;
const STATES = new Set(['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success']);

export class LoopbackGitHub {
  url = '';
  readonly repository: string;
  readonly token: string;
  /** Issues and pull requests, in the order they were made (number = position + 1 when made here). */
  readonly issues: LoopbackIssue[] = [];
  readonly deployments: LoopbackDeployment[] = [];
  /** Commit sha → its pull requests (each also an issue, with comments: see `pull`). */
  readonly pulls = new Map<string, LoopbackPull[]>();
  /** Head sha → the workflow runs of that commit. */
  readonly runs = new Map<string, LoopbackRun[]>();
  readonly requests: LoopbackRequest[] = [];
  private readonly faults: { status: number; method?: string; message?: string; headers?: Record<string, string> }[] = [];
  private readonly lost: { method?: string }[] = [];
  private server?: http.Server;

  constructor(options: { repository?: string; token?: string } = {}) {
    this.repository = options.repository ?? 'acme/infra';
    this.token = options.token ?? 'ghs_test';
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    this.url = await listenLoopback(this.server);
    return this.url;
  }

  async stop(): Promise<void> {
    await closeLoopback(this.server);
  }

  /** Answers the next request (of `method`, if given) with `status`, once. */
  fail(status: number, options: { method?: string; message?: string; headers?: Record<string, string> } = {}): void {
    this.faults.push({ status, ...options });
  }

  /** Carries out the next request (of `method`, if given), then drops the connection unanswered, once. */
  loseReply(options: { method?: string } = {}): void {
    this.lost.push(options);
  }

  /** The pull request numbered `n`, made (open, no comments) when there is none. */
  pull(n: number): LoopbackIssue {
    let issue = this.issues.find((i) => i.number === n);
    if (!issue) {
      issue = { number: n, title: `pull request ${n}`, body: '', state: 'open', pull_request: { url: `${this.url}/repos/${this.repository}/pulls/${n}` }, comments: [] };
      this.issues.push(issue);
    }
    return issue;
  }

  /** Issue or pull request `n`; a pull request listed in `pulls` exists even before it is touched. */
  private issueOf(n: number): LoopbackIssue | undefined {
    return this.issues.find((i) => i.number === n) ?? ([...this.pulls.values()].flat().some((p) => p.number === n) ? this.pull(n) : undefined);
  }

  /** Adds `n` issues (or pull requests) as others made them. */
  seed(n: number, make: (i: number) => Partial<LoopbackIssue>): void {
    for (let i = 0; i < n; i++) this.issues.push({ number: this.nextNumber(), title: `issue ${i}`, body: '', state: 'open', comments: [], ...make(i) });
  }

  private nextNumber(): number {
    return this.issues.reduce((n, i) => Math.max(n, i.number), 0) + 1;
  }

  private nextCommentId(): number {
    return this.issues.flatMap((i) => i.comments).reduce((n, c) => Math.max(n, c.id), 999) + 1;
  }

  private handle(req: http.IncomingMessage, text: string, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: url.pathname, query: url.search });
    let drop = false;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (drop) {
        res.socket?.destroy();
        return;
      }
      const out = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(out)), ...headers }).end(out);
    };
    // Artifact storage: a signed URL, no token (GitHub's redirect target rejects one).
    const blob = /^\/storage\/(\d+)$/.exec(url.pathname);
    if (blob) {
      if (req.headers.authorization) return send(400, { message: 'storage takes no Authorization header' });
      const zip = this.artifacts().find((a) => a.id === Number(blob[1]))?.zip;
      if (!zip) return send(404, { message: 'Not Found' });
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': String(zip.length) }).end(zip);
      return;
    }
    const auth = req.headers.authorization ?? '';
    if (auth !== `token ${this.token}` && auth !== `Bearer ${this.token}`) return send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    const fault = this.faults.findIndex((f) => !f.method || f.method === method);
    if (fault >= 0) {
      const [f] = this.faults.splice(fault, 1);
      return send(f.status, { message: f.message ?? (f.status === 403 ? 'Resource not accessible by integration' : f.status >= 500 ? 'Server Error' : 'Fault') }, f.headers);
    }
    const lost = this.lost.findIndex((l) => !l.method || l.method === method);
    if (lost >= 0) {
      this.lost.splice(lost, 1);
      drop = true;
    }
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      return send(400, { message: 'Problems parsing JSON' });
    }
    const prefix = `/repos/${this.repository}`;
    if (!url.pathname.startsWith(`${prefix}/`)) return send(404, { message: 'Not Found' });
    const route = `${method} ${url.pathname.slice(prefix.length)}`;
    const page = <T>(items: T[]) => this.page(url, items, send);
    const invalid = (resource: string, field: string, code = 'missing_field', message?: string) =>
      send(422, { message: 'Validation Failed', errors: [{ resource, field, code, ...(message ? { message } : {}) }], documentation_url: 'https://docs.github.com/rest' });
    const tooLong = (resource: string) => invalid(resource, 'body', 'custom', `body is too long (maximum is ${GITHUB_BODY_LIMIT} characters)`);
    let m: RegExpExecArray | null;

    // Issues and their comments.
    if (route === 'GET /issues') {
      const state = url.searchParams.get('state') ?? 'open';
      return page(this.issues.filter((i) => state === 'all' || i.state === state).sort((a, b) => b.number - a.number).map((i) => this.issueView(i)));
    }
    if (route === 'POST /issues') {
      if (typeof body.title !== 'string' || !body.title) return invalid('Issue', 'title');
      if (typeof body.body === 'string' && body.body.length > GITHUB_BODY_LIMIT) return tooLong('Issue');
      const issue: LoopbackIssue = { number: this.nextNumber(), title: body.title, body: typeof body.body === 'string' ? body.body : '', state: 'open', comments: [] };
      this.issues.push(issue);
      return send(201, this.issueView(issue));
    }
    if ((m = /^(GET|PATCH|DELETE) \/issues\/comments\/(\d+)$/.exec(route))) {
      const c = this.issues.flatMap((i) => i.comments).find((x) => x.id === Number(m![2]));
      if (!c) return send(404, { message: 'Not Found' });
      if (m[1] === 'GET') return send(200, c);
      if (m[1] === 'DELETE') {
        // In place: tests hold the comments array of a pull request.
        for (const i of this.issues) if (i.comments.includes(c)) i.comments.splice(i.comments.indexOf(c), 1);
        if (drop) res.socket?.destroy();
        else res.writeHead(204).end();
        return;
      }
      if (typeof body.body !== 'string') return invalid('IssueComment', 'body');
      if (body.body.length > GITHUB_BODY_LIMIT) return tooLong('IssueComment');
      c.body = body.body;
      return send(200, c);
    }
    if ((m = /^(GET|POST|PATCH) \/issues\/(\d+)(\/comments)?$/.exec(route))) {
      const issue = this.issueOf(Number(m[2]));
      if (!issue) return send(404, { message: 'Not Found' });
      if (m[3] && m[1] === 'GET') return page(issue.comments);
      if (m[3] && m[1] === 'POST') {
        if (typeof body.body !== 'string') return invalid('IssueComment', 'body');
        if (body.body.length > GITHUB_BODY_LIMIT) return tooLong('IssueComment');
        const id = this.nextCommentId();
        const c: LoopbackComment = { id, body: body.body, html_url: `${this.htmlUrl(issue)}#issuecomment-${id}`, user: { login: 'github-actions[bot]' } };
        issue.comments.push(c);
        return send(201, c);
      }
      if (!m[3] && m[1] === 'GET') return send(200, this.issueView(issue));
      if (!m[3] && m[1] === 'PATCH') {
        if (typeof body.body === 'string' && body.body.length > GITHUB_BODY_LIMIT) return tooLong('Issue');
        if (body.state !== undefined && body.state !== 'open' && body.state !== 'closed') return invalid('Issue', 'state', 'invalid');
        for (const k of ['title', 'body', 'state', 'state_reason'] as const) if (body[k] !== undefined) (issue as unknown as Record<string, unknown>)[k] = body[k];
        return send(200, this.issueView(issue));
      }
    }

    // Deployments and their statuses.
    if (route === 'POST /deployments') {
      if (typeof body.ref !== 'string' || !body.ref) return invalid('Deployment', 'ref');
      const d: LoopbackDeployment = { id: this.deployments.length + 1, sha: body.ref, ref: body.ref, environment: typeof body.environment === 'string' ? body.environment : 'production', payload: body.payload ?? {}, statuses: [] };
      this.deployments.push(d);
      const { statuses: _s, ...view } = d;
      return send(201, view);
    }
    if (route === 'GET /deployments') {
      const env = url.searchParams.get('environment');
      return page([...this.deployments].reverse().filter((d) => !env || d.environment === env).map(({ statuses: _s, ...d }) => d));
    }
    if ((m = /^(GET|POST) \/deployments\/(\d+)\/statuses$/.exec(route))) {
      const d = this.deployments.find((x) => x.id === Number(m![2]));
      if (!d) return send(404, { message: 'Not Found' });
      if (m[1] === 'GET') return page([...d.statuses].reverse());
      if (typeof body.state !== 'string' || !STATES.has(body.state)) return invalid('DeploymentStatus', 'state', 'invalid');
      const description = typeof body.description === 'string' ? body.description : '';
      if (description.length > 140) return invalid('DeploymentStatus', 'description', 'custom', 'description is too long (maximum is 140 characters)');
      const s = { state: body.state, description, ...(typeof body.log_url === 'string' ? { log_url: body.log_url } : {}) };
      d.statuses.push(s);
      return send(201, { id: d.statuses.length, ...s });
    }

    // The pull requests of a commit.
    if ((m = /^GET \/commits\/([0-9a-f]+)\/pulls$/.exec(route))) return page(this.pulls.get(m[1]) ?? []);

    // Actions: the runs of a commit, their artifacts, an artifact's zip (a redirect to storage).
    if (route === 'GET /actions/runs') {
      const sha = url.searchParams.get('head_sha') ?? '';
      const runs = this.runs.get(sha) ?? [];
      return send(200, { total_count: runs.length, workflow_runs: runs.map((r) => ({ id: r.id, head_sha: sha })) });
    }
    if ((m = /^GET \/actions\/runs\/(\d+)\/artifacts$/.exec(route))) {
      const list = this.artifacts().filter((a) => a.run === Number(m![1]));
      return send(200, { total_count: list.length, artifacts: list.map((a) => ({ id: a.id, name: a.name, expired: false, archive_download_url: `${this.url}${prefix}/actions/artifacts/${a.id}/zip` })) });
    }
    if ((m = /^GET \/actions\/artifacts\/(\d+)\/zip$/.exec(route))) {
      if (!this.artifacts().some((a) => a.id === Number(m![1]))) return send(404, { message: 'Not Found' });
      return send(302, {}, { location: `${this.url}/storage/${m[1]}` });
    }
    return send(404, { message: 'Not Found' });
  }

  /** Every artifact of every run, with an id of its own (run id × 1000 + its position). */
  private artifacts(): { id: number; run: number; name: string; zip: Buffer }[] {
    return [...this.runs.values()].flat().flatMap((r) => Object.entries(r.artifacts).map(([name, zip], i) => ({ id: r.id * 1000 + i + 1, run: r.id, name, zip })));
  }

  private page<T>(url: URL, items: T[], send: (status: number, body: unknown, headers?: Record<string, string>) => void): void {
    const perPage = Math.max(1, Math.min(100, Number(url.searchParams.get('per_page') ?? 30) || 30));
    const n = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number, rel: string) => {
      const u = new URL(url.toString());
      u.searchParams.set('page', String(p));
      return `<${u}>; rel="${rel}"`;
    };
    const links = [...(n < last ? [link(n + 1, 'next'), link(last, 'last')] : []), ...(n > 1 ? [link(1, 'first'), link(n - 1, 'prev')] : [])];
    send(200, items.slice((n - 1) * perPage, n * perPage), links.length ? { link: links.join(', ') } : {});
  }

  private htmlUrl(i: LoopbackIssue): string {
    return `https://github.example/${this.repository}/${i.pull_request ? 'pull' : 'issues'}/${i.number}`;
  }

  private issueView(i: LoopbackIssue) {
    return {
      number: i.number, title: i.title, body: i.body, state: i.state, state_reason: i.state_reason ?? null,
      html_url: this.htmlUrl(i), comments: i.comments.length, ...(i.pull_request ? { pull_request: i.pull_request } : {}),
    };
  }
}
