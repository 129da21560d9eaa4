// `infra validate` type-checks the definitions it loads, as an editor would: tsx only strips
// types, so a wrong field type would otherwise surface, if ever, as a confusing schema message.
// The TypeScript compiler runs on the selected environments' index.ts (and whatever they
// import) with the tool's own compiler options, so `@infra/model` is the model of the tool that
// renders. The result is cached by the content hash of every file the check read, under
// node_modules/.cache/infra: an unchanged definition is not checked again.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Problem } from '@infra/model';
import type * as TS from 'typescript';
import { writeCacheFile } from '@infra/render';

// Found through the package, not __dirname, so the path holds when the CLI runs bundled.
const REPO = path.resolve(path.dirname(require.resolve('@infra/cli/package.json')), '../..');

interface CacheEntry {
  /** Every file the clean check read (definitions and the model), by content hash. */
  files: Record<string, string>;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hashOf = (file: string) => { try { return sha256(fs.readFileSync(file)); } catch { return 'absent'; } };

export interface TypecheckResult {
  problems: Problem[];
  /** False when every file was unchanged since the last check and its result was reused. */
  checked: boolean;
}

export function typecheckDefinitions(root: string, names: string[]): TypecheckResult {
  const envDir = path.join(root, 'environments');
  const roots = names.map((n) => path.join(envDir, n, 'index.ts'));
  const cacheFile = path.join(root, 'node_modules/.cache/infra/typecheck.json');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tsVersion = (require('typescript/package.json') as { version: string }).version;
  // One entry per environment: a clean check of several covers each of them alone.
  const keyOf = (rootFile: string) => sha256(`${tsVersion}\0${hashOf(path.join(REPO, 'tsconfig.base.json'))}\0${rootFile}`);
  let cache: Record<string, CacheEntry> = {};
  try { cache = JSON.parse(fs.readFileSync(cacheFile, 'utf8')); } catch { /* first run */ }
  // Only a clean result is reused: a failure may come from a file that does not exist yet.
  const unchanged = (entry: CacheEntry | undefined) => entry !== undefined && Object.entries(entry.files).every(([f, h]) => hashOf(f) === h);
  if (roots.every((r) => unchanged(cache[keyOf(r)]))) return { problems: [], checked: false };

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof TS;
  const base = ts.readConfigFile(path.join(REPO, 'tsconfig.base.json'), ts.sys.readFile);
  const options = ts.parseJsonConfigFileContent(base.config, ts.sys, REPO).options;
  options.noEmit = true;
  options.typeRoots = [path.join(REPO, 'node_modules/@types')];
  const program = ts.createProgram({ rootNames: roots, options });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const d of diagnostics) {
    const problem = toProblem(ts, d, envDir, names[0] ?? '-');
    const id = `${problem.env}\0${problem.path}\0${problem.message}`;
    if (!seen.has(id)) { seen.add(id); problems.push(problem); }
  }
  if (problems.length) return { problems, checked: true };
  const files: Record<string, string> = {};
  for (const sf of program.getSourceFiles()) {
    if (sf.fileName.includes('/node_modules/')) continue;
    files[path.resolve(sf.fileName)] = sha256(sf.text);
  }
  for (const r of roots) cache[keyOf(r)] = { files };
  writeCacheFile(cacheFile, JSON.stringify(cache) + '\n');
  return { problems, checked: true };
}

function toProblem(ts: typeof TS, d: TS.Diagnostic, envDir: string, fallback: string): Problem {
  const text = ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0];
  const message = `type error TS${d.code}: ${text}`;
  if (!d.file || d.start === undefined) return { env: fallback, path: '(types)', message };
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  const rel = path.relative(envDir, path.resolve(d.file.fileName));
  if (rel.startsWith('..')) return { env: fallback, path: `${path.relative(REPO, d.file.fileName)}:${line + 1}:${character + 1}`, message };
  const [folder, ...rest] = rel.split(path.sep);
  return { env: folder, path: `${rest.join('/')}:${line + 1}:${character + 1}`, message };
}
