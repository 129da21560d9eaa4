// The sticky comment against the loopback GitHub (@infra/loopback): created once, then updated
// in place; found when it is not on the first page; a 5xx retried; a report of thousands of
// hosts posted under the limit with its risks intact; auth and permission failures explained.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { EnvironmentDiff, TerraformChange } from '@infra/render';
import { GitHubError, upsertReviewComment } from './comment';
import { COMMENT_LIMIT, markdownReport, REVIEW_MARKER } from './report';
import type { Review } from './review';
import { LoopbackGitHub, type LoopbackComment } from '@infra/loopback';

const TOKEN = 'ghs_loopbacktoken';
let gh: LoopbackGitHub;
/** The comments of pull request 7, the one reviewed. */
let comments: LoopbackComment[];
const target = (over: Partial<Parameters<typeof upsertReviewComment>[0]> = {}) => ({ token: TOKEN, repository: 'lenexa/infra', apiUrl: gh.url, pr: 7, retryBaseMs: 5, ...over });

test.before.each(async () => {
  gh = new LoopbackGitHub({ token: TOKEN, repository: 'lenexa/infra' });
  await gh.start();
  comments = gh.pull(7).comments;
});
test.after.each(async () => { await gh.stop(); });

test('posting twice leaves exactly one comment, updated in place', async () => {
  const first = await upsertReviewComment(target(), `${REVIEW_MARKER}\nfirst`);
  const second = await upsertReviewComment(target(), `${REVIEW_MARKER}\nsecond`);
  assert.is(first.action, 'created');
  assert.is(second.action, 'updated');
  assert.is(second.id, first.id);
  assert.is(comments.length, 1);
  assert.is(comments[0].body, `${REVIEW_MARKER}\nsecond`);
});

test('the comment is found when it is not on the first page (Link pagination)', async () => {
  for (let i = 0; i < 240; i++) comments.push({ id: i + 1, body: `chatter ${i}`, html_url: `x#${i}`, user: { login: 'someone' } });
  comments.splice(215, 0, { id: 9999, body: `${REVIEW_MARKER}\nold report`, html_url: 'x#9999', user: { login: 'github-actions[bot]' } });
  const r = await upsertReviewComment(target(), `${REVIEW_MARKER}\nnew report`);
  assert.equal([r.action, r.id], ['updated', 9999]);
  assert.is(comments.length, 241);
  assert.is(comments.filter((c) => c.body.startsWith(REVIEW_MARKER)).length, 1);
  const pages = gh.requests.filter((q) => q.method === 'GET').map((q) => q.path + q.query);
  assert.ok(pages.some((p) => p.includes('page=3')), pages.join(' '));
});

test('a 5xx is retried and then succeeds', async () => {
  gh.fail(502, { method: 'POST' });
  const r = await upsertReviewComment(target(), `${REVIEW_MARKER}\nbody`);
  assert.is(r.action, 'created');
  assert.is(gh.requests.filter((q) => q.method === 'POST').length, 2);
  assert.is(comments.length, 1);
});

test('a bad token and a read-only token are explained, nothing is posted', async () => {
  try {
    await upsertReviewComment(target({ token: 'wrong' }), 'x');
    assert.unreachable();
  } catch (err) {
    assert.instance(err, GitHubError);
    assert.match((err as Error).message, /HTTP 401 .*check GITHUB_TOKEN/);
  }
  gh.fail(403, { method: 'POST' });
  try {
    await upsertReviewComment(target(), 'x');
    assert.unreachable();
  } catch (err) {
    assert.match((err as Error).message, /HTTP 403 .*read-only token.*job summary/);
  }
  assert.is(comments.length, 0);
});

test('the loopback GitHub answers 422 over 65,536 characters, and the client never sends one', async () => {
  const res = await fetch(`${gh.url}/repos/lenexa/infra/issues/7/comments`, { method: 'POST', headers: { authorization: `token ${TOKEN}` }, body: JSON.stringify({ body: 'x'.repeat(COMMENT_LIMIT + 1) }) });
  assert.is(res.status, 422);
  try {
    await upsertReviewComment(target(), `${REVIEW_MARKER}\n${'x'.repeat(COMMENT_LIMIT)}`);
    assert.unreachable();
  } catch (err) {
    assert.match((err as Error).message, /over GitHub's limit of 65536/);
  }
});

test('a review of thousands of hosts posts under the limit, its risks intact', async () => {
  const creates: TerraformChange[] = Array.from({ length: 4000 }, (_, i) => ({ address: `vsphere_virtual_machine.agent-${i}`, action: 'create', reasons: [], attributes: [], dataHolding: 'none', role: 'mesos-agent', host: `agent-${i}` }));
  const risks = Array.from({ length: 40 }, (_, i) => ({ id: 'data-holding-replaced', severity: 'high' as const, address: `vsphere_virtual_machine.db-${i}`, message: `vsphere_virtual_machine.db-${i} holds data and is replaced` }));
  const env: EnvironmentDiff = { name: 'synth', reviewedHash: 'c'.repeat(64), counts: { created: 4000, updated: 0, replaced: 40, destroyed: 0, appsRestarted: 0, hostsDecommissioned: 0, instancesAffected: 0, risks: 40, vmsCreated: 4000, vmsReplaced: 40, vmsDestroyed: 0 }, risks, changes: { terraform: creates, cloudInit: [], marathon: [], hadoop: [], patches: [], summary: [] } };
  const review: Review = { schema: 'infra.diff/v1', base: { ref: 'main', sha: 'a'.repeat(40) }, head: { ref: 'working tree', sha: 'b'.repeat(40) }, environments: [env] };
  const body = markdownReport(review, COMMENT_LIMIT);
  await upsertReviewComment(target(), body);
  const posted = comments[0].body;
  assert.ok(posted.length <= COMMENT_LIMIT);
  for (const r of risks) assert.ok(posted.includes(r.message), r.address);
  assert.ok(posted.includes(`<!-- infra:reviewed env=synth sha256=${'c'.repeat(64)} head=${'b'.repeat(40)} -->`));
});

test('two sticky comments (a create GitHub carried out although it answered 5xx): the oldest is updated, the other removed', async () => {
  const pr = gh.pull(7);
  pr.comments.push({ id: 501, body: `${REVIEW_MARKER}\nold`, html_url: 'x#501', user: { login: 'github-actions[bot]' } });
  pr.comments.push({ id: 502, body: 'a person\'s comment', html_url: 'x#502', user: { login: 'octocat' } });
  pr.comments.push({ id: 503, body: `${REVIEW_MARKER}\nduplicate`, html_url: 'x#503', user: { login: 'github-actions[bot]' } });
  const r = await upsertReviewComment(target(), `${REVIEW_MARKER}\nnew`);
  assert.equal({ action: r.action, id: r.id }, { action: 'updated', id: 501 });
  assert.equal(comments.map((c) => [c.id, c.body]), [[501, `${REVIEW_MARKER}\nnew`], [502, 'a person\'s comment']]);
});

test('a create whose reply was lost is not repeated blindly: still exactly one comment', async () => {
  gh.loseReply({ method: 'POST' });
  const r = await upsertReviewComment(target(), `${REVIEW_MARKER}\nbody`);
  assert.is(r.action, 'created');
  assert.is(comments.length, 1);
  assert.is(r.id, comments[0].id);
  assert.is(gh.requests.filter((q) => q.method === 'POST').length, 1, 'found again, not posted again');
});

test('a rate limit is waited out as its headers say; a 4xx other than a rate limit is not retried', async () => {
  gh.fail(403, { method: 'GET', message: 'You have exceeded a secondary rate limit', headers: { 'retry-after': '2' } });
  assert.is((await upsertReviewComment(target(), `${REVIEW_MARKER}\nbody`)).action, 'created');
  assert.is(gh.requests.filter((q) => q.method === 'GET').length, 2);
  gh.fail(404, { method: 'PATCH' });
  try {
    await upsertReviewComment(target(), `${REVIEW_MARKER}\nagain`);
    assert.unreachable();
  } catch (err) {
    assert.match((err as Error).message, /HTTP 404 .*check GITHUB_REPOSITORY \(lenexa\/infra\) and --pr 7/);
  }
  assert.is(gh.requests.filter((q) => q.method === 'PATCH').length, 1);
});

test.run();
