// rendered/ at two git refs, read with as few git processes as the job allows: `git ls-tree -r`
// once per ref (the working tree is hashed in-process instead), then ONE `git cat-file --batch`
// for only the blobs that differ and the unchanged files a kind needs. Nothing is re-rendered:
// the review reads what was committed, which is what apply will apply.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';

/** A wrong ref or a folder that is no repository: the user's input (exit 2). */
export class ReviewInputError extends Error {}

export interface RefInfo {
  /** As given ("main", "HEAD~1"), or "working tree". */
  ref: string;
  /** The commit (for the working tree: HEAD's). */
  sha: string;
}

export interface EnvironmentTrees {
  before: Map<string, string>;
  after: Map<string, string>;
  /** Paths (relative to rendered/<env>/) whose content differs. */
  changed: Set<string>;
  /** Whether the environment exists at base / head. */
  inBase: boolean;
  inHead: boolean;
}

export interface RenderedAtRefs {
  base: RefInfo;
  head: RefInfo;
  environments: Map<string, EnvironmentTrees>;
}

export interface ReadOptions {
  /** Base ref; default: the merge base of HEAD with main (or origin/main). */
  base?: string;
  /** Head ref; default: the working tree. */
  head?: string;
  /** Unchanged files (relative to rendered/<env>/) to read as well, given what changed. */
  needs?: (path: string, changed: ReadonlySet<string>) => boolean;
}

/** The blob id git gives these bytes: equal ids, equal files. */
const blobId = (bytes: Buffer) => createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');

export async function readRenderedAtRefs(root: string, options: ReadOptions = {}): Promise<RenderedAtRefs> {
  const git = simpleGit(root);
  const top = (await git.raw(['rev-parse', '--show-toplevel']).catch(() => {
    throw new ReviewInputError(`${root} is not inside a git repository; infra diff compares commits: run it in a clone of the repository`);
  })).trim();
  const prefix = path.relative(fs.realpathSync(top), fs.realpathSync(root)).split(path.sep).filter(Boolean).concat('rendered').join('/');
  const mb = options.base === undefined ? await mergeBase(git) : undefined;
  const base: RefInfo = mb ? { ref: `merge base with ${mb.via}`, sha: mb.sha } : { ref: options.base!, sha: await commit(git, options.base!) };
  const head: RefInfo = options.head ? { ref: options.head, sha: await commit(git, options.head) } : { ref: 'working tree', sha: await commit(git, 'HEAD').catch(() => '') };

  const baseList = await listTree(git, base.sha, prefix);
  const headList = options.head ? await listTree(git, head.sha, prefix) : listWorkingTree(path.join(root, 'rendered'));

  // Group by environment, and find what differs.
  const envs = new Set<string>();
  for (const list of [baseList, headList]) for (const p of list.keys()) envs.add(p.split('/')[0]);
  const wanted = new Set<string>();
  const plan = new Map<string, { changed: Set<string>; paths: Set<string> }>();
  for (const env of [...envs].sort()) {
    const changed = new Set<string>();
    const all = new Set<string>();
    for (const list of [baseList, headList]) for (const p of list.keys()) if (p.startsWith(`${env}/`)) all.add(p.slice(env.length + 1));
    for (const p of all) if (baseList.get(`${env}/${p}`)?.id !== headList.get(`${env}/${p}`)?.id) changed.add(p);
    const paths = new Set(changed);
    // The head manifest gives the reviewed hash, even when nothing changed.
    for (const p of all) if (!changed.has(p) && (p === 'manifest.json' || options.needs?.(p, changed))) paths.add(p);
    plan.set(env, { changed, paths });
    for (const p of paths) for (const list of [baseList, headList]) { const e = list.get(`${env}/${p}`); if (e && !e.bytes) wanted.add(e.id); }
  }
  const blobs = await catFiles(top, [...wanted]);
  const text = (e: Entry | undefined) => (e ? (e.bytes ?? blobs.get(e.id)!).toString('utf8') : undefined);

  const environments = new Map<string, EnvironmentTrees>();
  for (const [env, { changed, paths }] of plan) {
    const before = new Map<string, string>();
    const after = new Map<string, string>();
    for (const p of [...paths].sort()) {
      const a = text(baseList.get(`${env}/${p}`));
      const b = text(headList.get(`${env}/${p}`));
      if (a !== undefined) before.set(p, a);
      if (b !== undefined) after.set(p, b);
    }
    const inBase = [...baseList.keys()].some((k) => k.startsWith(`${env}/`));
    const inHead = [...headList.keys()].some((k) => k.startsWith(`${env}/`));
    environments.set(env, { before, after, changed, inBase, inHead });
  }
  return { base, head, environments };
}

async function mergeBase(git: SimpleGit): Promise<{ sha: string; via: string }> {
  for (const main of ['main', 'origin/main']) {
    const sha = await git.raw(['merge-base', 'HEAD', main]).then((s) => s.trim(), () => '');
    if (sha) return { sha, via: main };
  }
  throw new ReviewInputError('no --base given and no main (or origin/main) to find the merge base with: pass --base REF (a branch, tag or commit)');
}

async function commit(git: SimpleGit, ref: string): Promise<string> {
  const sha = (await git.raw(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => '')).trim();
  if (!sha) throw new ReviewInputError(`"${ref}" is not a commit in this repository: pass a branch, tag or commit (git fetch it first if it is remote)`);
  return sha;
}

interface Entry {
  id: string;
  /** Content already in hand (the working tree). */
  bytes?: Buffer;
}

/** `<env>/<path>` → blob id of every file under rendered/ at a commit. */
async function listTree(git: SimpleGit, sha: string, prefix: string): Promise<Map<string, Entry>> {
  const out = new Map<string, Entry>();
  const raw = await git.raw(['ls-tree', '-r', '-z', '--full-tree', sha, '--', `${prefix}/`]);
  for (const record of raw.split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    const [, type, id] = record.slice(0, tab).split(' ');
    const rel = record.slice(tab + 1).slice(prefix.length + 1);
    if (type === 'blob' && rel.includes('/') && !rel.startsWith('.')) out.set(rel, { id });
  }
  return out;
}

/** The same listing for rendered/ on disk, hashed as git would (untracked files included). */
function listWorkingTree(dir: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const walk = (abs: string, rel: string) => {
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue; // rendered/.staging, rendered/.lock
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(abs, e.name), r);
      else if (e.isFile() && rel) {
        const bytes = fs.readFileSync(path.join(abs, e.name));
        out.set(r, { id: blobId(bytes), bytes });
      }
    }
  };
  if (fs.existsSync(dir)) walk(dir, '');
  return out;
}

/**
 * Contents of many blobs from one `git cat-file --batch` process. Spawned directly: simple-git
 * cannot feed a process's stdin, and one process per file is what this avoids.
 */
export function catFiles(cwd: string, ids: string[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  if (!ids.length) return Promise.resolve(out);
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`git cat-file --batch exited with ${code}: ${stderr.trim()}`));
      const all = Buffer.concat(chunks);
      let at = 0;
      while (at < all.length) {
        const nl = all.indexOf(0x0a, at);
        const [id, type, size] = all.subarray(at, nl).toString('utf8').split(' ');
        if (type === 'missing' || size === undefined) return reject(new Error(`git cat-file: ${id} is missing`));
        const n = Number(size);
        out.set(id, all.subarray(nl + 1, nl + 1 + n));
        at = nl + 1 + n + 1;
      }
      resolve(out);
    });
    child.stdin.end(ids.join('\n') + '\n');
  });
}
