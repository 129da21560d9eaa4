// The one sticky review comment of a pull request: found by its hidden marker among ALL the PR's
// comments (paged through with the Link headers), updated in place, created only when there is
// none. GitHub through libs/github's one client and retry policy (5xx and lost replies retried
// with backoff, rate limits waited out as their headers say, 4xx not); a create whose reply was
// lost may have been made, so the comment is looked for again before it is created again; a
// second sticky comment that got made anyway is removed on the next run.
import { gitHubClient, isLostReply, repoOf, type GitHubClient } from '@infra/github';
import { COMMENT_LIMIT, REVIEW_MARKER } from './report';

export interface CommentTarget {
  token: string;
  /** "owner/name" (GITHUB_REPOSITORY). */
  repository: string;
  /** GITHUB_API_URL; https://api.github.com by default. */
  apiUrl?: string;
  pr: number;
  /** Ms per second of waiting before a retry (1000 on GitHub; tests use less): libs/github's policy timing. */
  retryBaseMs?: number;
}

export interface CommentResult {
  action: 'created' | 'updated';
  id: number;
  url: string;
}

/** GitHub refused or failed (exit 1): what was asked and what it answered. */
export class GitHubError extends Error {}

export async function upsertReviewComment(target: CommentTarget, body: string): Promise<CommentResult> {
  if (!body.startsWith(REVIEW_MARKER)) body = `${REVIEW_MARKER}\n${body}`;
  if (body.length > COMMENT_LIMIT) throw new GitHubError(`the comment is ${body.length} characters, over GitHub's limit of ${COMMENT_LIMIT}: shorten the body`);
  const { owner, repo } = repoOf(target);
  const base = target.retryBaseMs;
  const octokit = gitHubClient(target, { userAgent: 'infra-review', ...(base === undefined ? {} : { retry: { baseMs: base, secondMs: base } }) });
  const where = `${target.repository}#${target.pr}`;
  const marked = async (client: GitHubClient) => {
    const comments = await client.paginate(client.rest.issues.listComments, { owner, repo, issue_number: target.pr, per_page: 100 });
    return comments.filter((c) => (c.body ?? '').startsWith(REVIEW_MARKER));
  };
  const find = async (client: GitHubClient) => (await marked(client))[0];
  try {
    const [mine, ...extra] = await marked(octokit);
    if (mine) {
      // More than one sticky comment (a create GitHub carried out although it answered 5xx, or two
      // runs at once): the oldest is the one, the others are removed so the PR shows one review.
      for (const c of extra) await octokit.rest.issues.deleteComment({ owner, repo, comment_id: c.id });
      const res = await octokit.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
      return { action: 'updated', id: res.data.id, url: res.data.html_url };
    }
    try {
      const res = await octokit.rest.issues.createComment({ owner, repo, issue_number: target.pr, body });
      return { action: 'created', id: res.data.id, url: res.data.html_url };
    } catch (err) {
      if (!isLostReply(err)) throw err;
      // The reply was lost: the comment may exist now. Never two sticky comments.
      const made = await find(octokit);
      if (made) {
        const res = made.body === body ? { data: made } : await octokit.rest.issues.updateComment({ owner, repo, comment_id: made.id, body });
        return { action: 'created', id: res.data.id, url: res.data.html_url };
      }
      const res = await octokit.rest.issues.createComment({ owner, repo, issue_number: target.pr, body });
      return { action: 'created', id: res.data.id, url: res.data.html_url };
    }
  } catch (err) {
    const e = err as { status?: number; message?: string };
    const hint = e.status === 401 ? 'check GITHUB_TOKEN'
      : e.status === 403 ? 'the token may not write to pull requests (a fork\'s PR gets a read-only token): the report is in the job summary and the review.json artifact'
      : e.status === 404 ? `check GITHUB_REPOSITORY (${target.repository}) and --pr ${target.pr}`
      : 'try again; the report is in the job summary and the review.json artifact';
    const what = isLostReply(err) ? `GitHub did not answer (${e.message ?? String(err)})` : `${e.status ? `HTTP ${e.status} ` : ''}${e.message ?? String(err)}`;
    throw new GitHubError(`could not post the review comment on ${where}: ${what}; ${hint}`);
  }
}
