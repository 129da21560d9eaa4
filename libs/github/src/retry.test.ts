import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_RETRY, retryDecision, type RetryPolicy } from './retry';

const P: RetryPolicy = { ...DEFAULT_RETRY, attempts: 3, baseMs: 100, maxMs: 250, rateLimitWaits: 2, maxRateLimitWaitMs: 60_000, secondMs: 1000 };
const NOW = 1_700_000_000_000;
const half = () => 0.5;

test('a 5xx: backoff doubling from baseMs up to maxMs, with jitter in its upper half; given up after `attempts` tries', () => {
  assert.equal(retryDecision({ method: 'GET', status: 502 }, 1, 0, P, NOW, () => 0), { retry: true, kind: 'server-error', waitMs: 50 });
  assert.equal(retryDecision({ method: 'POST', status: 503 }, 1, 0, P, NOW, () => 1), { retry: true, kind: 'server-error', waitMs: 100 });
  assert.equal(retryDecision({ method: 'GET', status: 500 }, 2, 0, P, NOW, () => 1), { retry: true, kind: 'server-error', waitMs: 200 });
  assert.equal(retryDecision({ method: 'GET', status: 500 }, 3, 0, P, NOW, half), { retry: false, reason: '500 after 3 tries' });
  const capped = retryDecision({ method: 'GET', status: 500 }, 2, 0, { ...P, attempts: 9 }, NOW, () => 1);
  assert.equal(retryDecision({ method: 'GET', status: 500 }, 8, 0, { ...P, attempts: 9 }, NOW, () => 1), { retry: true, kind: 'server-error', waitMs: 250 });
  assert.equal(capped, { retry: true, kind: 'server-error', waitMs: 200 });
});

test('a lost reply: repeated for every method but a POST, unless the POST is marked repeatable', () => {
  for (const method of ['GET', 'PATCH', 'PUT', 'DELETE']) assert.equal(retryDecision({ method }, 1, 0, P, NOW, () => 1), { retry: true, kind: 'lost-reply', waitMs: 100 }, method);
  assert.equal(retryDecision({ method: 'POST' }, 1, 0, P, NOW, half), { retry: false, reason: 'the reply was lost and a POST may have been carried out' });
  assert.equal(retryDecision({ method: 'POST', repeatable: true }, 1, 0, P, NOW, () => 1), { retry: true, kind: 'lost-reply', waitMs: 100 });
  assert.equal(retryDecision({ method: 'GET' }, 3, 0, P, NOW, half), { retry: false, reason: 'no answer after 3 tries' });
});

test('any other 4xx is never retried', () => {
  for (const status of [400, 401, 403, 404, 409, 410, 422]) assert.is(retryDecision({ method: 'GET', status }, 0, 0, P, NOW, half).retry, false, String(status));
  assert.equal(retryDecision({ method: 'POST', status: 403, headers: { 'x-ratelimit-remaining': '4999' } }, 0, 0, P, NOW, half), { retry: false, reason: '403 is an answer, not a fault' });
});

test('a rate limit is waited out as its headers say: retry-after, else until x-ratelimit-reset, else a minute', () => {
  assert.equal(retryDecision({ method: 'GET', status: 429, headers: { 'retry-after': '7' } }, 0, 0, P, NOW, half), { retry: true, kind: 'rate-limit', waitMs: 7000 });
  assert.equal(retryDecision({ method: 'GET', status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 30) } }, 0, 0, P, NOW, half), { retry: true, kind: 'rate-limit', waitMs: 31_000 });
  assert.equal(retryDecision({ method: 'GET', status: 403, headers: { 'retry-after': '3' } }, 0, 0, P, NOW, half), { retry: true, kind: 'rate-limit', waitMs: 3000 }, 'a secondary rate limit');
  assert.equal(retryDecision({ method: 'GET', status: 429 }, 0, 0, P, NOW, half), { retry: true, kind: 'rate-limit', waitMs: 60_000 });
});

test('a rate limit past the longest wait, or met too often, fails at once', () => {
  assert.equal(retryDecision({ method: 'GET', status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 3600) } }, 0, 0, P, NOW, half),
    { retry: false, reason: 'rate limited for 3601 s, longer than the 60 s this waits' });
  assert.equal(retryDecision({ method: 'GET', status: 429, headers: { 'retry-after': '1' } }, 0, 2, P, NOW, half), { retry: false, reason: 'rate limited 3 times' });
});

test.run();
