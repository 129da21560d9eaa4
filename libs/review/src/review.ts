// One environment's diff: every kind reads the two renderings, the parts are put together, and
// the risks, counts and reviewed hash are computed from the result. Review knows no format: the
// kinds (handed in by the cli's registry) do.
import { reviewedHash, type EnvironmentChanges, type EnvironmentDiff, type KindDiff, type Tree } from '@infra/render';
import { readRenderedAtRefs, ReviewInputError, type ReadOptions, type RefInfo } from './git';
import { risksOf } from './risks';
import { rolloutOf } from './rollout';

export const DIFF_SCHEMA = 'infra.diff/v1';

export interface Review {
  schema: typeof DIFF_SCHEMA;
  base: RefInfo;
  head: RefInfo;
  environments: EnvironmentDiff[];
}

// The reviewed hash (sha256 of the head's rendered/<env>/manifest.json, DESIGN §3) is
// libs/render's: apply checks a merge against it.
export { reviewedHash } from '@infra/render';

export function diffEnvironment(name: string, before: Tree, after: Tree, kinds: readonly KindDiff[]): EnvironmentDiff {
  const changes: EnvironmentChanges = { terraform: [], cloudInit: [], marathon: [], hadoop: [], patches: [], summary: [] };
  for (const kind of kinds) {
    const part = kind.diff(before, after);
    changes.terraform.push(...(part.terraform ?? []));
    changes.cloudInit.push(...(part.cloudInit ?? []));
    changes.marathon.push(...(part.marathon ?? []));
    changes.hadoop.push(...(part.hadoop ?? []));
    changes.patches.push(...(part.patches ?? []));
    changes.summary.push(...(part.summary ?? []));
    if (part.inventory) changes.inventory = part.inventory;
    if (part.parity) changes.parity = part.parity;
  }
  const risks = risksOf(changes);
  const rollout = rolloutOf(changes, before, after);
  return { name, reviewedHash: reviewedHash(after), counts: countsOf(changes, risks.length), risks, changes, ...(rollout.length ? { rollout } : {}) };
}

/** The blast radius in numbers. */
export function countsOf(c: EnvironmentChanges, risks: number): Record<string, number> {
  const tf = (a: string) => c.terraform.filter((x) => x.action === a).length;
  const vms = (a: string) => c.terraform.filter((x) => x.action === a && /^(vsphere_virtual_machine|aws_instance)\./.test(x.address)).length;
  const restarted = c.marathon.filter((m) => m.action === 'update' && m.restarts);
  const instances = restarted.reduce((n, m) => n + (m.instancesAfter ?? 0), 0)
    + c.marathon.filter((m) => m.action === 'delete').reduce((n, m) => n + (m.instancesBefore ?? 0), 0)
    + c.marathon.filter((m) => m.action === 'update' && !m.restarts).reduce((n, m) => n + Math.abs((m.instancesAfter ?? 0) - (m.instancesBefore ?? 0)), 0)
    + c.marathon.filter((m) => m.action === 'create').reduce((n, m) => n + (m.instancesAfter ?? 0), 0);
  const hadoop = (a: string) => c.hadoop.filter((h) => h.action === a).length;
  return {
    created: tf('create'),
    updated: tf('update'),
    replaced: tf('replace'),
    destroyed: tf('delete'),
    vmsCreated: vms('create'),
    vmsReplaced: vms('replace'),
    vmsDestroyed: vms('delete'),
    appsCreated: c.marathon.filter((m) => m.action === 'create').length,
    appsDeleted: c.marathon.filter((m) => m.action === 'delete').length,
    appsRestarted: restarted.length,
    appsScaled: c.marathon.filter((m) => m.action === 'update' && !m.restarts).length,
    instancesAffected: instances,
    groupsReconfigured: c.cloudInit.length,
    hostsCommissioned: hadoop('commission') + hadoop('recommission'),
    hostsDecommissioned: hadoop('decommission'),
    hostsRemoved: hadoop('remove'),
    hostsPatched: new Set(c.patches.flatMap((p) => p.hosts)).size,
    risks,
  };
}

export interface ReviewOptions extends ReadOptions {
  /** Environments to review; all found at either ref when empty. */
  environments?: string[];
}

/** Reads rendered/ at the two refs and diffs every (selected) environment through the kinds. */
export async function reviewRefs(root: string, kinds: readonly KindDiff[], options: ReviewOptions = {}): Promise<Review> {
  const needs = (p: string, changed: ReadonlySet<string>) => kinds.some((k) => k.needs?.(p, changed) ?? false);
  const read = await readRenderedAtRefs(root, { ...options, needs });
  const wanted = options.environments?.length ? [...new Set(options.environments)].sort() : [...read.environments.keys()];
  const unknown = wanted.filter((e) => !read.environments.has(e));
  if (unknown.length) {
    throw new ReviewInputError(`${unknown.map((e) => `"${e}"`).join(', ')}: no such environment under rendered/ at ${read.base.ref} or ${read.head.ref}; known: ${[...read.environments.keys()].join(', ') || 'none'}`);
  }
  return {
    schema: DIFF_SCHEMA,
    base: read.base,
    head: read.head,
    environments: wanted.map((name) => {
      const t = read.environments.get(name)!;
      return diffEnvironment(name, t.before, t.after, kinds);
    }),
  };
}
