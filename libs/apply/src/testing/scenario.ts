import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { Tree } from '@infra/render';
import { applyEnvironment, type ApplyOptions, type ApplyOutcome, type ApplyWorld } from '../apply';
import type { ApplyKinds } from '../kinds';
import { MarathonClient } from '../marathon-client';
import { FileRecord } from '../record';
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
  const record = new FileRecord(path.join(world.dir, 'applied.json'));
  const lines: string[] = [];
  return {
    world, marathon, mesos, record, lines,
    apply: (from, to, opts = {}, env = {}, patch = {}) => {
      const w: ApplyWorld = {
        workDir: path.join(world.dir, 'work'), env: { ...world.env, ...env },
        marathon: new MarathonClient({ url: marathon.url, pollMs: 5, progressMs: 200, backoff: { baseMs: 5, maxMs: 20, attempts: 6 }, log: (l) => lines.push(l) }),
        mesosUrl: mesos.url, record, log: (l) => lines.push(l), gatePollMs: 10, progressMs: 200, rebootSettleMs: 0,
      };
      Object.assign(w, patch);
      return applyEnvironment({ env: 'lenexa', from: from.commit, to: to.commit, base: from.tree, target: to.tree, diff: reviewedDiff('lenexa', from.tree, to.tree), kinds }, opts, w);
    },
    stop: async () => {
      await marathon.stop();
      await mesos.stop();
      world.cleanup();
    },
  };
}

/** `git status --porcelain` of the repository, to show an apply leaves it as it was. */
export function gitStatus(): string {
  return execFileSync('git', ['status', '--porcelain'], { cwd: REPO_ROOT, encoding: 'utf8' });
}
