// The cloud-init kind's reading of two renderings: per host group, the lines of its cloud-config
// that change and the hosts they reach (every host of the group: user-data is per group, and a
// VM reads it only when it is created, so Terraform replaces them — see the terraform kind).
import { lineDiff, type CloudInitChange, type KindDiff, type Tree } from '@infra/render';

const FILE = /^cloud-init\/(.+)\.yaml$/;

export const cloudInitDiff: KindDiff = {
  kind: 'cloud-init',
  // Which hosts a group has is in the inventory; the user-data names no host.
  needs: (path) => path === 'inventory.json',
  diff: (before, after) => ({ cloudInit: diffCloudInit(before, after) }),
};

export function diffCloudInit(before: Tree, after: Tree): CloudInitChange[] {
  // Parsed only when a group changed: the inventory of a large site is megabytes.
  let parsed: { before: Map<string, string[]>; after: Map<string, string[]> } | undefined;
  const hosts = () => (parsed ??= { before: hostsByGroup(before), after: hostsByGroup(after) });
  const groups = new Set<string>();
  for (const tree of [before, after]) for (const path of tree.keys()) { const m = FILE.exec(path); if (m) groups.add(m[1]); }
  const out: CloudInitChange[] = [];
  for (const group of [...groups].sort()) {
    const path = `cloud-init/${group}.yaml`;
    const a = before.get(path);
    const b = after.get(path);
    if (a === b) continue;
    const action = a === undefined ? 'create' : b === undefined ? 'delete' : 'update';
    out.push({ group, action, lines: lineDiff(a ?? '', b ?? ''), hosts: (action === 'delete' ? hosts().before : hosts().after).get(group) ?? [] });
  }
  return out;
}

function hostsByGroup(tree: Tree): Map<string, string[]> {
  const text = tree.get('inventory.json');
  const out = new Map<string, string[]>();
  if (!text) return out;
  for (const s of (JSON.parse(text) as { servers?: { hostname: string; group: string }[] }).servers ?? []) {
    out.set(s.group, [...(out.get(s.group) ?? []), s.hostname]);
  }
  for (const list of out.values()) list.sort();
  return out;
}
