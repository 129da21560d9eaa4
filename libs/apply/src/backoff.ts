// Retries of transient failures (Marathon's leader election, a 5xx, a dropped connection):
// exponential backoff with full jitter, so that many apps retrying at once do not arrive together.

export interface Backoff {
  /** First delay, in ms. */
  baseMs: number;
  /** Largest delay, in ms. */
  maxMs: number;
  /** Attempts before giving up (the first included). */
  attempts: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 500, maxMs: 15_000, attempts: 8 };

/** The delay before retry number `attempt` (1-based): uniform in [base/2, min(max, base·2^(attempt-1))]. */
export function backoffDelay(b: Backoff, attempt: number, random: () => number = Math.random): number {
  const cap = Math.min(b.maxMs, b.baseMs * 2 ** (attempt - 1));
  const floor = Math.min(cap, b.baseMs / 2);
  return Math.round(floor + random() * (cap - floor));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
