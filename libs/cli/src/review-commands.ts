// `infra diff` and `infra comment` (DESIGN §3): the cli hands review the kinds' diffs from its
// one registry; review reads rendered/ at two git refs, and reports or posts the sticky comment.
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { Io } from './commands';

/* eslint-disable @typescript-eslint/no-require-imports */
// Loaded on use: `infra render` and `infra check` never pay for git, handlebars or octokit.
const review = () => require('@infra/review') as typeof import('@infra/review');
const kinds = () => (require('./generators') as typeof import('./generators')).DIFFS;
/* eslint-enable @typescript-eslint/no-require-imports */

export const DIFF_USAGE = `usage: infra diff [--base REF] [--head REF] [--format text|md|json] [ENV...]

  What would change in the real world between the rendered/ trees of two refs: resources created,
  updated, replaced and destroyed, apps restarted, hosts decommissioned, and the risks first.
  --head defaults to the working tree, --base to the merge base with main.`;

export const COMMENT_USAGE = `usage: infra comment --pr N [--base REF] [--head REF] [--body-file F]

  Creates or updates the one review comment of pull request N (found by <!-- infra:review -->).
  Needs GITHUB_TOKEN and GITHUB_REPOSITORY (owner/name); GITHUB_API_URL defaults to https://api.github.com.`;

const EXIT = { ok: 0, failed: 1, invalid: 2 } as const;

export interface ReviewIo extends Io {
  /** Whether stdout is a terminal (colour is used only then, and never with NO_COLOR). */
  isTTY?: boolean;
  env?: NodeJS.ProcessEnv;
}

type Options = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>;

function parse(argv: string[], options: Options, usage: string, io: Io) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options });
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${usage}`);
    return undefined;
  }
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

export async function diffCommand(root: string, argv: string[], io: ReviewIo): Promise<number> {
  const args = parse(argv, { base: { type: 'string' }, head: { type: 'string' }, format: { type: 'string', default: 'text' }, help: { type: 'boolean' } }, DIFF_USAGE, io);
  if (!args) return EXIT.invalid;
  if (args.values.help) { io.out(DIFF_USAGE); return EXIT.ok; }
  const format = String(args.values.format);
  if (!['text', 'md', 'json'].includes(format)) {
    io.err(`infra diff: --format ${format} is not one of text, md, json\n\n${DIFF_USAGE}`);
    return EXIT.invalid;
  }
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

export async function commentCommand(root: string, argv: string[], io: ReviewIo): Promise<number> {
  const args = parse(argv, { pr: { type: 'string' }, base: { type: 'string' }, head: { type: 'string' }, 'body-file': { type: 'string' }, help: { type: 'boolean' } }, COMMENT_USAGE, io);
  if (!args) return EXIT.invalid;
  if (args.values.help) { io.out(COMMENT_USAGE); return EXIT.ok; }
  const env = io.env ?? process.env;
  const problems: string[] = [];
  const pr = Number(args.values.pr);
  if (!args.values.pr || !Number.isInteger(pr) || pr < 1) problems.push(`--pr must be a pull-request number (got ${args.values.pr === undefined ? 'nothing' : `"${args.values.pr}"`})`);
  if (!env.GITHUB_TOKEN) problems.push('GITHUB_TOKEN is not set: in Actions pass secrets.GITHUB_TOKEN to the step; by hand export a token that may write to pull requests');
  if (!env.GITHUB_REPOSITORY || !/^[^/\s]+\/[^/\s]+$/.test(env.GITHUB_REPOSITORY)) problems.push(`GITHUB_REPOSITORY must be owner/name (got ${env.GITHUB_REPOSITORY ? `"${env.GITHUB_REPOSITORY}"` : 'nothing'})`);
  const bodyFile = args.values['body-file'] as string | undefined;
  if (bodyFile && !fs.existsSync(bodyFile)) problems.push(`--body-file ${bodyFile}: no such file`);
  if (args.positionals.length) problems.push(`unexpected argument(s): ${args.positionals.join(' ')}`);
  if (problems.length) {
    for (const p of problems) io.err(`infra comment: ${p}`);
    io.err(`\n${COMMENT_USAGE}`);
    return EXIT.invalid;
  }
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
