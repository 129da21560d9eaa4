// `infra check` reads the rendered files with secretlint's recommended rules, a maintained
// scanner that knows far more credential shapes than the definition rules: a secret that slipped
// past them (a new generator, a template) is still caught before it is committed. Only files
// whose content changed since the last clean scan on this machine are read again: the clean
// content hashes live in node_modules/.cache/infra (a fresh clone, CI, scans everything).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { listTree, MANIFEST, writeCacheFile } from '@infra/render';
import { importEsm } from './esm-import';

export interface SecretFinding {
  /** Path under rendered/, e.g. "lenexa/marathon/web/storefront.json". */
  file: string;
  line: number;
  column: number;
  message: string;
  rule: string;
}

export interface ScanResult {
  findings: SecretFinding[];
  scanned: number;
  unchanged: number;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

// secretlint is ESM only (esm-import.ts says how the CommonJS CLI imports it).
const load = (pkg: string) => importEsm(pathToFileURL(require.resolve(pkg)).href);

const RULESET = '@secretlint/secretlint-rule-preset-recommend';

/** Which scanner and rules made a cache entry: another version must scan again. */
function scannerVersion(): string {
  const v = (pkg: string) => (JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version;
  return `core ${v('@secretlint/core')} ${RULESET} ${v(RULESET)}`;
}

/**
 * secretlint's built-in profiler keeps every performance mark of every lint and matches each new
 * one against all before it: quadratic, about 5 s after scanning 1,200 files, all spent after the
 * scan has finished. Draining it now and then (letting its observer and measures run, then
 * dropping what it kept) keeps a scan linear.
 */
async function quietProfiler(): Promise<{ drain(): Promise<void> }> {
  interface Profiler { entries: unknown[]; measures: unknown[]; getEntries(): Promise<unknown[]> }
  let profiler: Profiler | undefined;
  try { profiler = (await load('@secretlint/profiler')).secretLintProfiler as Profiler; } catch { /* another layout: only slower */ }
  return {
    async drain() {
      if (!profiler) return;
      await new Promise((r) => setImmediate(r)); // the observer delivers the marks
      await profiler.getEntries(); // and its pending measures settle
      profiler.entries.length = 0;
      profiler.measures.length = 0;
      performance.clearMarks();
      performance.clearMeasures();
    },
  };
}

function manifestHashes(dir: string): Map<string, string> | undefined {
  try {
    const files = (JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8')) as { files: Record<string, { sha256: string }> }).files;
    return new Map(Object.entries(files).map(([rel, f]) => [rel, f.sha256]));
  } catch {
    return undefined;
  }
}

/**
 * Scans the files of `envs` under rendered/. `verified` names the environments whose files were
 * just compared with their manifest (byte for byte or by hash) and found equal.
 */
export async function scanRendered(root: string, renderedDir: string, envs: string[], verified: ReadonlySet<string> = new Set()): Promise<ScanResult> {
  const cacheFile = path.join(root, 'node_modules/.cache/infra/secret-scan.json');
  const version = scannerVersion();
  let clean = new Set<string>();
  try {
    const saved = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as { version: string; clean: string[] };
    if (saved.version === version) clean = new Set(saved.clean);
  } catch { /* no cache yet */ }

  const todo: { file: string; content: Buffer; hash: string }[] = [];
  let unchanged = 0;
  for (const env of envs) {
    // A tree just verified against its manifest has the manifest's hashes: no need to read
    // every file again only to learn that it was scanned before.
    const listed = verified.has(env) ? manifestHashes(path.join(renderedDir, env)) : undefined;
    for (const rel of [...listTree(path.join(renderedDir, env))].sort()) {
      const known = listed?.get(rel);
      if (known !== undefined && clean.has(known)) { unchanged++; continue; }
      const content = fs.readFileSync(path.join(renderedDir, env, rel));
      const hash = sha256(content);
      if (clean.has(hash)) unchanged++;
      else todo.push({ file: `${env}/${rel}`, content, hash });
    }
  }
  const findings: SecretFinding[] = [];
  if (todo.length) {
    const { lintSource } = await load('@secretlint/core') as { lintSource: (o: unknown) => Promise<{ messages: { loc: { start: { line: number; column: number } }; message: string; ruleId: string; severity?: string }[] }> };
    const { creator } = await load(RULESET);
    const config = { rules: [{ id: RULESET, rule: creator }] };
    const profiler = await quietProfiler();
    for (const [i, f] of todo.entries()) {
      if (i % 20 === 19) await profiler.drain();
      const result = await lintSource({ source: { filePath: path.join(renderedDir, f.file), content: f.content.toString('utf8'), contentType: 'text' }, options: { config } });
      const found = result.messages.filter((m) => m.severity !== 'info');
      for (const m of found) findings.push({ file: f.file, line: m.loc.start.line, column: m.loc.start.column + 1, message: m.message, rule: m.ruleId });
      if (found.length === 0) clean.add(f.hash);
    }
    await profiler.drain();
    writeCacheFile(cacheFile, JSON.stringify({ version, clean: [...clean].sort() }) + '\n');
  }
  return { findings, scanned: todo.length, unchanged };
}
