import { REVIEW_MARKER, reviewedHashIn } from '@infra/render';
import { gitHubClient, isLostReply, REPEATABLE, retryFromEnv, type GitHubClient, type RetryPolicy } from '@infra/github';
import { StepFailed } from './errors';
import { readZipEntry } from './zip';
import { STEP_ORDER, type ApplyRecord, type EnvironmentRecord, type StepName } from './record';

// GitHub as the record in Actions (DESIGN §3): one Deployment per apply attempt and environment
// (payload: from, to, the steps already done), a status per step transition with the run's
// log_url; the last applied commit is the newest successful deployment's `to`. And the reviewed
// hash of a merge: the sticky review comment of the commit's pull request.

export interface GitHubConfig {
  token: string;
  /** owner/name */
  repository: string;
  apiUrl?: string;
  /** The run's page, for each status (GITHUB_SERVER_URL/REPO/actions/runs/RUN_ID). */
  logUrl?: string;
  /** The retry policy's timing (INFRA_GITHUB_RETRY_MS; tests shrink it). */
  retry?: Partial<RetryPolicy>;
}

export function gitHubConfigFromEnv(env: NodeJS.ProcessEnv): GitHubConfig | undefined {
  if (!env.GITHUB_TOKEN || !env.GITHUB_REPOSITORY) return undefined;
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const retry = retryFromEnv(env);
  return {
    token: env.GITHUB_TOKEN, repository: env.GITHUB_REPOSITORY, apiUrl: env.GITHUB_API_URL,
    logUrl: env.GITHUB_RUN_ID ? `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : undefined,
    ...(retry ? { retry } : {}),
  };
}

/**
 * GitHub for apply, on libs/github's one client and retry policy (a 5xx or a lost reply of a
 * repeatable request retried with backoff, rate limits waited out, 4xx not). A failure that
 * outlasts the policy stops the step (StepFailed, exit 1): the record says what was done.
 */
export class GitHubApi {
  private readonly client: GitHubClient;

  constructor(readonly config: GitHubConfig) {
    this.client = gitHubClient({ token: config.token, repository: config.repository, apiUrl: config.apiUrl }, { userAgent: 'infra-apply', ...(config.retry ? { retry: config.retry } : {}) });
  }

  /**
   * One request; `path` is relative to the API (or a URL GitHub gave). A POST marked
   * `repeatable` is sent again after a lost reply (its duplicate is harmless).
   */
  async call(method: string, path: string, body?: unknown, options: { repeatable?: boolean; redirect?: 'manual' } = {}): Promise<{ status: number; json: unknown; link?: string; location?: string }> {
    try {
      const res = await this.client.request({
        method: method as 'GET', url: path, ...(body === undefined ? {} : { data: body }),
        request: { ...(options.repeatable ? REPEATABLE : {}), ...(options.redirect ? { redirect: options.redirect } : {}) },
      });
      const headers = res.headers as Record<string, string | undefined>;
      return { status: res.status, json: res.data, link: headers.link, location: headers.location };
    } catch (err) {
      const e = err as { status?: number; message?: string; response?: { data?: unknown } };
      const pathname = path.startsWith('http') ? new URL(path).pathname : path.split('?')[0];
      if (isLostReply(err)) throw new StepFailed(`GitHub did not answer ${method} ${pathname} (${e.message ?? String(err)}); run infra apply again: it resumes from the record.`);
      const detail = typeof e.response?.data === 'object' ? JSON.stringify(e.response.data) : String(e.response?.data ?? e.message ?? err);
      throw new StepFailed(`GitHub answered ${e.status} to ${method} ${pathname}: ${detail.slice(0, 200)}. Check the job's permissions (deployments: write, pull-requests: read).`);
    }
  }

  /** An artifact's zip: the API answers with a redirect to storage, fetched without our token. */
  async download(url: string): Promise<Buffer> {
    const first = await this.call('GET', url, undefined, { redirect: 'manual' });
    if (first.status !== 302 || !first.location) return Buffer.from(first.json as ArrayBuffer);
    const res = await fetch(first.location, { headers: { 'user-agent': 'infra-apply' } }).catch((err: Error) => {
      throw new StepFailed(`downloading an artifact got no answer (${err.message}); run infra apply again.`);
    });
    if (res.status !== 200) throw new StepFailed(`downloading an artifact answered ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  }

  /** Every item of a paged list (follows the Link header's rel="next"). */
  async all<T>(path: string): Promise<T[]> {
    const out: T[] = [];
    let next: string | undefined = path;
    while (next) {
      const page: { json: unknown; link?: string } = await this.call('GET', next);
      out.push(...((page.json as T[]) ?? []));
      next = /<([^>]+)>;\s*rel="next"/.exec(page.link ?? '')?.[1];
    }
    return out;
  }
}

interface Deployment { id: number; sha: string; environment: string; payload: { from?: string; to?: string; steps?: string[] } | string }
interface Status { state: string; description?: string }

const payloadOf = (d: Deployment) => (typeof d.payload === 'string' ? JSON.parse(d.payload || '{}') : d.payload ?? {}) as { from?: string; to?: string; steps?: string[] };

/** The record kept in GitHub Deployments. */
export class GitHubRecord implements ApplyRecord {
  private current?: { id: number; to: string; reported: Map<StepName, string>; final?: string };

  constructor(private readonly api: GitHubApi) {}

  private get repo() {
    return `/repos/${this.api.config.repository}`;
  }

  async read(env: string): Promise<EnvironmentRecord> {
    const deployments = await this.api.all<Deployment>(`${this.repo}/deployments?environment=${encodeURIComponent(env)}&per_page=100`);
    const out: EnvironmentRecord = {};
    for (const d of deployments) {
      const statuses = await this.api.all<Status>(`${this.repo}/deployments/${d.id}/statuses?per_page=100`);
      const p = payloadOf(d);
      const latest = statuses[0]?.state;
      if (latest === 'success') {
        out.applied = { commit: p.to ?? d.sha, at: '' };
        break;
      }
      if (!out.attempt && p.to) {
        // Steps done: from the payload (done before this attempt) and this attempt's statuses.
        const done = new Set(p.steps ?? []);
        for (const s of statuses) {
          const m = /^(\w+): done/.exec(s.description ?? '');
          if (m) done.add(m[1]);
        }
        out.attempt = {
          from: p.from ?? '', to: p.to, startedAt: '',
          steps: Object.fromEntries([...done].filter((s): s is StepName => (STEP_ORDER as string[]).includes(s)).map((s) => [s, { status: 'done' as const, startedAt: '' }])),
        };
      }
    }
    return out;
  }

  async write(env: string, record: EnvironmentRecord): Promise<void> {
    const attempt = record.attempt;
    if (attempt && (!this.current || this.current.to !== attempt.to)) {
      const done = STEP_ORDER.filter((s) => attempt.steps[s]?.status === 'done');
      const created = await this.api.call('POST', `${this.repo}/deployments`, {
        ref: attempt.to, environment: env, auto_merge: false, required_contexts: [], transient_environment: false,
        description: `infra apply ${env}`, payload: { from: attempt.from, to: attempt.to, steps: done },
      });
      this.current = { id: (created.json as { id: number }).id, to: attempt.to, reported: new Map(done.map((s) => [s, 'done'])) };
      await this.status('in_progress', `started${done.length ? `; done before: ${done.join(', ')}` : ''}`);
    }
    if (!this.current) return;
    if (attempt) {
      for (const s of STEP_ORDER) {
        const st = attempt.steps[s]?.status;
        if (st && this.current.reported.get(s) !== st) {
          this.current.reported.set(s, st);
          await this.status(st === 'failed' ? 'failure' : 'in_progress', `${s}: ${st}`);
        }
      }
    } else if (record.applied?.commit === this.current.to && this.current.final !== 'success') {
      this.current.final = 'success';
      await this.status('success', `applied ${this.current.to.slice(0, 12)}`);
    }
  }

  private async status(state: string, description: string): Promise<void> {
    // A status repeated after a lost reply says the same thing again: harmless, so it is retried.
    await this.api.call('POST', `${this.repo}/deployments/${this.current!.id}/statuses`, {
      state, description: description.slice(0, 140), environment_url: undefined, log_url: this.api.config.logUrl, auto_inactive: state === 'success',
    }, { repeatable: true });
  }
}

/**
 * The reviewed hash of `env` for the merge commit `sha`: from the sticky review comment of the
 * commit's pull request, or undefined when there is none (a push without a PR).
 */
export async function reviewedHashOf(api: GitHubApi, env: string, sha: string): Promise<string | undefined> {
  const repo = `/repos/${api.config.repository}`;
  const pulls = await api.all<{ number: number; merged_at?: string | null; head?: { sha?: string } }>(`${repo}/commits/${sha}/pulls`);
  const pr = pulls.find((p) => p.merged_at) ?? pulls[0];
  if (!pr) return undefined;
  const comments = await api.all<{ body?: string }>(`${repo}/issues/${pr.number}/comments?per_page=100`);
  const review = comments.filter((c) => (c.body ?? '').startsWith(REVIEW_MARKER)).pop();
  const hash = reviewedHashIn(review?.body ?? '', env);
  if (hash) return hash;
  // A fork's PR cannot comment: its review is the review.json artifact of the review run of the
  // PR's head commit (the infra.diff/v1 envelope, environments[].reviewedHash).
  return pr.head?.sha ? reviewedHashFromArtifact(api, env, pr.head.sha) : undefined;
}

async function reviewedHashFromArtifact(api: GitHubApi, env: string, headSha: string): Promise<string | undefined> {
  const repo = `/repos/${api.config.repository}`;
  const runs = ((await api.call('GET', `${repo}/actions/runs?head_sha=${headSha}&event=pull_request&per_page=100`)).json as { workflow_runs?: { id: number }[] })?.workflow_runs ?? [];
  for (const run of runs) {
    const artifacts = ((await api.call('GET', `${repo}/actions/runs/${run.id}/artifacts?per_page=100`)).json as { artifacts?: { name: string; expired?: boolean; archive_download_url: string }[] })?.artifacts ?? [];
    for (const a of artifacts.filter((x) => x.name.startsWith('review') && !x.expired)) {
      const entry = readZipEntry(await api.download(a.archive_download_url), 'review.json');
      if (!entry) continue;
      const doc = JSON.parse(entry.toString('utf8')) as { head?: { sha?: string }; environments?: { name: string; reviewedHash?: string }[] };
      if (doc.head?.sha && doc.head.sha !== headSha) continue;
      const hash = doc.environments?.find((e) => e.name === env)?.reviewedHash;
      if (hash && /^[0-9a-f]{64}$/.test(hash)) return hash;
    }
  }
  return undefined;
}
