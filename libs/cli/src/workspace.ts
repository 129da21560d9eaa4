import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidDefinition, type Environment, type Problem } from '@infra/model';
import { DefinitionBuildError, loadDefinition } from './definition-loader';
import { UsageError } from './usage-error';

/** Folders under environments/ that hold shared parts, not an environment. */
const NOT_ENVIRONMENTS = new Set(['common']);

export interface Workspace {
  root: string;
  renderedDir: string;
  /** Every environment, by name, in name order. */
  environments: Map<string, Environment>;
}

/** The workspace root: INFRA_ROOT, or the nearest folder upwards holding environments/. */
export function findRoot(start = process.cwd()): string {
  if (process.env.INFRA_ROOT) return path.resolve(process.env.INFRA_ROOT);
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'environments'))) return dir;
    if (path.dirname(dir) === dir) throw new InvalidDefinition([{ env: '-', path: start, message: 'no environments/ folder here or above; run infra inside the repository' }]);
  }
}

/**
 * Loads every `environments/<name>/index.ts`. A definition that does not load (a syntax error,
 * a bad `secret(...)`) is a problem of that environment, reported with the others.
 */
export function loadWorkspace(root: string): Workspace {
  const envDir = path.join(root, 'environments');
  const names = environmentNames(root);
  const environments = new Map<string, Environment>();
  const problems: Problem[] = aliasImports(envDir);
  // A file that fails to load fails every environment importing it: report it once, at the file
  // and line it comes from, naming the environments it stopped.
  const failures = new Map<string, { problem: Problem; stopped: string[] }>();
  for (const name of names) {
    try {
      const env = (loadDefinition(root, name) as { default?: Environment } | undefined)?.default;
      if (!env || typeof env !== 'object') problems.push({ env: name, path: 'index.ts', message: 'must `export default defineEnvironment({...})`' });
      else if (env.name !== name) problems.push({ env: name, path: 'name', message: `is "${env.name}" but the folder is environments/${name}; they must match` });
      else environments.set(name, env);
    } catch (err) {
      for (const problem of loadProblems(err, envDir, name)) {
        const key = `${problem.env}\0${problem.path}\0${problem.message}`;
        const seen = failures.get(key);
        if (seen) seen.stopped.push(name);
        else failures.set(key, { problem, stopped: [name] });
      }
    }
  }
  for (const { problem, stopped } of failures.values()) {
    const others = stopped.filter((n) => n !== problem.env);
    problems.push(others.length ? { ...problem, message: `${problem.message} (so ${others.join(', ')} cannot load either)` } : problem);
  }
  if (problems.length) throw new InvalidDefinition(problems);
  return { root, renderedDir: path.join(root, 'rendered'), environments };
}

/**
 * Environments import each other relatively (`../lenexa`), never through the tool checkout's
 * path aliases (`@infra/env-lenexa`): an alias resolves to the tool's copy, so a copied or
 * checked-out workspace would silently derive from definitions that are not its own.
 */
function aliasImports(envDir: string): Problem[] {
  const problems: Problem[] = [];
  const files = fs.readdirSync(envDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => path.join(e.parentPath ?? e.path, e.name))
    .filter((f) => !f.includes(`${path.sep}node_modules${path.sep}`))
    .sort();
  for (const file of files) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      for (const m of line.matchAll(/(['"])@infra\/env-([a-z0-9-]+)\1/g)) {
        const [folder, ...rest] = path.relative(envDir, file).split(path.sep);
        const target = path.relative(path.dirname(file), path.join(envDir, m[2])).split(path.sep).join('/');
        problems.push({
          env: folder, path: `${rest.join('/')}:${i + 1}:${m.index! + 1}`,
          message: `imports @infra/env-${m[2]}, which resolves to the tool checkout's copy, not this workspace's: import it relatively, from '${target.startsWith('.') ? target : `./${target}`}'`,
        });
      }
    });
  }
  return problems;
}

/**
 * Where a definition failed to load, as `file:line:col` under environments/: esbuild's locations
 * when it does not build (a syntax error, an import that does not resolve; every one of them),
 * else the innermost stack frame inside environments/ (the loader maps frames back to the
 * TypeScript source). A problem belongs to the folder holding its file, which is not always the
 * environment being loaded.
 */
export function loadProblems(err: unknown, envDir: string, loading: string): Problem[] {
  const inside = (file: string) => {
    const rel = path.relative(envDir, file);
    return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : rel.split(path.sep);
  };
  if (err instanceof DefinitionBuildError) {
    return err.errors.map((e) => {
      const parts = e.file ? inside(e.file) : undefined;
      const what = /^Could not resolve /.test(e.text) ? `does not load: ${e.text}` : `syntax error: ${e.text}`;
      if (!parts || parts.includes('node_modules')) return { env: loading, path: 'index.ts', message: e.file ? `${what} (in ${e.file}:${e.line}:${e.column})` : what };
      const [folder, ...rest] = parts;
      return { env: folder, path: `${rest.join('/')}:${e.line}:${e.column}`, message: what };
    });
  }
  const text = err instanceof Error ? err.message : String(err);
  const what = err instanceof Error && err.name !== 'Error' ? `${err.name}: ${text.split('\n')[0]}` : text.split('\n')[0];
  const stack = err instanceof Error ? err.stack ?? '' : '';
  for (const m of stack.matchAll(/\(?((?:\/|[A-Za-z]:\\)[^():\n]+):(\d+):(\d+)\)?$/gm)) {
    const parts = inside(m[1]);
    if (!parts || parts.includes('node_modules')) continue;
    const [folder, ...rest] = parts;
    return [{ env: folder, path: `${rest.join('/')}:${m[2]}:${m[3]}`, message: `does not load: ${what}` }];
  }
  return [{ env: loading, path: 'index.ts', message: `does not load: ${what}` }];
}

/**
 * Names of the environments (folders of environments/ with an index.ts), without loading them.
 * Every folder is an environment (common holds shared parts): one without index.ts is a mistake,
 * not something to skip in silence.
 */
export function environmentNames(root: string): string[] {
  const envDir = path.join(root, 'environments');
  const folders = fs.readdirSync(envDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules' && !NOT_ENVIRONMENTS.has(e.name))
    .map((e) => e.name)
    .sort();
  const missing = folders.filter((name) => !fs.existsSync(path.join(envDir, name, 'index.ts')));
  if (missing.length) {
    throw new InvalidDefinition(missing.map((name) => ({
      env: name, path: 'index.ts',
      message: `missing: every folder under environments/ is an environment, defined by its index.ts. Create environments/${name}/index.ts ` +
        "with `export default defineEnvironment({ name: '" + name + "', ... })` (copy environments/lenexa/index.ts to start), " +
        'or move the folder out of environments/ (shared parts belong in environments/common/)',
    })));
  }
  return folders;
}

/** The environments named on the command line (all when none); names are checked before loading. */
export function select(ws: Workspace, names: string[]): Environment[] {
  if (names.length === 0) return [...ws.environments.values()];
  const unknown = names.filter((n) => !ws.environments.has(n));
  if (unknown.length) throw new UsageError(`no environment ${unknown.map((n) => `"${n}"`).join(', ')} (known: ${[...ws.environments.keys()].join(', ')})`);
  return [...new Set(names)].sort().map((n) => ws.environments.get(n)!);
}
