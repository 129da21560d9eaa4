// `infra drift ENV… [--format text|md|json] [--issue] [--record FILE]` (DESIGN §3): the live
// systems of each environment read back through apply's executors and compared with the
// rendering of the last commit applied to it (apply's record); what was merged since is pending.
// The cli is the composition root: it reads the two renderings out of git and hands them in.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  readiness, readinessMarkdown, readinessText, SshShell, GitHubApi, gitHubConfigFromEnv, GitHubRecord, type ApplyRecord,
  driftExit, driftJson, driftMarkdown, driftText, environmentDrift, FileRecord, issueMarker, issueTargetFromEnv, MarathonClient,
  marathonConfigFromEnv, syncIssue, type DriftReport, type EnvironmentDrift, type SystemName,
} from '@infra/apply';
import type { Io } from './commands';
import { environmentNames } from './workspace';
import { renderedAt } from './rendered-at';

const FORMATS = ['text', 'md', 'json'] as const;
const SKIPPABLE: SystemName[] = ['terraform', 'marathon', 'hadoop', 'patches'];

function git(root: string, args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `infra drift`, with its arguments as the command table (main.ts) parsed them. */
export async function driftCommand(root: string, args: { positionals: string[]; values: Record<string, unknown> }, io: Io): Promise<number> {
  const { positionals } = args;
  const values: Record<string, unknown> = { format: 'text', issue: false, skip: [], readiness: false, ...args.values };
  const problems: string[] = [];
  const known = environmentNames(root);
  if (!positionals.length) problems.push(`name the environment to compare: infra drift ENV (known: ${known.join(', ')})`);
  for (const n of positionals) if (!known.includes(n)) problems.push(`${n}: no such environment; known: ${known.join(', ')}`);
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) problems.push(`--format ${values.format}: use text, md or json`);
  const skip = values.skip as string[];
  for (const s of skip) if (!SKIPPABLE.includes(s as SystemName)) problems.push(`--skip ${s}: use terraform, marathon, hadoop or patches`);
  const drill = values.drill as string | undefined;
  if (drill !== undefined && drill !== 'success' && drill !== 'failure') problems.push(`--drill ${drill}: use success or failure`);
  if ((values.readiness || drill) && positionals.length > 1) problems.push('--readiness and --drill take one environment');
  if (drill === 'failure' && values['body-file'] && !fs.existsSync(values['body-file'] as string)) problems.push(`--body-file ${values['body-file']}: no such file`);
  const target = values.issue || drill ? issueTargetFromEnv(process.env) : undefined;
  if (Array.isArray(target)) problems.push(...target);
  let head = '';
  try {
    head = git(root, ['rev-parse', 'HEAD']).trim();
  } catch {
    problems.push(`${root} is not a git checkout with a commit: drift reads the applied rendering out of git; run it in a clone of the repository.`);
  }
  if (problems.length) {
    for (const p of problems) io.err(`infra drift: ${p}`);
    io.err('Run `infra drift --help` for usage.');
    return 2;
  }

  if (drill && !Array.isArray(target)) return drillIssue(positionals[0], drill === 'failure', values['body-file'] as string | undefined, target!, io);
  // Apply's record: GitHub Deployments in Actions (as infra apply keeps it there), else the file.
  let record: ApplyRecord;
  const gh = gitHubConfigFromEnv(process.env);
  if (process.env.GITHUB_ACTIONS === 'true' && values.record === undefined) {
    if (!gh) {
      io.err('infra drift: in Actions the record is GitHub Deployments: set GITHUB_TOKEN (with deployments: read) and GITHUB_REPOSITORY.');
      return 2;
    }
    record = new GitHubRecord(new GitHubApi(gh));
  } else {
    record = new FileRecord(path.resolve(root, (values.record as string | undefined) ?? '.infra/applied.json'));
  }
  const marathonConfig = marathonConfigFromEnv(process.env);
  const marathon = marathonConfig && new MarathonClient({ ...marathonConfig, backoff: { baseMs: 500, maxMs: 4000, attempts: 4 } });
  if (values.readiness) {
    const env = positionals[0];
    const commit = (await record.read(env)).applied?.commit;
    if (!commit) {
      io.out(`${env}: not ready: it has never been applied (bring it up with infra apply ${env}, or the dr workflow).`);
      return 1;
    }
    const r = await readiness(env, renderedAt(root, commit, env), new SshShell(process.env), marathon);
    io.out(format === 'md' ? readinessMarkdown(r) : readinessText(r));
    return r.ready ? 0 : 1;
  }
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-drift-'));
  const log = format === 'text' ? (l: string) => io.err(l) : () => {};
  const environments: EnvironmentDrift[] = [];
  try {
    for (const env of [...new Set(positionals)].sort()) {
      const rec = await record.read(env);
      const commit = rec.applied?.commit;
      if (commit && spawnSync('git', ['cat-file', '-e', `${commit}^{commit}`], { cwd: root }).status !== 0) {
        io.err(`infra drift: ${env} was last applied at ${commit}, which this clone does not have: fetch the whole history (actions/checkout with fetch-depth: 0, or git fetch --unshallow), then run again.`);
        return 2;
      }
      environments.push(await environmentDrift({
        env, record: rec, applied: commit ? renderedAt(root, commit, env) : new Map(), head: renderedAt(root, head, env),
      }, { workDir, env: process.env, marathon, log, skip: skip as SystemName[] }));
    }
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  const first = environments.find((e) => e.applied);
  const report: DriftReport = { schema: 'infra.drift/v1', base: { ref: 'applied', sha: first?.applied?.commit ?? '' }, head: { ref: 'HEAD', sha: head }, environments };
  const runUrl = process.env.GITHUB_RUN_ID && process.env.GITHUB_SERVER_URL && process.env.GITHUB_REPOSITORY
    ? `${process.env.GITHUB_SERVER_URL}/${process.env.GITHUB_REPOSITORY}/actions/runs/${process.env.GITHUB_RUN_ID}` : undefined;
  io.out(format === 'json' ? driftJson(report) : format === 'md' ? driftMarkdown(report, runUrl) : driftText(report));

  let exit: number = driftExit(report);
  if (target && !Array.isArray(target)) {
    for (const e of environments) {
      // Unreachable or never applied says nothing about drift: the issue is left as it is.
      if (e.status !== 'drift' && e.status !== 'in-sync') {
        io.err(`drift issue of ${e.name}: left as it is (${e.status})`);
        continue;
      }
      const one: DriftReport = { ...report, environments: [e] };
      try {
        const res = await syncIssue(target, {
          marker: issueMarker('drift', e.name), title: `Drift in ${e.name}: the live systems differ from what was applied`,
          body: e.status === 'drift' ? driftMarkdown(one, runUrl) : undefined,
          closeComment: `No drift in ${e.name} any more${runUrl ? ` (${runUrl})` : ''}: the live systems match ${e.applied!.commit.slice(0, 12)}. Closing.`,
        });
        io.err(`drift issue of ${e.name}: ${res.action}${res.url ? ` ${res.url}` : ''}`);
      } catch (err) {
        io.err(`infra drift: ${(err as Error).message}`);
        exit = 1;
      }
    }
  }
  return exit;
}

/** The DR drill's issue: opened or updated while drills fail, closed by the first that passes. */
async function drillIssue(env: string, failed: boolean, bodyFile: string | undefined, target: Exclude<ReturnType<typeof issueTargetFromEnv>, string[]>, io: Io): Promise<number> {
  const runUrl = process.env.GITHUB_RUN_ID && process.env.GITHUB_SERVER_URL && process.env.GITHUB_REPOSITORY
    ? `${process.env.GITHUB_SERVER_URL}/${process.env.GITHUB_REPOSITORY}/actions/runs/${process.env.GITHUB_RUN_ID}` : undefined;
  const body = failed
    ? `The scheduled disaster-recovery drill of ${env} failed${runUrl ? ` (${runUrl})` : ''}: the DR bring-up would not work as it is. Read the run's log, fix the cause (definitions, parity, credentials, the plan), and run the drill again (dr workflow, Run workflow).\n\n${bodyFile ? fs.readFileSync(bodyFile, 'utf8') : ''}`
    : undefined;
  try {
    const res = await syncIssue(target, {
      marker: issueMarker('drill', env), title: `DR drill of ${env} failed`, body,
      closeComment: `The DR drill of ${env} passes again${runUrl ? ` (${runUrl})` : ''}. Closing.`,
    });
    io.err(`drill issue of ${env}: ${res.action}${res.url ? ` ${res.url}` : ''}`);
    return 0;
  } catch (err) {
    io.err(`infra drift: ${(err as Error).message}`);
    return 1;
  }
}
