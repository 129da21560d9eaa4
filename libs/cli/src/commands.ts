import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { behindReport } from '@infra/generator-inventory';
import { formatProblem, InvalidDefinition, type Environment, type Problem } from '@infra/model';
import { checkGenerators, checkTree, listTree, recover, removeTree, renderTree, withLock, writeTree, type Drift, type Generator, type RenderContext, type RenderedTree } from '@infra/render';
import type * as Validate from '@infra/validate';
import { RenderCache } from './render-cache';
import { timed, timedGenerators } from './timings';
import { environmentNames, loadWorkspace, select, type Workspace } from './workspace';

// The validator and the generators (with handlebars, yaml and ajv behind them) are loaded only
// when an environment has to be validated or rendered: a check of an unchanged tree needs none.
/* eslint-disable @typescript-eslint/no-require-imports */
let loaded: readonly Generator[] | undefined;
const generators = (): readonly Generator[] => (loaded ??= timedGenerators((require('./generators') as typeof import('./generators')).GENERATORS));
const validateEnvironment = (env: Environment) => (require('@infra/validate') as typeof Validate).validateEnvironment(env);
/* eslint-enable @typescript-eslint/no-require-imports */

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** Exit codes of DESIGN §3. */
export const EXIT = { ok: 0, drift: 1, internal: 1, invalid: 2 } as const;

function contextOf(ws: Workspace): RenderContext {
  return { environment: (name) => ws.environments.get(name) };
}

/** Validation, then every generator's checks: all problems of all selected environments. */
function problemsOf(ws: Workspace, envs: Environment[]): Problem[] {
  const ctx = contextOf(ws);
  return envs.flatMap((env) => {
    const problems = timed('validate', () => validateEnvironment(env));
    return problems.length ? problems : checkGenerators(env, generators(), ctx);
  });
}

function prepare(root: string, names: string[]): { ws: Workspace; envs: Environment[] } {
  const ws = timed('load definitions', () => loadWorkspace(root));
  const envs = select(ws, names);
  assertValid(ws, envs);
  return { ws, envs };
}

function assertValid(ws: Workspace, envs: Environment[]): void {
  const problems = problemsOf(ws, envs);
  if (problems.length) throw new InvalidDefinition(problems);
}

function renderAll(ws: Workspace, envs: Environment[]): Map<string, RenderedTree> {
  const ctx = contextOf(ws);
  return new Map(envs.map((env) => [env.name, timed('render (manifest)', () => renderTree(env, generators(), ctx))]));
}

export interface Options {
  /** Ignore the render cache: validate and render everything. */
  full?: boolean;
  /** inventory: list the servers not at the current level, compared with the rendering at this git ref. */
  behind?: string;
}

/**
 * The selected environments split into those whose rendered/ tree is verified to be what their
 * unchanged inputs render (nothing to do) and those that must be validated and rendered. When
 * every one is fresh, the definitions are not even loaded.
 */
function plan(root: string, names: string[], options: Options) {
  const renderedDir = path.join(root, 'rendered');
  withLock(renderedDir, () => recover(renderedDir));
  const cache = timed('fingerprint inputs', () => new RenderCache(root));
  const known = environmentNames(root);
  const wanted = names.length ? [...new Set(names)].sort() : known;
  const cacheable = !options.full && wanted.every((n) => known.includes(n));
  const fresh = cacheable ? wanted.filter((n) => timed('verify cached', () => cache.isFresh(renderedDir, n))) : [];
  if (fresh.length === wanted.length) return { renderedDir, known, wanted, fresh, stale: [] as Environment[], ws: undefined, cache };
  const ws = timed('load definitions', () => loadWorkspace(root));
  const stale = select(ws, names).filter((env) => !fresh.includes(env.name));
  assertValid(ws, stale);
  return { renderedDir, known, wanted, fresh, stale, ws, cache };
}

export function validateCommand(root: string, names: string[], io: Io): number {
  const { envs } = prepare(root, names);
  io.out(`valid: ${envs.map((e) => e.name).join(', ')}`);
  return EXIT.ok;
}

export function renderCommand(root: string, names: string[], io: Io, options: Options = {}): number {
  const { renderedDir, known, fresh, stale, ws, cache } = plan(root, names, options);
  // Everything is rendered in memory before the first byte is written: a generator that
  // throws leaves rendered/ exactly as it was.
  const trees = ws ? renderAll(ws, stale) : new Map<string, RenderedTree>();
  const lines = new Map<string, string[]>();
  for (const name of fresh) lines.set(name, [`${name}: 0 written, 0 deleted, every file unchanged (inputs unchanged since the last render, files verified)`]);
  const removed = withLock(renderedDir, () => {
    for (const [name, tree] of trees) {
      const r = timed('write', () => writeTree(renderedDir, name, tree));
      cache.record(renderedDir, name);
      const changes = [...r.written.map((p) => `  write  ${name}/${p}`), ...r.deleted.map((p) => `  delete ${name}/${p}`)];
      lines.set(name, [`${name}: ${r.written.length} written, ${r.deleted.length} deleted, ${r.unchanged} unchanged`, ...(changes.length <= 50 ? changes : [])]);
    }
    return names.length === 0 ? orphanedEnvironments(renderedDir, known).filter((gone) => removeTree(renderedDir, gone)) : [];
  });
  cache.save();
  for (const name of [...lines.keys()].sort()) lines.get(name)!.forEach((l) => io.out(l));
  for (const gone of removed) io.out(`${gone}: removed (no longer defined)`);
  return EXIT.ok;
}

export function checkCommand(root: string, names: string[], io: Io, options: Options = {}): number {
  const { renderedDir, known, wanted, stale, ws, cache } = plan(root, names, options);
  const drift: Drift[] = [];
  for (const [name, tree] of ws ? renderAll(ws, stale) : []) {
    const found = timed('compare', () => checkTree(renderedDir, name, tree));
    if (found.length === 0) cache.record(renderedDir, name);
    drift.push(...found);
  }
  cache.save();
  if (names.length === 0) {
    for (const gone of orphanedEnvironments(renderedDir, known)) for (const p of listTree(path.join(renderedDir, gone))) drift.push({ env: gone, path: p, kind: 'extra' });
  }
  if (drift.length === 0) {
    io.out(`up to date: ${wanted.join(', ')}`);
    return EXIT.ok;
  }
  const why = { stale: 'differs from what the definitions render', missing: 'is not in rendered/', extra: 'is not rendered by any definition' };
  for (const d of drift) io.err(`rendered/${d.env}/${d.path}: ${d.kind}, ${why[d.kind]}`);
  io.err(`${drift.length} file(s) out of date. Run \`npx infra render\` and commit rendered/ with the definitions; never edit rendered/ by hand.`);
  return EXIT.drift;
}

export function inventoryCommand(root: string, names: string[], io: Io, options: Options = {}): number {
  const { ws, envs } = prepare(root, names);
  if (options.behind !== undefined && !gitShow(root, options.behind, undefined)) {
    io.err(`infra inventory: --behind ${options.behind} is not a commit of this repository; give a branch, tag or commit (e.g. origin/main, the last applied commit)`);
    return EXIT.invalid;
  }
  for (const [name, tree] of renderAll(ws, envs)) {
    const file = options.behind === undefined ? 'INVENTORY.md' : 'inventory.json';
    const inventory = tree.get(file);
    if (!inventory) throw new Error(`no ${file} rendered for ${name}`);
    if (options.behind === undefined) io.out(inventory.content);
    else io.out(behindReport(name, options.behind, gitShow(root, options.behind, `rendered/${name}/inventory.json`), JSON.parse(inventory.content)));
  }
  return EXIT.ok;
}

/** A file's text at a git ref (or, without a file, whether the ref is a commit); undefined if absent. */
function gitShow(root: string, ref: string, file: string | undefined): string | undefined {
  const r = spawnSync('git', file === undefined ? ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`] : ['show', `${ref}:${file}`], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
  return r.status === 0 ? r.stdout : undefined;
}

/** Environment folders under rendered/ with a manifest of ours but no definition any more. */
function orphanedEnvironments(renderedDir: string, known: string[]): string[] {
  if (!fs.existsSync(renderedDir)) return [];
  return fs.readdirSync(renderedDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !known.includes(e.name))
    .filter((e) => fs.existsSync(path.join(renderedDir, e.name, 'manifest.json')))
    .map((e) => e.name)
    .sort();
}

export function printProblems(problems: Problem[], io: Io): void {
  for (const p of problems) io.err(formatProblem(p));
  io.err(`${problems.length} problem(s) found; nothing was written. Fix the definitions under environments/ and run the command again.`);
}
