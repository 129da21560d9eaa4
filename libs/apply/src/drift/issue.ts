import { gitHubClient, isLostReply, repoOf, retryFromEnv, type RetryPolicy } from '@infra/github';

// The one GitHub issue of a condition that lasts (DESIGN §3 markers): the drift of an
// environment (<!-- infra:drift:ENV -->) or a failed DR drill (<!-- infra:drill:ENV -->). It is
// found again by the hidden marker that starts its body, among every open issue (paged through
// with the Link headers), opened once when the condition appears, edited while it lasts, and
// closed with a comment when it is gone. GitHub through GITHUB_TOKEN, GITHUB_REPOSITORY and
// GITHUB_API_URL, so GitHub Enterprise and a loopback server work the same way; through libs/github's
// one client and retry policy (a 5xx or a lost reply retried, rate limits waited out, 4xx not).
// An issue whose creation lost its reply may exist: it is looked for again, never opened twice.

export interface IssueTarget {
  token: string;
  /** "owner/name" (GITHUB_REPOSITORY). */
  repository: string;
  /** GITHUB_API_URL; https://api.github.com by default. */
  apiUrl?: string;
  /** The retry policy's timing (INFRA_GITHUB_RETRY_MS; tests shrink it). */
  retry?: Partial<RetryPolicy>;
}

export interface IssueState {
  /** The hidden marker the body starts with. */
  marker: string;
  title: string;
  /** The body (after the marker) while the condition lasts; undefined when it is gone. */
  body?: string;
  /** Posted on the issue as it is closed. */
  closeComment: string;
}

export interface IssueResult {
  action: 'created' | 'updated' | 'closed' | 'none';
  number?: number;
  url?: string;
}

/** GitHub refused or failed: what was asked, what it answered, what to do. */
export class GitHubError extends Error {}

/** GitHub's limit on an issue body. */
export const BODY_LIMIT = 65_536;

export function issueMarker(kind: 'drift' | 'drill', env: string): string {
  return `<!-- infra:${kind}:${env} -->`;
}

export function issueTargetFromEnv(env: NodeJS.ProcessEnv): IssueTarget | string[] {
  const missing = ['GITHUB_TOKEN', 'GITHUB_REPOSITORY'].filter((k) => !env[k]);
  if (missing.length) return missing.map((k) => `${k} is not set: --issue needs ${k === 'GITHUB_TOKEN' ? 'a token that may write issues (issues: write)' : 'the repository as owner/name'}; in Actions it is set for you.`);
  if (!/^[^/\s]+\/[^/\s]+$/.test(env.GITHUB_REPOSITORY!)) return [`GITHUB_REPOSITORY is "${env.GITHUB_REPOSITORY}": it must be owner/name.`];
  const retry = retryFromEnv(env);
  return { token: env.GITHUB_TOKEN!, repository: env.GITHUB_REPOSITORY!, apiUrl: env.GITHUB_API_URL || undefined, ...(retry ? { retry } : {}) };
}

/** The body with its marker, cut to GitHub's limit with a note (the full report is in the job's summary). */
export function issueBody(marker: string, body: string): string {
  const full = `${marker}\n${body}`;
  if (full.length <= BODY_LIMIT) return full;
  const note = '\n\n… cut at GitHub\'s size limit: the whole report is in the run\'s job summary and `infra drift --format json`.\n';
  return full.slice(0, BODY_LIMIT - note.length) + note;
}

export async function syncIssue(target: IssueTarget, state: IssueState): Promise<IssueResult> {
  const { owner, repo } = repoOf(target);
  const octokit = gitHubClient(target, { userAgent: 'infra-drift', ...(target.retry ? { retry: target.retry } : {}) });
  // The list holds pull requests too (they are issues to GitHub): those are skipped.
  const marked = async () => (await octokit.paginate(octokit.rest.issues.listForRepo, { owner, repo, state: 'open', per_page: 100 }))
    .filter((i) => !i.pull_request && (i.body ?? '').startsWith(state.marker)).sort((a, b) => a.number - b.number);
  const find = async () => (await marked())[0];
  let step = 'list the open issues of';
  try {
    const [mine, ...extra] = await marked();
    // More than one open issue of the condition (a create GitHub carried out although it answered
    // 5xx, or two runs at once): the oldest is the one, the others are closed as its duplicates.
    for (const dup of extra) {
      step = `close duplicate issue #${dup.number} of`;
      await octokit.rest.issues.createComment({ owner, repo, issue_number: dup.number, body: `Duplicate of #${mine!.number}, which tracks this condition.` });
      await octokit.rest.issues.update({ owner, repo, issue_number: dup.number, state: 'closed', state_reason: 'not_planned' });
    }
    if (state.body !== undefined) {
      const body = issueBody(state.marker, state.body);
      if (mine) {
        step = `update issue #${mine.number} of`;
        if (mine.body === body && mine.title === state.title) return { action: 'none', number: mine.number, url: mine.html_url };
        const res = await octokit.rest.issues.update({ owner, repo, issue_number: mine.number, title: state.title, body });
        return { action: 'updated', number: res.data.number, url: res.data.html_url };
      }
      step = 'open an issue in';
      try {
        const res = await octokit.rest.issues.create({ owner, repo, title: state.title, body });
        return { action: 'created', number: res.data.number, url: res.data.html_url };
      } catch (err) {
        if (!isLostReply(err)) throw err;
        const made = await find();
        if (made) return { action: 'created', number: made.number, url: made.html_url };
        const res = await octokit.rest.issues.create({ owner, repo, title: state.title, body });
        return { action: 'created', number: res.data.number, url: res.data.html_url };
      }
    }
    if (!mine) return { action: 'none' };
    step = `close issue #${mine.number} of`;
    try {
      await octokit.rest.issues.createComment({ owner, repo, issue_number: mine.number, body: state.closeComment });
    } catch (err) {
      if (!isLostReply(err)) throw err;
      // The reply was lost: the comment may be there now. Never two closing comments.
      const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: mine.number, per_page: 100 });
      if (comments.at(-1)?.body !== state.closeComment) await octokit.rest.issues.createComment({ owner, repo, issue_number: mine.number, body: state.closeComment });
    }
    const res = await octokit.rest.issues.update({ owner, repo, issue_number: mine.number, state: 'closed', state_reason: 'completed' });
    return { action: 'closed', number: res.data.number, url: res.data.html_url };
  } catch (err) {
    const e = err as { status?: number; message?: string };
    const hint = e.status === 401 ? 'check GITHUB_TOKEN'
      : e.status === 403 ? 'the token may not write issues: give the job `permissions: issues: write`'
      : e.status === 404 ? `check GITHUB_REPOSITORY (${target.repository}) and GITHUB_API_URL`
      : 'run again later; the report is in the job summary';
    const what = isLostReply(err) ? `GitHub did not answer (${e.message ?? String(err)})` : `${e.status ? `HTTP ${e.status} ` : ''}${e.message ?? String(err)}`;
    throw new GitHubError(`could not ${step} ${target.repository}: ${what}; ${hint}.`);
  }
}
