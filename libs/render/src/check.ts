import * as path from 'node:path';
import type { RenderedTree } from './file-map';
import { listTree, sameContent } from './writer';

export interface Drift {
  env: string;
  path: string;
  kind: 'stale' | 'missing' | 'extra';
}

/** Compares what render would write with `rendered/<env>`, in memory; writes nothing. */
export function checkTree(renderedDir: string, env: string, tree: RenderedTree): Drift[] {
  const target = path.join(renderedDir, env);
  const onDisk = listTree(target);
  const drift: Drift[] = [];
  for (const [rel, file] of tree) {
    if (!onDisk.has(rel)) drift.push({ env, path: rel, kind: 'missing' });
    else if (!sameContent(path.join(target, rel), file.content)) drift.push({ env, path: rel, kind: 'stale' });
  }
  for (const rel of onDisk) if (!tree.has(rel)) drift.push({ env, path: rel, kind: 'extra' });
  return drift.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
