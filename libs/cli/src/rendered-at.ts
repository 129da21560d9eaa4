import { execFileSync } from 'node:child_process';
import type { Tree } from '@infra/render';

/**
 * rendered/<env>/ as it is at a commit, byte for byte (apply's target and base, drift's applied
 * rendering). One `git ls-tree`, then one `git cat-file --batch` for every blob: a rendering holds
 * hundreds of files. An environment the commit does not have is an empty tree.
 */
export function renderedAt(root: string, commit: string, env: string): Tree {
  const prefix = `rendered/${env}/`;
  const run = (args: string[], input?: string) => execFileSync('git', args, { cwd: root, input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  const entries = run(['ls-tree', '-r', '-z', '--full-tree', commit, '--', prefix]).toString('utf8').split('\0').filter(Boolean)
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
