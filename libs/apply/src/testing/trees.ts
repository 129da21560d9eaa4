import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Tree } from '@infra/render';

// Real rendered trees of this repository, and edits of them, for tests. Test support only.

export const REPO_ROOT = path.resolve(__dirname, '../../../..');

/** rendered/<env> of the working tree as a Tree (path under rendered/<env>/ → content). */
export function renderedTree(env: string): Map<string, string> {
  const dir = path.join(REPO_ROOT, 'rendered', env);
  const out = new Map<string, string>();
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const full = path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name);
    out.set(path.relative(dir, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8'));
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function marathonApps(tree: Tree): Record<string, unknown>[] {
  return [...tree].filter(([p]) => p.startsWith('marathon/') && p.endsWith('.json')).map(([, text]) => JSON.parse(text));
}

/** A copy of `tree` with one JSON file changed by `edit`. */
export function editJson(tree: Tree, file: string, edit: (value: Record<string, unknown>) => void): Map<string, string> {
  const out = new Map(tree);
  const value = JSON.parse(out.get(file) ?? fail(file));
  edit(value);
  out.set(file, JSON.stringify(value, null, 2) + '\n');
  return out;
}

function fail(file: string): never {
  throw new Error(`no ${file} in the tree`);
}

/** How many managed resources the terraform configuration of `tree` declares. */
export function resourceCount(tree: ReadonlyMap<string, string>): number {
  return [...tree].filter(([p]) => p.startsWith('terraform/'))
    .reduce((n, [, text]) => n + Object.values((JSON.parse(text).resource ?? {}) as Record<string, object>).reduce((m, byName) => m + Object.keys(byName).length, 0), 0);
}
