import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { Tree } from '@infra/render';
import { applyEnvironment, type ApplyOptions, type ApplyOutcome, type ApplyWorld } from '../apply';
import type { ApplyKinds } from '../kinds';
import { MarathonClient } from '../marathon-client';
import { FileRecord } from '../record';
import { LoopbackAppServers } from './loopback-app-servers';
import { LoopbackMarathon } from './loopback-marathon';
import { LoopbackMesos } from './loopback-mesos';
import { reviewedDiff } from './reviewed-diff';
import { standinWorld, type StandinWorld } from './standins';
import { REPO_ROOT } from './trees';

// A whole world for apply tests: the stand-in terraform with its state, a loopback Marathon and
// a Mesos master whose agents are the mesos-agent VMs in terraform's state, a record file.


export interface Scenario {
  world: StandinWorld;
  marathon: LoopbackMarathon;
  mesos: LoopbackMesos;
  /** The app servers' health checks (every rollout file is pointed at them). */
  appServers: LoopbackAppServers;
  record: FileRecord;
  lines: string[];
  apply(from: { commit: string; tree: Tree }, to: { commit: string; tree: Tree }, opts?: ApplyOptions, env?: NodeJS.ProcessEnv, patch?: Partial<ApplyWorld>): Promise<ApplyOutcome>;
  stop(): Promise<void>;
}

export const EMPTY: { commit: string; tree: Tree } = { commit: '', tree: new Map() };

/** `kinds` come from the test (which may use the real kinds; this support module may not import them). */
export async function scenario(kinds: ApplyKinds): Promise<Scenario> {
  const world = standinWorld();
  const marathon = new LoopbackMarathon({ deploymentMs: 20 });
  await marathon.start();
  const mesos = new LoopbackMesos(() => Object.values(world.state().resources)
    .filter((r) => r.type === 'vsphere_virtual_machine' && String(r.values.annotation ?? '').includes('role: mesos-agent'))
    .map((r) => String(r.values.name)));
  await mesos.start();
  const appServers = new LoopbackAppServers();
  await appServers.start(['billing-app', 'crm-app']);
  const record = new FileRecord(path.join(world.dir, 'applied.json'));
  const lines: string[] = [];
  return {
    world, marathon, mesos, appServers, record, lines,
    apply: (from, to, opts = {}, env = {}, patch = {}) => {
      const w: ApplyWorld = {
        workDir: path.join(world.dir, 'work'), env: { ...world.env, ...env },
        marathon: new MarathonClient({ url: marathon.url, pollMs: 5, progressMs: 200, backoff: { baseMs: 5, maxMs: 20, attempts: 6 }, log: (l) => lines.push(l) }),
        mesosUrl: mesos.url, record, log: (l) => lines.push(l), gatePollMs: 10, progressMs: 200, rebootSettleMs: 0,
      };
      Object.assign(w, patch);
      const base = appServers.pointAt(from.tree);
      const target = appServers.pointAt(to.tree);
      return applyEnvironment({ env: 'lenexa', from: from.commit, to: to.commit, base, target, diff: reviewedDiff('lenexa', base, target), kinds }, opts, w);
    },
    stop: async () => {
      await marathon.stop();
      await mesos.stop();
      await appServers.stop();
      world.cleanup();
    },
  };
}

/** `git status --porcelain` of the repository, to show an apply leaves it as it was. */
export function gitStatus(): string {
  return execFileSync('git', ['status', '--porcelain'], { cwd: REPO_ROOT, encoding: 'utf8' });
}
