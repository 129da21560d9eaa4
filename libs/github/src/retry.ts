// The one retry policy of every GitHub call (the review's comment, apply's record and reviewed
// hash, drift's issues), as a pure decision so it is tested apart from any server:
// - a 5xx is retried with exponential backoff and jitter, a few times;
// - a reply lost on the way back (the connection dropped, no status) is retried the same way
//   when the request can be repeated safely: every method but POST, or a POST marked as safe to
//   repeat. Any other POST may have been carried out: it is not repeated, and the caller finds
//   out what exists (the sticky comment and issue look for their marker again);
// - a rate limit (429, or 403 with `x-ratelimit-remaining: 0` or `retry-after`) is waited out
//   as its headers say (`retry-after` seconds, else until `x-ratelimit-reset`), a bounded number
//   of times and never longer than a bound: past it, the call fails saying when the limit resets;
// - any other 4xx is the caller's mistake or missing permission: never retried.

export interface RetryPolicy {
  /** Tries of one request when it meets a 5xx or a lost reply, the first included. */
  attempts: number;
  /** The first backoff delay in ms; it doubles each retry, up to maxMs, with jitter. */
  baseMs: number;
  maxMs: number;
  /** Rate limits waited out per request before the call fails. */
  rateLimitWaits: number;
  /** The longest wait for a rate limit, in ms; a longer one fails at once. */
  maxRateLimitWaitMs: number;
  /** Milliseconds per second of GitHub's headers (1000; tests shrink time with it). */
  secondMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseMs: 1000, maxMs: 30_000, rateLimitWaits: 2, maxRateLimitWaitMs: 5 * 60_000, secondMs: 1000 };

/** A failed request, as the policy sees it. */
export interface Failure {
  method: string;
  /** The HTTP status; undefined when no answer came (the reply was lost). */
  status?: number;
  headers?: Record<string, string | number | undefined>;
  /** A POST that may be repeated (GitHub's answer would be the same or the duplicate harmless). */
  repeatable?: boolean;
}

export type Decision =
  | { retry: true; kind: 'server-error' | 'lost-reply' | 'rate-limit'; waitMs: number }
  | { retry: false; reason: string };

/**
 * Whether to try `failure` again and after how long. `tries`: the request's tries so far that met
 * a 5xx or a lost reply; `waits`: rate limits it waited out so far; `now`: epoch ms.
 */
export function retryDecision(failure: Failure, tries: number, waits: number, policy: RetryPolicy, now: number, random: () => number = Math.random): Decision {
  const { status } = failure;
  const header = (name: string) => {
    const v = failure.headers?.[name];
    return v === undefined ? undefined : String(v);
  };
  const backoff = () => {
    const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** (tries - 1));
    return Math.round(cap / 2 + random() * (cap / 2));
  };
  if (status === undefined) {
    if (failure.method.toUpperCase() === 'POST' && !failure.repeatable) return { retry: false, reason: 'the reply was lost and a POST may have been carried out' };
    if (tries >= policy.attempts) return { retry: false, reason: `no answer after ${tries} tries` };
    return { retry: true, kind: 'lost-reply', waitMs: backoff() };
  }
  if (status >= 500) {
    if (tries >= policy.attempts) return { retry: false, reason: `${status} after ${tries} tries` };
    return { retry: true, kind: 'server-error', waitMs: backoff() };
  }
  const retryAfter = header('retry-after');
  const limited = status === 429 || (status === 403 && (header('x-ratelimit-remaining') === '0' || retryAfter !== undefined));
  if (!limited) return { retry: false, reason: `${status} is an answer, not a fault` };
  const reset = Number(header('x-ratelimit-reset'));
  const seconds = retryAfter !== undefined && Number.isFinite(Number(retryAfter)) ? Number(retryAfter)
    : Number.isFinite(reset) && reset > 0 ? Math.max(0, reset - Math.floor(now / 1000)) + 1
      // A secondary rate limit without headers: GitHub asks for at least a minute.
      : 60;
  const waitMs = seconds * policy.secondMs;
  if (waits >= policy.rateLimitWaits) return { retry: false, reason: `rate limited ${waits + 1} times` };
  if (waitMs > policy.maxRateLimitWaitMs) return { retry: false, reason: `rate limited for ${seconds} s, longer than the ${Math.round(policy.maxRateLimitWaitMs / policy.secondMs)} s this waits` };
  return { retry: true, kind: 'rate-limit', waitMs };
}
