import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import {
  acquireApplyLock, applyEnvironment, ApplyBusy, FileRecord, GitHubApi, gitHubConfigFromEnv, GitHubRecord, MarathonClient,
  marathonConfigFromEnv, Refused, reviewedHashOf, StepFailed, type ApplyKinds, type ApplyRecord,
} from '@infra/apply';
import { dataHolding, vmMarks } from '@infra/generator-terraform';
import { InvalidDefinition } from '@infra/model';
import type { EnvironmentDiff, Tree } from '@infra/render';
import { checkCommand, type Io } from './commands';
import { renderedAt } from './rendered-at';

// `infra apply ENV` (DESIGN §3): the composition of libs/apply with git (the trees at two
// commits), the kinds (from this registry), the review's diff, the record and the executors.

export const APPLY_EXIT = { ok: 0, failed: 1, invalid: 2, refused: 3, busy: 75 } as const;

/** What the cli's registry hands to apply: the kinds' knowledge and the review's diff. */
export interface ApplyDeps {
  kinds: ApplyKinds;
  /** `infra diff` of one environment between two trees (libs/review through the kinds). */
  diff(env: string, base: Tree, target: Tree): EnvironmentDiff | Promise<EnvironmentDiff>;
  /** `infra check ENV` of the working tree (0 up to date), run when the target is a clean HEAD. */
  check?(root: string, env: string, io: Io): number | Promise<number>;
}

export const APPLY_KINDS: ApplyKinds = {
  dataHolding,
  vmMarks,
  // The marathon kind renders Marathon's own `dependencies` field (app ids) into every app.
  marathonDependencies: (app) => (Array.isArray(app.dependencies) ? (app.dependencies as string[]) : []),
};

/** Arguments as the command table (main.ts) parsed them. */
export interface ApplyArgs {
  positionals: string[];
  values: {
    to?: string; from?: string; reviewed?: string; 'dry-run'?: boolean; 'allow-destroy'?: string[]; 'allow-unreviewed'?: string[];
    force?: boolean; record?: string; deadline?: string; concurrency?: string;
  };
}

export async function applyCommand(root: string, args: { positionals: string[]; values: Record<string, unknown> }, io: Io, deps: ApplyDeps, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values: v, positionals } = args as ApplyArgs;
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
    target = renderedAt(root, to, envName);
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
    const base: Tree = from ? renderedAt(root, from, envName) : new Map();

    let reviewed = v.reviewed;
    if (reviewed === undefined && inActions && gh) reviewed = await reviewedHashOf(new GitHubApi(gh), envName, to);
    const refusals: string[] = [];
    if (deps.check && to === git('rev-parse', 'HEAD') && git('status', '--porcelain', '--', 'rendered', 'environments') === '') {
      const quiet: Io = { out: () => {}, err: (t) => io.err(t) };
      if ((await deps.check(root, envName, quiet)) !== 0) refusals.push(`rendered/${envName} at ${to.slice(0, 12)} is not what the definitions render (infra check failed above). Nothing was applied. Run npx infra render, commit, review and merge.`);
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

/**
 * The registry's apply dependencies: the kinds' knowledge, and the reviewed diff, which is
 * `infra diff` of the environment from the last applied commit to the target (libs/review through
 * every kind's pure diff): every commit in between was merged reviewed.
 */
export const APPLY_DEPS: ApplyDeps = {
  kinds: APPLY_KINDS,
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  diff: (env, base, target) => (require('@infra/review') as typeof import('@infra/review')).diffEnvironment(env, base, target, (require('./generators') as typeof import('./generators')).DIFFS),
  check: (root, env, io) => checkCommand(root, [env], io),
};

/** `infra apply …` from main: the repository root, then the command. */
export async function runApply(root: string, args: { positionals: string[]; values: Record<string, unknown> }, io: Io): Promise<number> {
  try {
    return await applyCommand(root, args, io, APPLY_DEPS);
  } catch (err) {
    if (err instanceof InvalidDefinition) {
      for (const p of err.problems) io.err(`infra apply: ${p.path}: ${p.message}`);
      return APPLY_EXIT.invalid;
    }
    io.err(`infra apply: internal error (a bug; what was done is in the record): ${err instanceof Error ? err.stack : String(err)}`);
    return APPLY_EXIT.failed;
  }
}
