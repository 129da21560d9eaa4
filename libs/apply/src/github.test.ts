import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StepFailed } from './errors';
import { GitHubApi, GitHubRecord, reviewedHashOf } from './github';
import { LoopbackGitHub } from '@infra/loopback';
import { createZip } from './testing/zip';

async function withGitHub(fn: (gh: LoopbackGitHub, api: GitHubApi) => Promise<void>) {
  const gh = new LoopbackGitHub();
  const apiUrl = await gh.start();
  try {
    await fn(gh, new GitHubApi({ token: 'ghs_test', repository: 'acme/infra', apiUrl, logUrl: 'https://github.example/acme/infra/actions/runs/7' }));
  } finally {
    await gh.stop();
  }
}

const TO = 'b'.repeat(40);

test('one Deployment per attempt, a status per step transition, success when applied', async () => {
  await withGitHub(async (gh, api) => {
    const rec = new GitHubRecord(api);
    const attempt = { from: 'a'.repeat(40), to: TO, startedAt: 'now', steps: {} as Record<string, { status: 'running' | 'done' | 'failed'; startedAt: string }> };
    await rec.write('lenexa', { attempt });
    attempt.steps.terraform = { status: 'running', startedAt: '' };
    await rec.write('lenexa', { attempt });
    attempt.steps.terraform = { status: 'done', startedAt: '' };
    await rec.write('lenexa', { attempt });
    attempt.steps.marathon = { status: 'failed', startedAt: '' };
    await rec.write('lenexa', { attempt });
    assert.is(gh.deployments.length, 1);
    assert.equal(gh.deployments[0].payload, { from: 'a'.repeat(40), to: TO, steps: [] });
    assert.equal(gh.deployments[0].statuses.map((s) => `${s.state} ${s.description}`), [
      'in_progress started', 'in_progress terraform: running', 'in_progress terraform: done', 'failure marathon: failed',
    ]);
    assert.ok(gh.deployments[0].statuses.every((s) => s.log_url === 'https://github.example/acme/infra/actions/runs/7'));

    // The next run reads where it stopped, and its attempt is a new Deployment.
    const read = await new GitHubRecord(api).read('lenexa');
    assert.is(read.applied, undefined);
    assert.is(read.attempt?.to, TO);
    assert.equal(Object.keys(read.attempt!.steps), ['terraform']);
    const rec2 = new GitHubRecord(api);
    await rec2.write('lenexa', { attempt: read.attempt });
    await rec2.write('lenexa', { applied: { commit: TO, at: '' } });
    assert.is(gh.deployments.length, 2);
    assert.equal(gh.deployments[1].payload, { from: 'a'.repeat(40), to: TO, steps: ['terraform'] });
    assert.is(gh.deployments[1].statuses.at(-1)!.state, 'success');
    assert.is((await new GitHubRecord(api).read('lenexa')).applied?.commit, TO);
    assert.equal(await new GitHubRecord(api).read('aws-dr'), {});
  });
});

test('the reviewed hash is read from the merged PR\'s sticky comment, across pages', async () => {
  await withGitHub(async (gh, api) => {
    const hash = 'c'.repeat(64);
    gh.pulls.set(TO, [{ number: 42, merged_at: '2026-01-01T00:00:00Z' }]);
    gh.pull(42).comments.push(
      ...Array.from({ length: 130 }, (_, i) => ({ id: i, body: `chatter ${i}`, html_url: `x#${i}`, user: { login: 'someone' } })),
      { id: 999, html_url: 'x#999', user: { login: 'github-actions[bot]' }, body: `<!-- infra:review -->\n## infra diff\n<!-- infra:reviewed env=aws-dr sha256=${'d'.repeat(64)} head=${TO} -->\n<!-- infra:reviewed env=lenexa sha256=${hash} head=${TO} -->` },
    );
    assert.is(await reviewedHashOf(api, 'lenexa', TO), hash);
    assert.is(await reviewedHashOf(api, 'staging', TO), undefined);
    assert.is(await reviewedHashOf(api, 'lenexa', 'e'.repeat(40)), undefined, 'a push without a PR');
  });
});

test('a fork\'s PR (no comment): the hash is read from the review.json artifact of its head commit', async () => {
  await withGitHub(async (gh, api) => {
    const head = 'f'.repeat(40);
    const hash = '9'.repeat(64);
    gh.pulls.set(TO, [{ number: 43, merged_at: '2026-01-01T00:00:00Z', head: { sha: head } }]);
    gh.runs.set(head, [{ id: 77, artifacts: {
      'other-logs': createZip({ 'x.txt': 'x' }),
      review: createZip({ 'README.txt': 'hi', 'review.json': JSON.stringify({ schema: 'infra.diff/v1', head: { ref: 'pr', sha: head }, environments: [{ name: 'lenexa', reviewedHash: hash }] }) }),
    } }]);
    assert.is(await reviewedHashOf(api, 'lenexa', TO), hash);
    assert.is(await reviewedHashOf(api, 'aws-dr', TO), undefined);
  });
});

test('a wrong token says which permissions the job needs', async () => {
  const gh = new LoopbackGitHub();
  const apiUrl = await gh.start();
  try {
    const err = await new GitHubRecord(new GitHubApi({ token: 'nope', repository: 'acme/infra', apiUrl })).read('lenexa').catch((e) => e);
    assert.match(err.message, 'GitHub answered 401');
    assert.match(err.message, 'deployments: write');
  } finally {
    await gh.stop();
  }
});

test('through the one retry policy: a 5xx retried, a lost status sent again, a lost deployment not (exit 1, resumable), a 4xx not retried', async () => {
  const gh = new LoopbackGitHub();
  const apiUrl = await gh.start();
  try {
    const api = new GitHubApi({ token: 'ghs_test', repository: 'acme/infra', apiUrl, retry: { baseMs: 5, secondMs: 5 } });
    const attempt = { from: 'a'.repeat(40), to: TO, startedAt: 'now', steps: {} as Record<string, { status: 'running' | 'done' | 'failed'; startedAt: string }> };
    gh.fail(502, { method: 'POST' });
    gh.loseReply({ method: 'GET' });
    const rec = new GitHubRecord(api);
    assert.equal(await rec.read('lenexa'), {});
    await rec.write('lenexa', { attempt });
    assert.is(gh.deployments.length, 1, 'the 502 retried, one deployment');
    gh.loseReply({ method: 'POST' });
    attempt.steps.terraform = { status: 'running', startedAt: '' };
    await rec.write('lenexa', { attempt });
    assert.equal(gh.deployments[0].statuses.map((st) => st.description), ['started', 'terraform: running', 'terraform: running'], 'a lost status is sent again');
    gh.loseReply({ method: 'POST' });
    const err = await new GitHubRecord(api).write('lenexa', { attempt: { ...attempt, to: 'c'.repeat(40) } }).catch((e: Error) => e);
    assert.instance(err, StepFailed);
    assert.match((err as Error).message, /^GitHub did not answer POST \/repos\/acme\/infra\/deployments .*run infra apply again/);
    assert.is(gh.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/deployments')).length, 3, 'a deployment is not created twice blindly');
    gh.fail(403, { method: 'GET' });
    const denied = await reviewedHashOf(api, 'lenexa', TO).catch((e: Error) => e);
    assert.match((denied as Error).message, 'GitHub answered 403');
    assert.is(gh.requests.filter((q) => q.path.endsWith('/pulls')).length, 1, 'not retried');
  } finally {
    await gh.stop();
  }
});

test.run();
