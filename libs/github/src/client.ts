// The one construction of a GitHub client (@octokit/rest) for every production caller: the
// review's sticky comment, apply's Deployments record and reviewed hash, drift's issues. One
// retry policy (retry.ts) wraps every request it sends, pages of a paginate included. GitHub is
// found through GITHUB_API_URL as Actions sets it, so GitHub Enterprise and a loopback server
// work the same way.
import type * as Rest from '@octokit/rest';
import { DEFAULT_RETRY, retryDecision, type RetryPolicy } from './retry';

export type GitHubClient = Rest.Octokit;

export interface GitHubTarget {
  token: string;
  /** "owner/name" (GITHUB_REPOSITORY). */
  repository: string;
  /** GITHUB_API_URL; https://api.github.com by default. */
  apiUrl?: string;
}

export interface ClientOptions {
  /** Names the caller in GitHub's logs (infra-review, infra-apply, infra-drift). */
  userAgent: string;
  retry?: Partial<RetryPolicy>;
  /** Told each retry and why (a 5xx, a lost reply, a rate limit), e.g. the job's log. */
  log?: (line: string) => void;
}

/** Request option: a POST whose repetition is harmless (a deployment status) is retried after a lost reply too. */
export const REPEATABLE = { repeatable: true } as const;

/* eslint-disable @typescript-eslint/no-require-imports */
// Loaded on first use: commands that never talk to GitHub never pay for octokit.
const Octokit = () => (require('@octokit/rest') as typeof Rest).Octokit;
/* eslint-enable @typescript-eslint/no-require-imports */

const SILENT = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export function gitHubClient(target: GitHubTarget, options: ClientOptions): GitHubClient {
  const octokit = new (Octokit())({ auth: target.token, baseUrl: apiBase(target), userAgent: options.userAgent, log: SILENT });
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  octokit.hook.wrap('request', async (request, opts) => {
    let tries = 0;
    let waits = 0;
    for (;;) {
      try {
        return await request(opts);
      } catch (err) {
        const e = err as { status?: number; response?: { headers?: Record<string, string | number | undefined> } };
        const lost = isLostReply(err);
        if (!lost && typeof e.status !== 'number') throw err;
        if (lost || e.status! >= 500) tries++;
        const failure = { method: opts.method, ...(lost ? {} : { status: e.status }), headers: e.response?.headers, repeatable: (opts.request as { repeatable?: boolean } | undefined)?.repeatable === true };
        const d = retryDecision(failure, tries, waits, policy, Date.now());
        if (!d.retry) throw err;
        if (d.kind === 'rate-limit') waits++;
        options.log?.(`GitHub: ${opts.method} ${String(opts.url)}: ${d.kind === 'rate-limit' ? `rate limited, waiting ${Math.ceil(d.waitMs / policy.secondMs)} s` : `${lost ? 'no answer' : `answered ${e.status}`}, trying again in ${d.waitMs} ms`}`);
        await new Promise((resolve) => setTimeout(resolve, d.waitMs));
      }
    }
  });
  return octokit;
}

/** No answer came (the connection dropped or timed out): the request may or may not have been carried out. */
export function isLostReply(err: unknown): boolean {
  const e = err as { status?: number; response?: unknown; name?: string } | undefined;
  return !!e && !e.response && (e.name === 'AbortError' || (e.name === 'HttpError' && e.status === 500));
}

export function apiBase(target: Pick<GitHubTarget, 'apiUrl'>): string {
  return (target.apiUrl || 'https://api.github.com').replace(/\/$/, '');
}

export function repoOf(target: Pick<GitHubTarget, 'repository'>): { owner: string; repo: string } {
  const [owner, repo] = target.repository.split('/');
  return { owner, repo };
}

/** The policy's timing from INFRA_GITHUB_RETRY_MS (ms per second of waiting; tests make it small). */
export function retryFromEnv(env: NodeJS.ProcessEnv): Partial<RetryPolicy> | undefined {
  const ms = Number(env.INFRA_GITHUB_RETRY_MS);
  return env.INFRA_GITHUB_RETRY_MS && Number.isFinite(ms) && ms > 0 ? { baseMs: ms, secondMs: ms } : undefined;
}
