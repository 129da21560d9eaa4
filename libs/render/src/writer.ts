// The one writer. Each `rendered/<env>` is replaced as a whole: the new tree is assembled in
// `rendered/.staging/` (unchanged files hard-linked, so they are never rewritten) and swapped in
// with two renames. A kill at any moment leaves the old tree or the new one; the only instant
// with neither is between the two renames, and `recover()` (run first by every command) puts the
// old tree back from `.staging/` in that case.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RenderedTree } from './file-map';
import { MANIFEST } from './pipeline';

export const STAGING = '.staging';
export const LOCK = '.lock';

/**
 * Runs `fn` holding rendered/.lock, so two renders (or a render and a check recovering a killed
 * one) never work on the same tree at once. A lock whose process is gone (killed) is taken over.
 */
export function withLock<T>(renderedDir: string, fn: () => T): T {
  fs.mkdirSync(renderedDir, { recursive: true });
  const lock = path.join(renderedDir, LOCK);
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
      const holder = Number(readOr(lock, ''));
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) throw new Busy(renderedDir, holder);
      fs.rmSync(lock, { force: true });
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

/** Another live infra process holds the lock: not a bug, and not the user's definitions. */
export class Busy extends Error {
  constructor(renderedDir: string, readonly pid: number) {
    super(`another infra command (pid ${pid}) is writing ${renderedDir}; run this one again when it has finished`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !zombie(pid);
}

/**
 * A process killed with `kill -9` whose parent has not reaped it yet (a container without an
 * init, a shell that exec'd) still answers kill(0) but will never run again: state Z (or X) in
 * /proc/<pid>/stat. Where /proc is absent, kill(0) is all there is.
 */
function zombie(pid: number): boolean {
  let stat: string;
  try { stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8'); } catch { return false; }
  // "pid (comm) S ...": comm may hold spaces and parentheses, so read after the last ')'.
  const state = stat.slice(stat.lastIndexOf(')') + 1).trim()[0];
  return state === 'Z' || state === 'X';
}

function readOr(file: string, fallback: string): string {
  try { return fs.readFileSync(file, 'utf8').trim(); } catch { return fallback; }
}

export interface WriteResult {
  env: string;
  written: string[];
  deleted: string[];
  unchanged: number;
}

export function writeTree(renderedDir: string, env: string, tree: RenderedTree): WriteResult {
  recover(renderedDir);
  const target = path.join(renderedDir, env);
  const onDisk = listTree(target);
  const written: string[] = [];
  const same = new Set<string>();
  for (const [rel, file] of tree) {
    if (onDisk.has(rel) && sameContent(path.join(target, rel), file.content)) same.add(rel);
    else written.push(rel);
  }
  const deleted = [...onDisk].filter((rel) => !tree.has(rel)).sort();
  const result = { env, written: written.sort(), deleted, unchanged: same.size };
  if (written.length === 0 && deleted.length === 0) return result;

  const staging = path.join(renderedDir, STAGING);
  const next = path.join(staging, `${env}.new-${process.pid}`);
  fs.mkdirSync(next, { recursive: true });
  const dirs = new Set<string>();
  for (const [rel, file] of tree) {
    const dir = path.dirname(path.join(next, rel));
    if (!dirs.has(dir)) { fs.mkdirSync(dir, { recursive: true }); dirs.add(dir); }
    if (same.has(rel)) fs.linkSync(path.join(target, rel), path.join(next, rel));
    else fs.writeFileSync(path.join(next, rel), file.content);
  }
  if (fs.existsSync(target)) {
    const old = path.join(staging, `${env}.old-${process.pid}`);
    fs.renameSync(target, old);
    fs.renameSync(next, target);
    fs.rmSync(old, { recursive: true, force: true });
  } else {
    fs.renameSync(next, target);
  }
  removeIfEmpty(staging);
  return result;
}

/** Deletes a whole environment directory the definitions no longer have (only if we made it). */
export function removeTree(renderedDir: string, env: string): boolean {
  const target = path.join(renderedDir, env);
  if (!fs.existsSync(path.join(target, MANIFEST))) return false;
  const staging = path.join(renderedDir, STAGING);
  fs.mkdirSync(staging, { recursive: true });
  const old = path.join(staging, `${env}.gone-${process.pid}`);
  fs.renameSync(target, old);
  fs.rmSync(old, { recursive: true, force: true });
  removeIfEmpty(staging);
  return true;
}

/**
 * Finishes what a killed writer left: an environment whose old tree was moved aside but whose
 * new tree was not yet renamed in gets its old tree back; half-built trees are deleted.
 */
export function recover(renderedDir: string): void {
  const staging = path.join(renderedDir, STAGING);
  if (!fs.existsSync(staging)) return;
  for (const entry of fs.readdirSync(staging).sort()) {
    const m = /^(.+)\.old-\d+$/.exec(entry);
    const full = path.join(staging, entry);
    if (m && !fs.existsSync(path.join(renderedDir, m[1]))) fs.renameSync(full, path.join(renderedDir, m[1]));
    else fs.rmSync(full, { recursive: true, force: true });
  }
  removeIfEmpty(staging);
}

/** Relative paths (forward slashes) of every file under `dir`. */
export function listTree(dir: string): Set<string> {
  const out = new Set<string>();
  const walk = (abs: string, rel: string) => {
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(abs, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(abs, e.name), r);
      else out.add(r);
    }
  };
  walk(dir, '');
  return out;
}

/**
 * Whether `file` holds exactly the UTF-8 bytes of `content` (false when it cannot be read).
 * Decoding the file and comparing strings costs less than encoding `content` into a Buffer (no
 * second copy of every file), and is exact when the strings are equal and `content` holds no
 * U+FFFD: bytes that are not valid UTF-8 decode to U+FFFD, and valid UTF-8 decodes one way only.
 * Otherwise (different, or a U+FFFD that bad bytes could have produced) the bytes are compared.
 */
export function sameContent(file: string, content: string): boolean {
  try {
    if (fs.readFileSync(file, 'utf8') === content && !content.includes('\uFFFD')) return true;
    const bytes = fs.readFileSync(file);
    return bytes.length === Buffer.byteLength(content) && bytes.equals(Buffer.from(content));
  } catch {
    return false;
  }
}

function removeIfEmpty(dir: string): void {
  try { fs.rmdirSync(dir); } catch { /* not empty or gone: both fine */ }
}
