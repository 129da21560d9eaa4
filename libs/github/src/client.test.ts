// The client and its one retry policy against the loopback GitHub (@infra/loopback), faults
// included: what is retried, what is not, and how many requests reach the server.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LoopbackGitHub } from '@infra/loopback';
import { gitHubClient, isLostReply, REPEATABLE, repoOf, type GitHubClient } from './client';

const TOKEN = 'ghs_client';
let gh: LoopbackGitHub;
let client: GitHubClient;
let log: string[];
const R = { owner: 'acme', repo: 'infra' };
const posts = () => gh.requests.filter((q) => q.method === 'POST').length;
const gets = () => gh.requests.filter((q) => q.method === 'GET').length;

test.before.each(async () => {
  gh = new LoopbackGitHub({ token: TOKEN, repository: 'acme/infra' });
  await gh.start();
  log = [];
  client = gitHubClient({ token: TOKEN, repository: 'acme/infra', apiUrl: `${gh.url}/` }, { userAgent: 'infra-test', retry: { attempts: 3, baseMs: 5, maxMs: 20, secondMs: 10, maxRateLimitWaitMs: 500 }, log: (l) => log.push(l) });
});
test.after.each(async () => { await gh.stop(); });

test('one construction: the token, the API URL (trailing slash or not), the repository split', async () => {
  assert.equal(repoOf({ repository: 'acme/infra' }), R);
  const issue = await client.rest.issues.create({ ...R, title: 't' });
  assert.is(issue.status, 201);
  const stranger = gitHubClient({ token: 'wrong', repository: 'acme/infra', apiUrl: gh.url }, { userAgent: 'x', retry: { baseMs: 1 } });
  try {
    await stranger.rest.issues.listForRepo(R);
    assert.unreachable();
  } catch (err) {
    assert.is((err as { status: number }).status, 401);
  }
  assert.is(gets(), 1, 'a 401 is not retried');
});

test('a 5xx is retried with backoff and then succeeds; one that lasts fails after the policy\'s tries', async () => {
  gh.fail(502, { method: 'POST' });
  gh.fail(503, { method: 'POST' });
  await client.rest.issues.create({ ...R, title: 'after two faults' });
  assert.is(posts(), 3);
  assert.is(gh.issues.length, 1);
  assert.equal(log.map((l) => l.replace(/\d+ ms/, 'N ms')), [
    'GitHub: POST /repos/{owner}/{repo}/issues: answered 502, trying again in N ms',
    'GitHub: POST /repos/{owner}/{repo}/issues: answered 503, trying again in N ms',
  ]);
  for (let i = 0; i < 3; i++) gh.fail(500, { method: 'GET' });
  try {
    await client.rest.issues.listForRepo(R);
    assert.unreachable();
  } catch (err) {
    assert.is((err as { status: number }).status, 500);
  }
  assert.is(gets(), 3, 'attempts: 3');
});

test('a 4xx is an answer: 403, 404 and 422 reach the server once', async () => {
  gh.fail(403, { method: 'POST' });
  for (const call of [() => client.rest.issues.create({ ...R, title: 'x' }), () => client.rest.issues.get({ ...R, issue_number: 99 }), () => client.rest.issues.create({ ...R, title: '' })]) {
    try {
      await call();
      assert.unreachable();
    } catch (err) {
      assert.ok([403, 404, 422].includes((err as { status: number }).status), String(err));
    }
  }
  assert.equal(gh.requests.map((q) => q.method), ['POST', 'GET', 'POST']);
  assert.is(gh.issues.length, 0);
});

test('a lost reply: a GET is asked again; a POST is not (it was carried out), and the caller can tell', async () => {
  gh.seed(1, () => ({ title: 'there' }));
  gh.loseReply({ method: 'GET' });
  const list = await client.rest.issues.listForRepo(R);
  assert.equal(list.data.map((i) => i.title), ['there']);
  assert.is(gets(), 2);
  gh.loseReply({ method: 'POST' });
  try {
    await client.rest.issues.create({ ...R, title: 'made once' });
    assert.unreachable();
  } catch (err) {
    assert.ok(isLostReply(err), String(err));
  }
  assert.is(posts(), 1, 'not repeated');
  assert.equal(gh.issues.map((i) => i.title), ['there', 'made once']);
  assert.not.ok(isLostReply(Object.assign(new Error('x'), { name: 'HttpError', status: 500, response: { status: 500 } })), 'a 500 that came is no lost reply');
});

test('a lost reply of a POST marked repeatable (a deployment status) is sent again', async () => {
  const d = await client.rest.repos.createDeployment({ ...R, ref: 'main', required_contexts: [] });
  const id = (d.data as { id: number }).id;
  gh.loseReply({ method: 'POST' });
  await client.rest.repos.createDeploymentStatus({ ...R, deployment_id: id, state: 'in_progress', request: REPEATABLE });
  assert.is(posts(), 3);
  assert.equal(gh.deployments[0].statuses.map((s) => s.state), ['in_progress', 'in_progress'], 'the duplicate status is harmless');
});

test('a rate limit is waited out as retry-after says; one that resets too late fails at once', async () => {
  gh.fail(429, { method: 'GET', headers: { 'retry-after': '3' } });
  const t0 = Date.now();
  await client.rest.issues.listForRepo(R);
  assert.ok(Date.now() - t0 >= 30, `waited 3 "seconds" of 10 ms (${Date.now() - t0} ms)`);
  assert.is(gets(), 2);
  assert.equal(log, ['GitHub: GET /repos/{owner}/{repo}/issues: rate limited, waiting 3 s']);
  gh.fail(403, { method: 'GET', message: 'API rate limit exceeded', headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600) } });
  try {
    await client.rest.issues.listForRepo(R);
    assert.unreachable();
  } catch (err) {
    assert.is((err as { status: number }).status, 403);
  }
  assert.is(gets(), 3, 'not retried: the wait is longer than the policy allows');
});

test('paging: a fault within a paginate is retried there, every item read once', async () => {
  gh.seed(250, (i) => ({ title: `issue ${i}` }));
  gh.fail(502, { method: 'GET' });
  gh.loseReply({ method: 'GET' });
  const all = await client.paginate(client.rest.issues.listForRepo, { ...R, per_page: 100 });
  assert.is(all.length, 250);
  assert.is(new Set(all.map((i) => i.number)).size, 250);
  assert.is(gets(), 5, '3 pages, one 502 and one lost reply');
});

test.run();
