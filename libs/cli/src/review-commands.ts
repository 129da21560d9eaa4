// `infra diff` and `infra comment` (DESIGN §3): the cli hands review the kinds' diffs from its
// one registry; review reads rendered/ at two git refs, and reports or posts the sticky comment.
import * as fs from 'node:fs';
import { UsageError, type Io } from './commands';

/** Arguments as the command table in main.ts parsed them. */
interface Args {
  positionals: string[];
  values: Record<string, unknown>;
}

/* eslint-disable @typescript-eslint/no-require-imports */
// Loaded on use: `infra render` and `infra check` never pay for git, handlebars or octokit.
const review = () => require('@infra/review') as typeof import('@infra/review');
const kinds = () => (require('./generators') as typeof import('./generators')).DIFFS;
/* eslint-enable @typescript-eslint/no-require-imports */

const EXIT = { ok: 0, failed: 1, invalid: 2 } as const;

export interface ReviewIo extends Io {
  /** Whether stdout is a terminal (colour is used only then, and never with NO_COLOR). */
  isTTY?: boolean;
  env?: NodeJS.ProcessEnv;
}

async function guarded(command: string, io: Io, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (err) {
    const r = review();
    if (err instanceof r.ReviewInputError) { io.err(`infra ${command}: ${err.message}`); return EXIT.invalid; }
    if (err instanceof r.GitHubError) { io.err(`infra ${command}: ${err.message}`); return EXIT.failed; }
    throw err;
  }
}

export async function diffCommand(root: string, args: Args, io: ReviewIo): Promise<number> {
  const format = String(args.values.format ?? 'text');
  if (!['text', 'md', 'json'].includes(format)) throw new UsageError(`--format ${format} is not one of text, md, json`);
  return guarded('diff', io, async () => {
    const r = review();
    const result = await r.reviewRefs(root, kinds(), { base: args.values.base as string | undefined, head: args.values.head as string | undefined, environments: args.positionals });
    const env = io.env ?? process.env;
    const colour = !!io.isTTY && env.NO_COLOR === undefined && env.TERM !== 'dumb';
    // md goes to a job summary (at most 1 MiB) or a reader; the comment has its own limit.
    io.out(format === 'json' ? r.jsonReport(result) : format === 'md' ? r.markdownReport(result, r.JOB_SUMMARY_LIMIT, r.SUMMARY_CUT_NOTICE) : r.textReport(result, { colour }));
    return EXIT.ok;
  });
}

export async function commentCommand(root: string, args: Args, io: ReviewIo): Promise<number> {
  const env = io.env ?? process.env;
  const problems: string[] = [];
  const pr = Number(args.values.pr);
  if (!args.values.pr || !Number.isInteger(pr) || pr < 1) problems.push(`--pr must be a pull-request number (got ${args.values.pr === undefined ? 'nothing' : `"${args.values.pr}"`})`);
  if (!env.GITHUB_TOKEN) problems.push('GITHUB_TOKEN is not set: in Actions pass secrets.GITHUB_TOKEN to the step; by hand export a token that may write to pull requests');
  if (!env.GITHUB_REPOSITORY || !/^[^/\s]+\/[^/\s]+$/.test(env.GITHUB_REPOSITORY)) problems.push(`GITHUB_REPOSITORY must be owner/name (got ${env.GITHUB_REPOSITORY ? `"${env.GITHUB_REPOSITORY}"` : 'nothing'})`);
  const bodyFile = args.values['body-file'] as string | undefined;
  if (bodyFile && !fs.existsSync(bodyFile)) problems.push(`--body-file ${bodyFile}: no such file`);
  if (args.positionals.length) problems.push(`unexpected argument(s): ${args.positionals.join(' ')}`);
  if (problems.length) throw new UsageError(problems.join('\n'));
  return guarded('comment', io, async () => {
    const r = review();
    const body = bodyFile
      ? fs.readFileSync(bodyFile, 'utf8')
      : r.markdownReport(await r.reviewRefs(root, kinds(), { base: args.values.base as string | undefined, head: args.values.head as string | undefined }), r.COMMENT_LIMIT);
    const retryBaseMs = env.INFRA_GITHUB_RETRY_MS ? Number(env.INFRA_GITHUB_RETRY_MS) : undefined;
    const res = await r.upsertReviewComment({ token: env.GITHUB_TOKEN!, repository: env.GITHUB_REPOSITORY!, apiUrl: env.GITHUB_API_URL || undefined, pr, retryBaseMs }, body);
    io.out(`${res.action} the review comment of ${env.GITHUB_REPOSITORY}#${pr}: ${res.url} (${body.length} characters)`);
    return EXIT.ok;
  });
}
