// The patches kind's reading of two renderings of `patches/<group>.json` (the patch plan of hosts
// patched in place, DESIGN §3): per group, the packages whose version changes, the hosts reached
// in the order they are patched, and whether they reboot.
import type { KindDiff, PatchChange, Tree } from '@infra/render';

interface Plan {
  group?: string;
  packages?: { name: string; version: string }[];
  reboot?: boolean;
  steps?: { host: string }[];
}

const FILE = /^patches\/(.+)\.json$/;

export const patchesDiff: KindDiff = {
  kind: 'patches',
  diff: (before, after) => ({ patches: diffPatches(before, after) }),
};

export function diffPatches(before: Tree, after: Tree): PatchChange[] {
  const groups = new Set<string>();
  for (const tree of [before, after]) for (const p of tree.keys()) { const m = FILE.exec(p); if (m) groups.add(m[1]); }
  const out: PatchChange[] = [];
  for (const group of [...groups].sort()) {
    const path = `patches/${group}.json`;
    if (before.get(path) === after.get(path)) continue;
    const a = plan(before.get(path));
    const b = plan(after.get(path));
    const was = new Map((a?.packages ?? []).map((p) => [p.name, p.version]));
    const now = new Map((b?.packages ?? []).map((p) => [p.name, p.version]));
    const packages = [...new Set([...was.keys(), ...now.keys()])].sort()
      .filter((name) => was.get(name) !== now.get(name))
      .map((name) => ({ name, ...(was.has(name) ? { before: was.get(name) } : {}), ...(now.has(name) ? { after: now.get(name) } : {}) }));
    out.push({ group: b?.group ?? a?.group ?? group, hosts: (b ?? a)?.steps?.map((s) => s.host) ?? [], packages, reboot: b?.reboot ?? false });
  }
  return out;
}

function plan(text: string | undefined): Plan | undefined {
  return text === undefined ? undefined : (JSON.parse(text) as Plan);
}
