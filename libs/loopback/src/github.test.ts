import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GITHUB_BODY_LIMIT, LoopbackGitHub } from './github';

// The loopback GitHub itself, against GitHub's documented REST behaviour: the tests of review,
// apply and drift are only as honest as this server.

async function withGitHub(fn: (gh: LoopbackGitHub, call: (method: string, path: string, body?: unknown, token?: string) => Promise<{ status: number; json: any; link: string | null; location: string | null }>) => Promise<void>) {
  const gh = new LoopbackGitHub({ repository: 'acme/infra', token: 'tok' });
  await gh.start();
  const call = async (method: string, path: string, body?: unknown, token = 'tok') => {
    const res = await fetch(path.startsWith('http') ? path : `${gh.url}${path}`, { method, redirect: 'manual', headers: token ? { authorization: `Bearer ${token}` } : {}, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await res.text();
    let json: unknown = text;
    try { json = JSON.parse(text); } catch { /* a zip */ }
    return { status: res.status, json, link: res.headers.get('link'), location: res.headers.get('location') };
  };
  try {
    await fn(gh, call);
  } finally {
    await gh.stop();
  }
}

test('credentials: both schemes accepted, a wrong or missing token is 401; another repository or path is 404', async () => {
  await withGitHub(async (gh, call) => {
    assert.is((await call('GET', '/repos/acme/infra/issues')).status, 200);
    const r = await fetch(`${gh.url}/repos/acme/infra/issues`, { headers: { authorization: 'token tok' } });
    assert.is(r.status, 200);
    assert.equal([(await call('GET', '/repos/acme/infra/issues', undefined, 'nope')).status, (await call('GET', '/repos/acme/infra/issues', undefined, '')).json.message], [401, 'Bad credentials']);
    assert.is((await call('GET', '/repos/acme/other/issues')).status, 404);
    assert.is((await call('GET', '/repos/acme/infra/nothing')).status, 404);
    assert.equal(gh.requests.slice(0, 1), [{ method: 'GET', path: '/repos/acme/infra/issues', query: '' }]);
  });
});

test('paging: 30 a page by default, per_page up to 100, a Link header keeping the query', async () => {
  await withGitHub(async (gh, call) => {
    gh.seed(250, (i) => ({ state: i % 2 ? 'open' : 'closed' }));
    const first = await call('GET', '/repos/acme/infra/issues?state=all');
    assert.is(first.json.length, 30);
    assert.is(first.json[0].number, 250, 'newest first');
    assert.match(first.link!, /<[^>]*state=all&page=2>; rel="next", <[^>]*page=9>; rel="last"/);
    const big = await call('GET', '/repos/acme/infra/issues?state=all&per_page=500&page=3');
    assert.is(big.json.length, 50);
    assert.match(big.link!, /rel="first".*rel="prev"/);
    assert.not.match(big.link!, /rel="next"/);
    assert.is((await call('GET', '/repos/acme/infra/issues?per_page=100')).json.length, 100, 'open only by default');
    assert.ok((await call('GET', '/repos/acme/infra/issues?state=closed&per_page=100')).json.every((i: { state: string }) => i.state === 'closed'));
  });
});

test('issues: created, read, edited and closed; pull requests listed among them; 422 for what GitHub refuses', async () => {
  await withGitHub(async (gh, call) => {
    gh.pull(1);
    const made = await call('POST', '/repos/acme/infra/issues', { title: 'drift', body: 'b' });
    assert.equal([made.status, made.json.number, made.json.html_url], [201, 2, 'https://github.example/acme/infra/issues/2']);
    assert.equal((await call('GET', '/repos/acme/infra/issues')).json.map((i: { number: number; pull_request?: unknown }) => [i.number, !!i.pull_request]), [[2, false], [1, true]]);
    assert.is((await call('POST', '/repos/acme/infra/issues', { body: 'no title' })).status, 422);
    assert.is((await call('POST', '/repos/acme/infra/issues', { title: 't', body: 'x'.repeat(GITHUB_BODY_LIMIT + 1) })).status, 422);
    const closed = await call('PATCH', '/repos/acme/infra/issues/2', { state: 'closed', state_reason: 'completed' });
    assert.equal([closed.status, closed.json.state, closed.json.state_reason, closed.json.title], [200, 'closed', 'completed', 'drift']);
    assert.is((await call('PATCH', '/repos/acme/infra/issues/2', { state: 'gone' })).status, 422);
    assert.is((await call('GET', '/repos/acme/infra/issues/9')).status, 404);
  });
});

test('comments: listed oldest first and paged, created (201) and edited in place (200) by id; 422 over 65,536 characters; 404 on no issue', async () => {
  await withGitHub(async (gh, call) => {
    const pr = gh.pull(7);
    for (let i = 0; i < 35; i++) pr.comments.push({ id: i + 1, body: `c${i}`, html_url: 'x', user: { login: 'someone' } });
    const page2 = await call('GET', '/repos/acme/infra/issues/7/comments?page=2');
    assert.equal(page2.json.map((c: { body: string }) => c.body), ['c30', 'c31', 'c32', 'c33', 'c34']);
    const made = await call('POST', '/repos/acme/infra/issues/7/comments', { body: 'mine' });
    assert.equal([made.status, made.json.id, made.json.html_url, made.json.user.login], [201, 1000, 'https://github.example/acme/infra/pull/7#issuecomment-1000', 'github-actions[bot]']);
    const edited = await call('PATCH', '/repos/acme/infra/issues/comments/1000', { body: 'edited' });
    assert.equal([edited.status, pr.comments.at(-1)!.body, pr.comments.length], [200, 'edited', 36]);
    assert.is((await call('POST', '/repos/acme/infra/issues/7/comments', { body: 'x'.repeat(GITHUB_BODY_LIMIT + 1) })).status, 422);
    assert.is((await call('PATCH', '/repos/acme/infra/issues/comments/1000', { body: 'x'.repeat(GITHUB_BODY_LIMIT + 1) })).status, 422);
    assert.is((await call('POST', '/repos/acme/infra/issues/7/comments', {})).status, 422);
    assert.is((await call('POST', '/repos/acme/infra/issues/8/comments', { body: 'x' })).status, 404);
    assert.is((await call('PATCH', '/repos/acme/infra/issues/comments/5555', { body: 'x' })).status, 404);
  });
});

test('deployments: created (422 without ref), listed newest first by environment; statuses validated and listed newest first', async () => {
  await withGitHub(async (gh, call) => {
    assert.is((await call('POST', '/repos/acme/infra/deployments', { environment: 'lenexa' })).status, 422);
    const a = await call('POST', '/repos/acme/infra/deployments', { ref: 'a'.repeat(40), environment: 'lenexa', payload: { to: 'a' } });
    await call('POST', '/repos/acme/infra/deployments', { ref: 'b'.repeat(40), environment: 'aws-dr' });
    await call('POST', '/repos/acme/infra/deployments', { ref: 'c'.repeat(40), environment: 'lenexa' });
    assert.equal([a.status, a.json.sha, a.json.payload], [201, 'a'.repeat(40), { to: 'a' }]);
    assert.equal((await call('GET', '/repos/acme/infra/deployments?environment=lenexa')).json.map((d: { id: number }) => d.id), [3, 1]);
    const statuses = '/repos/acme/infra/deployments/1/statuses';
    assert.is((await call('POST', statuses, { state: 'in_progress', description: 'started', log_url: 'https://x/1' })).status, 201);
    assert.is((await call('POST', statuses, { state: 'success', description: 'applied' })).status, 201);
    assert.is((await call('POST', statuses, { state: 'done' })).status, 422);
    assert.is((await call('POST', statuses, { state: 'success', description: 'x'.repeat(141) })).status, 422);
    assert.equal((await call('GET', statuses)).json.map((s: { state: string }) => s.state), ['success', 'in_progress']);
    assert.equal(gh.deployments[0].statuses[0], { state: 'in_progress', description: 'started', log_url: 'https://x/1' });
    assert.is((await call('GET', '/repos/acme/infra/deployments/9/statuses')).status, 404);
  });
});

test('a commit\'s pull requests; its runs\' artifacts, downloaded through a redirect to storage that takes no token', async () => {
  await withGitHub(async (gh, call) => {
    gh.pulls.set('a'.repeat(40), [{ number: 5, merged_at: '2026-01-01T00:00:00Z' }]);
    assert.equal((await call('GET', `/repos/acme/infra/commits/${'a'.repeat(40)}/pulls`)).json, [{ number: 5, merged_at: '2026-01-01T00:00:00Z' }]);
    assert.equal((await call('GET', `/repos/acme/infra/commits/${'b'.repeat(40)}/pulls`)).json, []);
    assert.equal((await call('GET', '/repos/acme/infra/issues/5/comments')).json, [], 'a pull request of a commit is an issue too');
    gh.runs.set('f'.repeat(40), [{ id: 77, artifacts: { logs: Buffer.from('L'), review: Buffer.from('R') } }]);
    const runs = await call('GET', `/repos/acme/infra/actions/runs?head_sha=${'f'.repeat(40)}`);
    assert.equal(runs.json, { total_count: 1, workflow_runs: [{ id: 77, head_sha: 'f'.repeat(40) }] });
    const arts = (await call('GET', '/repos/acme/infra/actions/runs/77/artifacts')).json.artifacts;
    assert.equal(arts.map((x: { name: string; id: number }) => [x.name, x.id]), [['logs', 77001], ['review', 77002]]);
    const zip = await call('GET', arts[1].archive_download_url);
    assert.is(zip.status, 302);
    assert.is((await call('GET', zip.location!)).status, 400, 'storage refuses the API token');
    assert.is((await call('GET', zip.location!, undefined, '')).json, 'R');
    assert.is((await call('GET', '/repos/acme/infra/actions/artifacts/1/zip')).status, 404);
  });
});

test('faults: the next request (of a method, when given) gets the status once, after the credentials are checked', async () => {
  await withGitHub(async (gh, call) => {
    gh.fail(502, { method: 'POST' });
    gh.fail(403);
    assert.is((await call('GET', '/repos/acme/infra/issues', undefined, 'nope')).status, 401);
    const forbidden = await call('GET', '/repos/acme/infra/issues');
    assert.equal([forbidden.status, forbidden.json.message], [403, 'Resource not accessible by integration']);
    assert.is((await call('GET', '/repos/acme/infra/issues')).status, 200);
    const bad = await call('POST', '/repos/acme/infra/issues', { title: 't' });
    assert.equal([bad.status, bad.json.message], [502, 'Server Error']);
    assert.is((await call('POST', '/repos/acme/infra/issues', { title: 't' })).status, 201);
  });
});

test('faults: a rate limit carries its headers; a lost reply is carried out, then the connection drops unanswered', async () => {
  await withGitHub(async (gh, call) => {
    gh.fail(403, { message: 'API rate limit exceeded', headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1700000000', 'retry-after': '2' } });
    const limited = await fetch(`${gh.url}/repos/acme/infra/issues`, { headers: { authorization: 'Bearer tok' } });
    assert.equal([limited.status, limited.headers.get('x-ratelimit-remaining'), limited.headers.get('x-ratelimit-reset'), limited.headers.get('retry-after')], [403, '0', '1700000000', '2']);
    gh.loseReply({ method: 'POST' });
    assert.is((await call('GET', '/repos/acme/infra/issues')).status, 200, 'a GET is not the POST the fault waits for');
    try {
      await call('POST', '/repos/acme/infra/issues', { title: 'made, unanswered' });
      assert.unreachable();
    } catch (err) {
      assert.instance(err, TypeError, 'fetch fails: no answer came');
    }
    assert.equal(gh.issues.map((i) => i.title), ['made, unanswered']);
    assert.is((await call('POST', '/repos/acme/infra/issues', { title: 'answered' })).status, 201, 'once');
  });
});

test.run();
