// A loopback GitHub for tests (node:http on 127.0.0.1, port 0) that follows the documented REST
// behaviour the review comment uses: token auth (401 "Bad credentials"), issue comments listed
// 30 a page by default (per_page up to 100) with a `Link` header (rel="next", rel="last"),
// create (201), update (200), 422 "Validation Failed" for a body over 65,536 characters, and
// injectable faults (a 5xx, a 403 for a read-only token) answered before the real handling.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Comment { id: number; body: string; html_url: string; user: { login: string } }

export interface FakeGitHub {
  url: string;
  comments: Comment[];
  requests: { method: string; path: string }[];
  /** Answers the next requests matching `method` with `status` (once per entry). */
  fail(method: string, status: number, message?: string): void;
  close(): Promise<void>;
}

export async function startGitHub(options: { token: string; owner: string; repo: string; pr: number }): Promise<FakeGitHub> {
  const comments: Comment[] = [];
  const requests: FakeGitHub['requests'] = [];
  const faults: { method: string; status: number; message: string }[] = [];
  let nextId = 1000;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      requests.push({ method: req.method ?? '', path: url.pathname + url.search });
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(JSON.stringify(body));
      };
      const auth = req.headers.authorization ?? '';
      if (auth !== `token ${options.token}` && auth !== `Bearer ${options.token}`) return send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
      const fault = faults.findIndex((f) => f.method === req.method);
      if (fault >= 0) {
        const [f] = faults.splice(fault, 1);
        return send(f.status, { message: f.message });
      }
      const issuePath = `/repos/${options.owner}/${options.repo}/issues/${options.pr}/comments`;
      const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { body?: string }) : {};
      const tooLong = () => send(422, { message: 'Validation Failed', errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }], documentation_url: 'https://docs.github.com/rest/issues/comments' });
      if (url.pathname === issuePath && req.method === 'GET') {
        const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
        const page = Number(url.searchParams.get('page') ?? 1);
        const last = Math.max(1, Math.ceil(comments.length / perPage));
        const link = (p: number, rel: string) => `<${address()}${issuePath}?per_page=${perPage}&page=${p}>; rel="${rel}"`;
        const links = [...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []), ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : [])];
        return send(200, comments.slice((page - 1) * perPage, page * perPage), links.length ? { link: links.join(', ') } : {});
      }
      if (url.pathname === issuePath && req.method === 'POST') {
        if (typeof body.body !== 'string') return send(422, { message: 'Validation Failed' });
        if (body.body.length > 65536) return tooLong();
        const c = { id: nextId++, body: body.body, html_url: `https://github.example/${options.owner}/${options.repo}/pull/${options.pr}#issuecomment-${nextId}`, user: { login: 'github-actions[bot]' } };
        comments.push(c);
        return send(201, c);
      }
      const m = new RegExp(`^/repos/${options.owner}/${options.repo}/issues/comments/(\\d+)$`).exec(url.pathname);
      if (m && req.method === 'PATCH') {
        const c = comments.find((x) => x.id === Number(m[1]));
        if (!c) return send(404, { message: 'Not Found' });
        if (typeof body.body !== 'string') return send(422, { message: 'Validation Failed' });
        if (body.body.length > 65536) return tooLong();
        c.body = body.body;
        return send(200, c);
      }
      return send(404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: address(),
    comments,
    requests,
    fail: (method, status, message = status >= 500 ? 'Server Error' : 'Resource not accessible by integration') => { faults.push({ method, status, message }); },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
