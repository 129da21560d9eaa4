// Loads one environment definition (environments/<name>/index.ts and everything it imports) as a
// single esbuild bundle, kept in node_modules/.cache/infra/definitions and reused while the
// content of every file in it is the same. Loading definitions through tsx's require hooks cost
// every later `require` of the command the hooks' toll and loaded the model library a second time
// from source; a bundle is one compile, and `@infra/model` in it is the command's own model.
//
// Errors stay located: esbuild's errors (syntax, an import that does not resolve) carry their
// file, line and column; a runtime error's stack frames inside the bundle are mapped back to the
// TypeScript source through the bundle's source map (read only when something failed).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire, SourceMap } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';
import * as model from '@infra/model';
import { writeCacheFile } from '@infra/render';

/** Bumped when what a cached bundle holds, or how it is made, changes. */
const FORMAT = 1;
/** The model is the command's own: definitions build objects that the command checks and renders. */
const SHARED: Readonly<Record<string, unknown>> = { '@infra/model': model };

/** Where a definition does not build (esbuild's errors), each with its source location. */
export class DefinitionBuildError extends Error {
  constructor(readonly errors: readonly { file?: string; line?: number; column?: number; text: string }[]) {
    super(errors.map((e) => (e.file ? `${e.file}:${e.line}:${e.column}: ${e.text}` : e.text)).join('\n'));
    this.name = 'DefinitionBuildError';
  }
}

interface Cached {
  format: number;
  /** esbuild's version, the tsconfig's text: what builds the bundle besides the sources. */
  toolKey: string;
  /** Every source file in the bundle with the sha256 of its content. */
  inputs: [file: string, sha256: string][];
  /** Every folder holding an input with the sha256 of its sorted entry names (a new file can change what an import resolves to). */
  dirs: [dir: string, sha256: string][];
  code: string;
  map: string;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

function dirKey(dir: string): string {
  try {
    return sha256(fs.readdirSync(dir).sort().join('\n'));
  } catch {
    return 'absent';
  }
}

function fileKey(file: string): string {
  try {
    return sha256(fs.readFileSync(file));
  } catch {
    return 'absent';
  }
}

function tsconfigPath(): string {
  // bin/infra.js sets it to the tool checkout's tsconfig (its path aliases resolve @infra/*).
  return process.env.TSX_TSCONFIG_PATH || path.resolve(path.dirname(require.resolve('@infra/cli/package.json')), '../../tsconfig.json');
}

function toolKey(tsconfig: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuildVersion = (require('esbuild/package.json') as { version: string }).version;
  const base = path.join(path.dirname(tsconfig), 'tsconfig.base.json');
  return sha256(`${FORMAT}\0${esbuildVersion}\0${tsconfig}\0${fileKey(tsconfig)}\0${fileKey(base)}\0${Object.keys(SHARED).join(',')}`);
}

function isFresh(cached: Cached, tool: string): boolean {
  return cached.format === FORMAT && cached.toolKey === tool &&
    cached.inputs.every(([file, key]) => fileKey(file) === key) &&
    cached.dirs.every(([dir, key]) => dirKey(dir) === key);
}

function build(entry: string, outfile: string, tsconfig: string, tool: string): Cached {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  const cwd = path.dirname(entry);
  let result: import('esbuild').BuildResult & { outputFiles: import('esbuild').OutputFile[]; metafile: import('esbuild').Metafile };
  try {
    result = esbuild.buildSync({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // npm packages load from node_modules as usual; the model is handed in (SHARED).
      packages: 'external',
      external: Object.keys(SHARED),
      tsconfig,
      sourcemap: 'external',
      sourcesContent: false,
      metafile: true,
      write: false,
      outfile,
      absWorkingDir: cwd,
      logLevel: 'silent',
    });
  } catch (err) {
    const errors = (err as { errors?: import('esbuild').Message[] }).errors;
    if (!errors?.length) throw err;
    throw new DefinitionBuildError(errors.map((e) => (e.location
      ? { file: path.resolve(cwd, e.location.file), line: e.location.line, column: e.location.column + 1, text: e.text }
      : { text: e.text })));
  }
  const out = (suffix: string) => result.outputFiles.find((f) => f.path.endsWith(suffix))!.text;
  const inputs = Object.keys(result.metafile.inputs).map((f) => path.resolve(cwd, f)).sort();
  return {
    format: FORMAT,
    toolKey: tool,
    inputs: inputs.map((f) => [f, fileKey(f)]),
    dirs: [...new Set(inputs.map((f) => path.dirname(f)))].sort().map((d) => [d, dirKey(d)]),
    code: out('.js'),
    map: out('.js.map'),
  };
}

/**
 * The module.exports of `<root>/environments/<name>/index.ts`. Throws DefinitionBuildError when it
 * does not build; a runtime error of the definition is thrown with its stack mapped to the
 * TypeScript sources.
 */
export function loadDefinition(root: string, name: string): unknown {
  const entry = path.join(root, 'environments', name, 'index.ts');
  const cacheDir = path.join(root, 'node_modules/.cache/infra/definitions');
  const cacheFile = path.join(cacheDir, `${name}.json`);
  const outfile = path.join(cacheDir, `${name}.js`);
  const tsconfig = tsconfigPath();
  const tool = toolKey(tsconfig);
  let cached: Cached | undefined;
  try {
    cached = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as Cached;
    if (!isFresh(cached, tool)) cached = undefined;
  } catch {
    cached = undefined;
  }
  if (!cached) {
    cached = build(entry, outfile, tsconfig, tool);
    writeCacheFile(cacheFile, JSON.stringify(cached));
  }
  return run(cached, outfile);
}


function run(cached: Cached, filename: string): unknown {
  const requireFromBundle = createRequire(filename);
  const require = (id: string) => (Object.prototype.hasOwnProperty.call(SHARED, id) ? SHARED[id] : requireFromBundle(id));
  const fn = vm.compileFunction(cached.code, ['exports', 'require', 'module', '__filename', '__dirname'], { filename });
  const module = { exports: {} as unknown };
  try {
    fn.call(module.exports, module.exports, require, module, filename, path.dirname(filename));
  } catch (err) {
    if (err instanceof Error) mapStack(err, cached, filename);
    throw err;
  }
  return module.exports;
}

/** Rewrites the error's stack frames that point into the bundle to the TypeScript source they came from. */
function mapStack(err: Error, cached: Cached, filename: string): void {
  const stack = err.stack;
  if (!stack || !stack.includes(filename)) return;
  const map = new SourceMap(JSON.parse(cached.map));
  const escaped = filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  err.stack = stack.replace(new RegExp(`${escaped}:(\\d+):(\\d+)`, 'g'), (whole, line: string, column: string) => {
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    if (entry.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) return whole;
    const source = entry.originalSource.startsWith('file://') ? new URL(entry.originalSource).pathname : path.resolve(path.dirname(filename), entry.originalSource);
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}
