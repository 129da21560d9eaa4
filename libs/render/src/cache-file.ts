// The one way a cache (under node_modules/.cache) is written: whole or not at all, and never at the
// command's expense. Written aside and renamed, so a reader sees the old file or the new one, never
// half of one; a cache that cannot be written (a read-only node_modules, a full disk) only costs
// time on the next run.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes `data` to `file` atomically; returns false (and leaves nothing behind) when it cannot. */
export function writeCacheFile(file: string, data: string | Uint8Array): boolean {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
    return true;
  } catch {
    try { fs.rmSync(tmp, { force: true }); } catch { /* not ours to remove (a folder in its way) */ }
    return false;
  }
}
