import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import {
  acquireApplyLock, applyEnvironment, ApplyBusy, FileRecord, GitHubApi, gitHubConfigFromEnv, GitHubRecord, MarathonClient,
  marathonConfigFromEnv, Refused, reviewedHashOf, StepFailed, type ApplyKinds, type ApplyRecord,
} from '@infra/apply';
import { dataHolding } from '@infra/generator-terraform';
import type { EnvironmentDiff, Tree } from '@infra/render';
import { checkCommand, type Io } from './commands';
import { findRoot } from './workspace';

// `infra apply ENV` (DESIGN §3): the composition of libs/apply with git (the trees at two
// commits), the kinds (from this registry), the review's diff, the record and the executors.

export const APPLY_USAGE = `usage: infra apply ENV [--to REF] [--from REF] [--reviewed SHA256] [--dry-run]
                   [--allow-destroy ADDR]... [--allow-unreviewed ADDR]... [--force]
                   [--record FILE] [--deadline SECONDS] [--concurrency N]

  Applies what changed under rendered/ENV from the last applied commit (--from) to --to (HEAD):
  terraform, then Marathon, then Hadoop, then patches. Prints the plan first; --dry-run stops there.
  --reviewed            sha256 of rendered/ENV/manifest.json that was reviewed (required in Actions,
                        where it is read from the merged pull request's review comment)
  --allow-destroy ADDR  allow destroying or replacing this data-holding resource (by hand only;
                        on merge, use allowDestroy in the environment's definition)
  --allow-unreviewed ADDR  allow an action the reviewed diff does not list (a change made outside)
  --force               override Marathon deployments that hold an app (force=true)
  --record FILE         where the record is kept (default .infra/applied.json; GitHub in Actions)
  --deadline SECONDS    caps every watch time (a deployment, a health gate, a decommission)
  --concurrency N       Marathon apps deployed at once (default 16)

  Outside world: INFRA_MARATHON_URL, MARATHON_USERNAME/MARATHON_PASSWORD or MARATHON_TOKEN,
  INFRA_MESOS_URL, terraform/ssh/scp from PATH (INFRA_TERRAFORM overrides terraform).

Exit codes: 0 applied (or nothing to do), 1 failed (what was done is recorded; run again to
resume), 2 wrong command line or INFRA_MARATHON_URL/INFRA_MESOS_URL missing, 3 refused by a safety rule (nothing applied), 75 another apply of
ENV is running.`;

export const APPLY_EXIT = { ok: 0, failed: 1, invalid: 2, refused: 3, busy: 75 } as const;

/** What the cli's registry hands to apply: the kinds' knowledge and the review's diff. */
export interface ApplyDeps {
  kinds: ApplyKinds;
  /** `infra diff` of one environment between two trees (libs/review through the kinds). */
  diff(env: string, base: Tree, target: Tree): EnvironmentDiff | Promise<EnvironmentDiff>;
  /** `infra check ENV` of the working tree (0 up to date), run when the target is a clean HEAD. */
  check?(root: string, env: string, io: Io): number;
}

export const APPLY_KINDS: ApplyKinds = {
  dataHolding,
  // The marathon kind renders Marathon's own `dependencies` field (app ids) into every app.
  marathonDependencies: (app) => (Array.isArray(app.dependencies) ? (app.dependencies as string[]) : []),
};

export async function applyCommand(root: string, args: string[], io: Io, deps: ApplyDeps, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args, allowPositionals: true, options: {
        to: { type: 'string' }, from: { type: 'string' }, reviewed: { type: 'string' }, 'dry-run': { type: 'boolean' },
        'allow-destroy': { type: 'string', multiple: true }, 'allow-unreviewed': { type: 'string', multiple: true },
        force: { type: 'boolean' }, record: { type: 'string' }, deadline: { type: 'string' }, concurrency: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    io.err(`infra apply: ${(err as Error).message}\n\n${APPLY_USAGE}`);
    return APPLY_EXIT.invalid;
  }
  const { values: v, positionals } = parsed;
  if (v.help) {
    io.out(APPLY_USAGE);
    return APPLY_EXIT.ok;
  }
  const problems: string[] = [];
  if (positionals.length !== 1) problems.push(`name exactly one environment (got ${positionals.length ? positionals.join(' ') : 'none'})`);
  const envName = positionals[0] ?? '';
  const number = (flag: string, value: string | undefined, integer: boolean) => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) problems.push(`--${flag} ${value}: must be a positive ${integer ? 'whole ' : ''}number`);
    return n;
  };
  const deadlineS = number('deadline', v.deadline, false);
  const concurrency = number('concurrency', v.concurrency, true);
  if (v.reviewed !== undefined && !/^[0-9a-f]{64}$/.test(v.reviewed)) problems.push(`--reviewed ${v.reviewed}: must be the 64 hex digits of a sha256`);
  for (const [flag, list] of [['allow-destroy', v['allow-destroy']], ['allow-unreviewed', v['allow-unreviewed']]] as const) {
    for (const a of list ?? []) if (!/^[a-z0-9_]+\.[A-Za-z0-9_-]+$/.test(a)) problems.push(`--${flag} ${a}: not a resource address (TYPE.NAME, e.g. vsphere_virtual_machine.db-ledger-01)`);
  }
  const git = (...a: string[]) => execFileSync('git', a, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 }).trim();
  const commit = (ref: string, flag: string) => {
    try {
      return git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`);
    } catch {
      problems.push(`--${flag} ${ref}: not a commit of this repository`);
      return '';
    }
  };
  const to = commit(v.to ?? 'HEAD', 'to');
  const fromFlag = v.from !== undefined ? commit(v.from, 'from') : undefined;
  let target: Tree = new Map();
  if (to && envName) {
    target = readTree(root, to, envName);
    if (target.size === 0) problems.push(`${envName}: there is no rendered/${envName} at ${v.to ?? 'HEAD'} (${to.slice(0, 12)}); name an environment that is rendered there`);
  }
  if (problems.length) {
    for (const p of problems) io.err(`infra apply: ${p}`);
    io.err(`${problems.length} problem(s) with the command line; nothing was applied. See infra apply --help.`);
    return APPLY_EXIT.invalid;
  }

  const inActions = env.GITHUB_ACTIONS === 'true';
  const gh = gitHubConfigFromEnv(env);
  let record: ApplyRecord;
  if (inActions && v.record === undefined) {
    if (!gh) {
      io.err('infra apply: in Actions the record is GitHub Deployments: set GITHUB_TOKEN (with deployments: write) and GITHUB_REPOSITORY.');
      return APPLY_EXIT.invalid;
    }
    record = new GitHubRecord(new GitHubApi(gh));
  } else {
    record = new FileRecord(path.resolve(root, v.record ?? '.infra/applied.json'));
  }

  let release: (() => void) | undefined;
  try {
    if (!v['dry-run']) release = acquireApplyLock(path.join(root, '.infra', `apply-${envName}.lock`), envName);
    const rec = await record.read(envName);
    const from = fromFlag ?? (rec.attempt?.to === to ? rec.attempt.from : rec.applied?.commit) ?? '';
    const base: Tree = from ? readTree(root, from, envName) : new Map();

    let reviewed = v.reviewed;
    if (reviewed === undefined && inActions && gh) reviewed = await reviewedHashOf(new GitHubApi(gh), envName, to);
    const refusals: string[] = [];
    if (deps.check && to === git('rev-parse', 'HEAD') && git('status', '--porcelain', '--', 'rendered', 'environments') === '') {
      const quiet: Io = { out: () => {}, err: (t) => io.err(t) };
      if (deps.check(root, envName, quiet) !== 0) refusals.push(`rendered/${envName} at ${to.slice(0, 12)} is not what the definitions render (infra check failed above). Nothing was applied. Run npx infra render, commit, review and merge.`);
    } else if (deps.check) {
      io.out(`note: infra check was not run (the target is not a clean HEAD); CI checked it before the merge.`);
    }
    if (refusals.length) {
      for (const r of refusals) io.err(r);
      return APPLY_EXIT.refused;
    }
    const diff = await deps.diff(envName, base, target);
    const marathon = marathonConfigFromEnv(env);
    const outcome = await applyEnvironment(
      { env: envName, from, to, base, target, diff, kinds: deps.kinds },
      { dryRun: v['dry-run'], reviewed, requireReviewed: inActions, allowDestroy: v['allow-destroy'], allowUnreviewed: v['allow-unreviewed'], force: v.force, deadlineS, concurrency },
      {
        workDir: path.join(root, '.infra', 'work'), env, record, log: (l) => io.out(l),
        marathon: marathon && new MarathonClient({ ...marathon, force: v.force, log: (l) => io.out(l) }),
        mesosUrl: env.INFRA_MESOS_URL,
      },
    );
    return outcome.exit;
  } catch (err) {
    if (err instanceof ApplyBusy) {
      io.err(`infra apply: ${err.message}`);
      return APPLY_EXIT.busy;
    }
    if (err instanceof Refused) {
      for (const r of err.reasons) io.err(r);
      return APPLY_EXIT.refused;
    }
    if (err instanceof StepFailed) {
      io.err(err.message);
      return APPLY_EXIT.failed;
    }
    throw err;
  } finally {
    release?.();
  }
}

/** rendered/<env> at a commit, as a Tree (path under rendered/<env>/ → content), read in one git call. */
export function readTree(root: string, commit: string, env: string): Tree {
  const prefix = `rendered/${env}/`;
  const run = (args: string[], input?: string) => execFileSync('git', args, { cwd: root, input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  const entries = run(['ls-tree', '-r', '-z', commit, '--', prefix]).toString('utf8').split('\0').filter(Boolean)
    .map((e) => ({ sha: e.slice(0, e.indexOf('\t')).split(' ')[2], type: e.split(' ')[1], file: e.slice(e.indexOf('\t') + 1) }))
    .filter((e) => e.type === 'blob');
  const out = new Map<string, string>();
  if (!entries.length) return out;
  const batch = run(['cat-file', '--batch'], entries.map((e) => e.sha).join('\n') + '\n');
  let at = 0;
  for (const e of entries) {
    const eol = batch.indexOf(0x0a, at);
    const size = Number(batch.subarray(at, eol).toString('latin1').split(' ')[2]);
    out.set(e.file.slice(prefix.length), batch.subarray(eol + 1, eol + 1 + size).toString('utf8'));
    at = eol + 1 + size + 1;
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The registry's apply dependencies. WIRING: the review's diff (libs/review, `infra diff` of one
 * environment through the kinds) is built on another branch; the lead plugs it in here at merge.
 * Until then `infra apply` stops with this message instead of applying an unreviewed guess.
 */
export const APPLY_DEPS: ApplyDeps = {
  kinds: APPLY_KINDS,
  diff: () => {
    throw new StepFailed('infra apply: this build has no review diff (libs/review is not wired into the cli yet), and apply applies only what the reviewed diff lists. Use a build where `infra diff` exists.');
  },
  check: (root, env, io) => checkCommand(root, [env], io),
};

/** `infra apply …` from main: the repository root, then the command. */
export function runApply(args: string[], io: Io): Promise<number> {
  return applyCommand(findRoot(), args, io, APPLY_DEPS);
}
