// The one sticky review comment of a pull request: found by its hidden marker among ALL the PR's
// comments (paged through with the Link headers), updated in place, created only when there is
// none. Retries 5xx answers and waits out rate limits (octokit's retry and throttling plugins).
import type * as Rest from '@octokit/rest';
import type * as Retry from '@octokit/plugin-retry';
import type * as Throttling from '@octokit/plugin-throttling';
import { COMMENT_LIMIT, REVIEW_MARKER } from './report';

export interface CommentTarget {
  token: string;
  /** "owner/name" (GITHUB_REPOSITORY). */
  repository: string;
  /** GITHUB_API_URL; https://api.github.com by default. */
  apiUrl?: string;
  pr: number;
  /** Seconds to wait before a retry are multiplied by this many ms (1000 on GitHub; tests use less). */
  retryBaseMs?: number;
}

export interface CommentResult {
  action: 'created' | 'updated';
  id: number;
  url: string;
}

/** GitHub refused or failed (exit 1): what was asked and what it answered. */
export class GitHubError extends Error {}

/* eslint-disable @typescript-eslint/no-require-imports */
// Loaded on first use: `infra diff` never pays for octokit.
let client: typeof Rest.Octokit | undefined;
const GitHubClient = () => (client ??= (require('@octokit/rest') as typeof Rest).Octokit.plugin(
  (require('@octokit/plugin-retry') as typeof Retry).retry,
  (require('@octokit/plugin-throttling') as typeof Throttling).throttling,
) as unknown as typeof Rest.Octokit);
/* eslint-enable @typescript-eslint/no-require-imports */

export async function upsertReviewComment(target: CommentTarget, body: string): Promise<CommentResult> {
  if (!body.startsWith(REVIEW_MARKER)) body = `${REVIEW_MARKER}\n${body}`;
  if (body.length > COMMENT_LIMIT) throw new GitHubError(`the comment is ${body.length} characters, over GitHub's limit of ${COMMENT_LIMIT}: shorten the body`);
  const [owner, repo] = target.repository.split('/');
  const base = target.retryBaseMs ?? 1000;
  const GitHub = GitHubClient();
  const octokit = new GitHub({
    auth: target.token,
    baseUrl: (target.apiUrl ?? 'https://api.github.com').replace(/\/$/, ''),
    userAgent: 'infra-review',
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    retry: { retryAfterBaseValue: base },
    throttle: {
      retryAfterBaseValue: base,
      fallbackSecondaryRateRetryAfter: 60,
      // Wait out a rate limit twice, then give up with the error.
      onRateLimit: (_after: number, _options: object, _o: unknown, retryCount: number) => retryCount < 2,
      onSecondaryRateLimit: (_after: number, _options: object, _o: unknown, retryCount: number) => retryCount < 2,
    },
  });
  const where = `${target.repository}#${target.pr}`;
  try {
    const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: target.pr, per_page: 100 });
    const mine = comments.find((c) => (c.body ?? '').startsWith(REVIEW_MARKER));
    if (mine) {
      const res = await octokit.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
      return { action: 'updated', id: res.data.id, url: res.data.html_url };
    }
    const res = await octokit.rest.issues.createComment({ owner, repo, issue_number: target.pr, body });
    return { action: 'created', id: res.data.id, url: res.data.html_url };
  } catch (err) {
    const e = err as { status?: number; message?: string };
    const hint = e.status === 401 ? 'check GITHUB_TOKEN'
      : e.status === 403 ? 'the token may not write to pull requests (a fork\'s PR gets a read-only token): the report is in the job summary and the review.json artifact'
      : e.status === 404 ? `check GITHUB_REPOSITORY (${target.repository}) and --pr ${target.pr}`
      : 'try again; the report is in the job summary and the review.json artifact';
    throw new GitHubError(`could not post the review comment on ${where}: ${e.status ? `HTTP ${e.status} ` : ''}${e.message ?? String(err)}; ${hint}`);
  }
}
