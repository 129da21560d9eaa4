import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BODY_LIMIT, GitHubError, issueMarker, issueTargetFromEnv, syncIssue, type IssueState } from './issue';
import { LoopbackGitHub } from '@infra/loopback';

const marker = issueMarker('drift', 'lenexa');
const state = (body?: string): IssueState => ({ marker, title: 'Drift in lenexa', body, closeComment: 'The drift is gone.' });

async function withGitHub(fn: (gh: LoopbackGitHub) => Promise<void>) {
  const gh = new LoopbackGitHub({ repository: 'acme/infra', token: 's3cret' });
  await gh.start();
  try {
    await fn(gh);
  } finally {
    await gh.stop();
  }
}

test('opened once, found again by its marker past the first pages, updated, then closed with a comment', async () => {
  await withGitHub(async (gh) => {
    const target = { token: 's3cret', repository: 'acme/infra', apiUrl: gh.url };
    const first = await syncIssue(target, state('1 difference'));
    assert.is(first.action, 'created');
    // 250 newer issues and pull requests, one of them a PR whose body starts with the same marker
    // (a PR is not the drift issue), push the drift issue to the third page.
    gh.seed(250, (i) => ({ body: i === 6 ? `${marker}\nquoted in a PR` : `other ${i}`, ...(i % 3 === 0 ? { pull_request: { url: 'x' } } : {}) }));
    const again = await syncIssue(target, state('2 differences'));
    assert.equal([again.action, again.number], ['updated', first.number]);
    assert.ok(gh.requests.some((r) => r.method === 'GET' && r.query.includes('page=3')), 'paged through the Link header');
    const same = await syncIssue(target, state('2 differences'));
    assert.is(same.action, 'none', 'an unchanged body is not written again');
    assert.is(gh.issues.filter((i) => i.body.startsWith(marker) && !i.pull_request).length, 1, 'one issue');
    assert.is(gh.issues[0].body, `${marker}\n2 differences`);
    const closed = await syncIssue(target, state(undefined));
    assert.equal([closed.action, closed.number], ['closed', first.number]);
    assert.equal([gh.issues[0].state, gh.issues[0].state_reason, gh.issues[0].comments.map((c) => c.body)], ['closed', 'completed', ['The drift is gone.']]);
    assert.is((await syncIssue(target, state(undefined))).action, 'none', 'nothing to close');
    assert.is((await syncIssue(target, state('back again'))).action, 'created', 'drift that returns opens a new issue');
  });
});

test('two open issues of one condition (a create GitHub carried out although it answered 5xx): the oldest is kept, the other closed as its duplicate', async () => {
  await withGitHub(async (gh) => {
    const target = { token: 's3cret', repository: 'acme/infra', apiUrl: gh.url };
    gh.seed(3, (i) => ({ body: i === 1 ? 'unrelated' : `${marker}\nold ${i}` }));
    const r = await syncIssue(target, state('2 differences'));
    assert.equal([r.action, r.number], ['updated', 1]);
    assert.equal(gh.issues.map((i) => [i.number, i.state, i.state_reason ?? null]), [[1, 'open', null], [2, 'open', null], [3, 'closed', 'not_planned']]);
    assert.equal(gh.issues[2].comments.map((c) => c.body), ['Duplicate of #1, which tracks this condition.']);
    assert.is(gh.issues[0].body, `${marker}\n2 differences`);
  });
});

test('a closing comment whose reply was lost is not posted twice', async () => {
  await withGitHub(async (gh) => {
    const target = { token: 's3cret', repository: 'acme/infra', apiUrl: gh.url };
    const opened = await syncIssue(target, state('1 difference'));
    gh.loseReply({ method: 'POST' });
    const closed = await syncIssue(target, state(undefined));
    assert.equal([closed.action, closed.number], ['closed', opened.number]);
    const issue = gh.issues.find((i) => i.number === opened.number)!;
    assert.equal([issue.state, issue.comments.map((c) => c.body)], ['closed', ['The drift is gone.']]);
  });
});

test('other environments and the drill have their own issue', async () => {
  await withGitHub(async (gh) => {
    const target = { token: 's3cret', repository: 'acme/infra', apiUrl: gh.url };
    await syncIssue(target, state('lenexa drift'));
    await syncIssue(target, { marker: issueMarker('drift', 'aws-dr'), title: 'Drift in aws-dr', body: 'aws-dr drift', closeComment: '' });
    await syncIssue(target, { marker: issueMarker('drill', 'aws-dr'), title: 'DR drill failed', body: 'failed', closeComment: '' });
    assert.equal(gh.issues.map((i) => i.body.split('\n')[0]), ['<!-- infra:drift:lenexa -->', '<!-- infra:drift:aws-dr -->', '<!-- infra:drill:aws-dr -->']);
  });
});

test('a body over GitHub\'s limit is cut with a note', async () => {
  await withGitHub(async (gh) => {
    await syncIssue({ token: 's3cret', repository: 'acme/infra', apiUrl: gh.url }, state('x'.repeat(70_000)));
    assert.is(gh.issues[0].body.length, BODY_LIMIT);
    assert.match(gh.issues[0].body, /cut at GitHub's size limit/);
  });
});

test('bad credentials, a read-only token, a wrong repository: what failed and what to do', async () => {
  await withGitHub(async (gh) => {
    const err = async (target: { token: string; repository: string; apiUrl: string }) => {
      try {
        await syncIssue(target, state('x'));
      } catch (e) {
        assert.instance(e, GitHubError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    assert.match(await err({ token: 'wrong', repository: 'acme/infra', apiUrl: gh.url }), /could not list the open issues of acme\/infra: HTTP 401 Bad credentials.*check GITHUB_TOKEN/);
    assert.match(await err({ token: 's3cret', repository: 'acme/other', apiUrl: gh.url }), /HTTP 404.*check GITHUB_REPOSITORY \(acme\/other\)/);
    gh.issues.length = 0;
    await syncIssue({ token: 's3cret', repository: 'acme/infra', apiUrl: gh.url }, state('x')).catch(() => {});
    gh.fail(403);
    assert.match(await err({ token: 's3cret', repository: 'acme/infra', apiUrl: gh.url }), /HTTP 403 .*permissions: issues: write/);
  });
});

test('through the one retry policy: a 5xx is retried, a lost create is found again (never two issues), a 4xx is not retried', async () => {
  await withGitHub(async (gh) => {
    const target = { token: 's3cret', repository: 'acme/infra', apiUrl: gh.url, retry: { baseMs: 5, secondMs: 5 } };
    gh.fail(502, { method: 'GET' });
    gh.fail(503, { method: 'POST' });
    const first = await syncIssue(target, state('1 difference'));
    assert.is(first.action, 'created');
    assert.equal(gh.requests.map((r) => r.method), ['GET', 'GET', 'POST', 'POST']);
    gh.issues.length = 0;
    gh.requests.length = 0;
    gh.loseReply({ method: 'POST' });
    const lost = await syncIssue(target, state('2 differences'));
    assert.is(lost.action, 'created');
    assert.equal(gh.issues.map((i) => i.number), [lost.number!], 'one issue');
    assert.equal(gh.requests.map((r) => r.method), ['GET', 'POST', 'GET']);
    gh.fail(422, { method: 'PATCH' });
    const refused = await syncIssue(target, state('3 differences')).catch((e: Error) => e);
    assert.instance(refused, GitHubError);
    assert.match((refused as Error).message, /could not update issue #\d+ of acme\/infra: HTTP 422/);
    assert.is(gh.requests.filter((r) => r.method === 'PATCH').length, 1);
  });
});

test('the target from GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_API_URL; every missing one named', () => {
  assert.equal(issueTargetFromEnv({ GITHUB_TOKEN: 't', GITHUB_REPOSITORY: 'a/b', GITHUB_API_URL: 'http://x' }), { token: 't', repository: 'a/b', apiUrl: 'http://x' });
  assert.equal(issueTargetFromEnv({ GITHUB_TOKEN: 't', GITHUB_REPOSITORY: 'a/b', INFRA_GITHUB_RETRY_MS: '5' }), { token: 't', repository: 'a/b', apiUrl: undefined, retry: { baseMs: 5, secondMs: 5 } });
  const problems = issueTargetFromEnv({}) as string[];
  assert.is(problems.length, 2);
  assert.match(problems[0], 'GITHUB_TOKEN is not set: --issue needs a token that may write issues');
  assert.match((issueTargetFromEnv({ GITHUB_TOKEN: 't', GITHUB_REPOSITORY: 'nope' }) as string[])[0], 'must be owner/name');
});

test.run();
