import { createHash } from 'node:crypto';
import type { Tree } from './changes';

// The record of a review (DESIGN §3 "Markers" and "Reviewed hash"), one owner for the side that
// writes it (the review's sticky comment) and the side that reads it back (apply, before it
// applies a merge): the comment's marker, the hash of an environment's rendering, and the line
// of the comment that records that hash.

/** The first line of the one sticky review comment of a pull request. */
export const REVIEW_MARKER = '<!-- infra:review -->';

/** sha256 of the tree's manifest.json (which hashes every file); '' when the tree has none. */
export function reviewedHash(tree: Tree): string {
  const manifest = tree.get('manifest.json');
  return manifest === undefined ? '' : createHash('sha256').update(manifest).digest('hex');
}

/** The line of the review comment that records the reviewed hash of `env` ('' hash: none). */
export function reviewedLine(env: string, hash: string, head: string): string {
  return `<!-- infra:reviewed env=${env} sha256=${hash || 'none'} head=${head} -->`;
}

/** The reviewed hash of `env` that a review comment's body records; undefined when it records none. */
export function reviewedHashIn(body: string, env: string): string | undefined {
  if (!body.startsWith(REVIEW_MARKER)) return undefined;
  for (const m of body.matchAll(/<!-- infra:reviewed env=(\S+) sha256=([0-9a-f]{64}) head=[0-9a-f]+ -->/g)) if (m[1] === env) return m[2];
  return undefined;
}
