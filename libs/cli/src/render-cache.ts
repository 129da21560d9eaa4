// Remembers, per environment, which inputs produced the tree now in rendered/<env>, so that
// `check` and an unchanged `render` need neither load nor render the definitions again (as Nx
// skips a task whose inputs did not change). The inputs are every source file that can shape the
// output: the tool's (libs, generators, templates, lockfile, the Node and zlib versions) and the
// workspace's environments/ folder. Definitions are pure data, like generators (no clock, no
// environment variables, no files): the same sources always define the same environments.
// A hit still reads every file under rendered/<env> and compares its sha256 with the manifest,
// so a hand edit, a stray or a missing file is always caught. The cache lives in
// node_modules/.cache (never committed), so a fresh clone, CI included, always takes the full
// path; `--full` forces it anywhere.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listTree, MANIFEST, writeCacheFile } from '@infra/render';

// Found through the package, not __dirname, so the path holds when the CLI runs bundled.
const REPO = path.resolve(path.dirname(require.resolve('@infra/cli/package.json')), '../..');
const TOOL_DIRS = ['libs', 'generators'];

interface Entry {
  inputs: string;
  manifest: string;
  /** The environment this one is derived from (aws-dr from lenexa), as these inputs define it. */
  derivedFrom?: string;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** sha256 over every input source: any change to the tool or to a definition invalidates all. */
export function inputFingerprint(root: string): string {
  const hash = createHash('sha256').update(`node ${process.versions.node} zlib ${process.versions.zlib}\n`);
  const files: string[] = [];
  for (const top of TOOL_DIRS) {
    for (const rel of listTree(path.join(REPO, top))) {
      // Build outputs are no input (the sidecar's 83 MiB executable under libs/sidecar/dist once
      // cost every command 120 ms of hashing), nor are tests, test support and docs.
      if (/(^|\/)(node_modules|__golden__|testing|dist)\//.test(rel) || rel.endsWith('.test.ts') || rel.endsWith('.md')) continue;
      files.push(path.join(REPO, top, rel));
    }
  }
  files.push(path.join(REPO, 'package-lock.json'), path.join(REPO, 'tsconfig.base.json'));
  for (const rel of listTree(path.join(root, 'environments'))) {
    if (!rel.endsWith('.test.ts') && !/(^|\/)node_modules\//.test(rel)) files.push(path.join(root, 'environments', rel));
  }
  for (const file of files.sort()) {
    hash.update(file).update('\0');
    try { hash.update(fs.readFileSync(file)); } catch { hash.update('absent'); }
    hash.update('\0');
  }
  return hash.digest('hex');
}

export class RenderCache {
  private readonly file: string;
  private entries: Record<string, Entry>;
  private readonly inputs: string;

  constructor(root: string) {
    this.file = path.join(root, 'node_modules/.cache/infra/render-cache.json');
    try { this.entries = JSON.parse(fs.readFileSync(this.file, 'utf8')); } catch { this.entries = {}; }
    // Every definition counts for every environment: a derived one renders from its production.
    this.inputs = inputFingerprint(root);
  }

  /** True when rendered/<env> is exactly what these inputs rendered before, file by file. */
  isFresh(renderedDir: string, env: string): boolean {
    const entry = this.entries[env];
    if (!entry || entry.inputs !== this.inputs) return false;
    const dir = path.join(renderedDir, env);
    let manifestText: string;
    try { manifestText = fs.readFileSync(path.join(dir, MANIFEST), 'utf8'); } catch { return false; }
    if (sha256(manifestText) !== entry.manifest) return false;
    const listed = (JSON.parse(manifestText) as { files: Record<string, { sha256: string }> }).files;
    const onDisk = listTree(dir);
    if (onDisk.size !== Object.keys(listed).length + 1) return false;
    for (const [rel, { sha256: expected }] of Object.entries(listed)) {
      let bytes: Buffer;
      try { bytes = fs.readFileSync(path.join(dir, rel)); } catch { return false; }
      if (sha256(bytes) !== expected) return false;
    }
    return true;
  }

  /** Records that rendered/<env> now holds what the current inputs render. */
  record(renderedDir: string, env: string, derivedFrom: string | undefined): void {
    const manifest = fs.readFileSync(path.join(renderedDir, env, MANIFEST), 'utf8');
    this.entries[env] = { inputs: this.inputs, manifest: sha256(manifest), ...(derivedFrom ? { derivedFrom } : {}) };
  }

  /**
   * Which environment each one derives from, when every environment was rendered from the
   * current inputs (so the answer is what loading the definitions would say); else undefined.
   */
  parents(known: string[]): Map<string, string | undefined> | undefined {
    if (!known.every((n) => this.entries[n]?.inputs === this.inputs)) return undefined;
    return new Map(known.map((n) => [n, this.entries[n].derivedFrom]));
  }

  save(): void {
    writeCacheFile(this.file, JSON.stringify(this.entries, null, 2) + '\n');
  }
}
