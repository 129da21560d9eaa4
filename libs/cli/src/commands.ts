import * as fs from 'node:fs';
import * as path from 'node:path';
import { behindReport } from '@infra/generator-inventory';
import { formatProblem, InvalidDefinition, type Environment, type Problem } from '@infra/model';
import { checkGenerators, checkTree, listTree, recover, removeTree, renderTree, STAGING, withLock, writeTree, type Drift, type Generator, type RenderContext, type RenderedTree } from '@infra/render';
import type * as Validate from '@infra/validate';
import { RenderCache } from './render-cache';
import { forTerminal } from './terminal';
import { UsageError } from './usage-error';
import { scanRendered } from './secret-scan';
import { typecheckDefinitions } from './typecheck';
import { timed, timedAsync, timedGenerators } from './timings';
import { environmentNames, loadWorkspace, select, type Workspace } from './workspace';

// Loaded when `inventory --behind` asks git: node's child_process brings net, dgram and streams
// that render and check never use.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const childProcess = () => require('node:child_process') as typeof import('node:child_process');

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
export const EXIT = { ok: 0, drift: 1, internal: 1, invalid: 2, refused: 3, busy: 75 } as const;

export { UsageError };

function contextOf(ws: Workspace): RenderContext {
  return { environment: (name) => ws.environments.get(name) };
}

/**
 * Validation and every generator's checks, all of them, even when validation found problems:
 * every problem of every phase at once. A check that cannot read a definition validation
 * already refused contributes nothing (its shape is broken); on a valid one it is a bug.
 */
function problemsOf(ws: Workspace, envs: Environment[]): Problem[] {
  const ctx = contextOf(ws);
  return envs.flatMap((env) => {
    const problems = timed('validate', () => validateEnvironment(env));
    const seen = new Set(problems.map((p) => `${p.path}\0${p.message}`));
    for (const generator of generators()) {
      try {
        for (const p of checkGenerators(env, [generator], ctx)) if (!seen.has(`${p.path}\0${p.message}`)) problems.push(p);
      } catch (err) {
        if (problems.length === 0) throw err;
      }
    }
    return problems;
  });
}

function prepare(root: string, names: string[]): { ws: Workspace; envs: Environment[] } {
  assertKnown(names, environmentNames(root));
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
  /** Only the named environments, not those derived from them (which the output then calls stale). */
  only?: boolean;
}

/**
 * Recovers what a killed render left in rendered/.staging. Only then is the writers' lock needed:
 * a command that only reads (check) takes it only when there is something to recover, so a
 * reader never waits for, or is refused by, another reader.
 */
function recoverIfNeeded(renderedDir: string): void {
  if (fs.existsSync(path.join(renderedDir, STAGING))) withLock(renderedDir, () => recover(renderedDir));
}

/** Refuses names that are not environments before anything is loaded. */
function assertKnown(names: string[], known: string[]): void {
  const unknown = [...new Set(names)].filter((n) => !known.includes(n));
  if (unknown.length === 0) return;
  const one = unknown.length === 1;
  throw new UsageError(`${one ? 'no environment' : 'no environments'} ${unknown.map((n) => `"${n}"`).join(', ')} (known: ${known.join(', ')}). ` +
    `Check the spelling, or define ${one ? 'it' : 'each'} in environments/${one ? unknown[0] : '<name>'}/index.ts.`);
}

/** The named environments and, transitively, every environment derived from one of them. */
function withDerived(names: string[], parentOf: ReadonlyMap<string, string | undefined>): { wanted: string[]; added: Map<string, string> } {
  const wanted = new Set(names);
  const added = new Map<string, string>();
  for (let grew = true; grew;) {
    grew = false;
    for (const [child, parent] of [...parentOf].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (parent !== undefined && wanted.has(parent) && !wanted.has(child)) {
        wanted.add(child);
        added.set(child, parent);
        grew = true;
      }
    }
  }
  return { wanted: [...wanted].sort(), added };
}

const parentsOf = (ws: Workspace) => new Map([...ws.environments].map(([n, e]) => [n, e.derivedFrom?.environment]));

/**
 * The selected environments (with those derived from them) split into those whose rendered/
 * tree is verified to be what their unchanged inputs render (nothing to do) and those that must
 * be validated and rendered. When every one is fresh, the definitions are not even loaded.
 */
function plan(root: string, names: string[], options: Options, lock: 'reader' | 'writer') {
  const renderedDir = path.join(root, 'rendered');
  if (lock === 'writer') withLock(renderedDir, () => recover(renderedDir));
  else recoverIfNeeded(renderedDir);
  const known = environmentNames(root);
  assertKnown(names, known);
  const cache = timed('fingerprint inputs', () => new RenderCache(root));
  let ws: Workspace | undefined;
  // Which environment derives from which is known from the last render of these same inputs;
  // otherwise the definitions must be loaded to find out.
  let parents = options.full ? undefined : cache.parents(known);
  if (names.length && !parents) {
    ws = timed('load definitions', () => loadWorkspace(root));
    parents = parentsOf(ws);
  }
  const expanded = names.length ? withDerived(names, parents!) : { wanted: known, added: new Map<string, string>() };
  // --only: the derived environments are left as they are, and said to be left.
  const { wanted, added } = options.only && names.length ? { wanted: [...new Set(names)].sort(), added: new Map<string, string>() } : expanded;
  const skipped = options.only ? expanded.added : new Map<string, string>();
  const fresh = options.full ? [] : wanted.filter((n) => timed('verify cached', () => cache.isFresh(renderedDir, n)));
  if (fresh.length === wanted.length) return { renderedDir, known, wanted, added, skipped, fresh, stale: [] as Environment[], ws, cache };
  ws ??= timed('load definitions', () => loadWorkspace(root));
  const stale = select(ws, wanted).filter((env) => !fresh.includes(env.name));
  assertValid(ws, stale);
  return { renderedDir, known, wanted, added, skipped, fresh, stale, ws, cache };
}

const derivedNote = (added: Map<string, string>, verb: string) =>
  [...added].map(([child, parent]) => `note: ${child} is derived from ${parent}, so it was ${verb} too`);
const skippedNote = (skipped: Map<string, string>, verb: string) =>
  [...skipped].map(([child, parent]) => `note: ${child} is derived from ${parent} and was not ${verb} (--only): it may now be stale; run \`infra render ${child}\``);

/**
 * Every problem of the definitions at once: their types (TypeScript), whether they load, the
 * schema and rules, and every generator's checks.
 */
export function validateCommand(root: string, names: string[], io: Io): number {
  const known = environmentNames(root);
  assertKnown(names, known);
  const selected = names.length ? [...new Set(names)].sort() : known;
  const types = timed('typecheck', () => typecheckDefinitions(root, selected));
  let envs: Environment[] = [];
  const problems = [...types.problems];
  try {
    const ws = timed('load definitions', () => loadWorkspace(root));
    envs = select(ws, selected);
    problems.push(...problemsOf(ws, envs));
  } catch (err) {
    if (!(err instanceof InvalidDefinition)) throw err;
    problems.push(...err.problems);
  }
  if (problems.length) throw new InvalidDefinition(withoutRepeatedSyntaxErrors(problems));
  io.out(`valid: ${envs.map((e) => e.name).join(', ')} (types ${types.checked ? 'checked' : 'unchanged since the last clean check'})`);
  return EXIT.ok;
}

/** A syntax error is reported by the loader (esbuild) and the compiler (TS1xxx): keep the loader's. */
function withoutRepeatedSyntaxErrors(problems: Problem[]): Problem[] {
  const fileOf = (p: Problem) => `${p.env}/${p.path.split(':')[0]}`;
  const loaderSaw = new Set(problems.filter((p) => p.message.startsWith('syntax error:')).map(fileOf));
  return problems.filter((p) => !(/^type error TS1\d{3}:/.test(p.message) && loaderSaw.has(fileOf(p))));
}

export function renderCommand(root: string, names: string[], io: Io, options: Options = {}): number {
  const { renderedDir, known, added, skipped, fresh, stale, ws, cache } = plan(root, names, options, 'writer');
  // Everything is rendered in memory before the first byte is written: a generator that
  // throws leaves rendered/ exactly as it was.
  const trees = ws ? renderAll(ws, stale) : new Map<string, RenderedTree>();
  const lines = new Map<string, string[]>();
  for (const name of fresh) lines.set(name, [`${name}: 0 written, 0 deleted, every file unchanged (inputs unchanged since the last render, files verified)`]);
  const removed = withLock(renderedDir, () => {
    for (const [name, tree] of trees) {
      const r = timed('write', () => writeTree(renderedDir, name, tree));
      cache.record(renderedDir, name, ws!.environments.get(name)!.derivedFrom?.environment);
      const changes = [...r.written.map((p) => `  write  ${name}/${p}`), ...r.deleted.map((p) => `  delete ${name}/${p}`)];
      lines.set(name, [`${name}: ${r.written.length} written, ${r.deleted.length} deleted, ${r.unchanged} unchanged`, ...(changes.length <= 50 ? changes : [])]);
    }
    return names.length === 0 ? orphanedEnvironments(renderedDir, known).filter((gone) => removeTree(renderedDir, gone)) : [];
  });
  cache.save();
  for (const name of [...lines.keys()].sort()) lines.get(name)!.forEach((l) => io.out(l));
  for (const gone of removed) io.out(`${gone}: removed (no longer defined)`);
  derivedNote(added, 'rendered').forEach((l) => io.out(l));
  skippedNote(skipped, 'rendered').forEach((l) => io.out(l));
  return EXIT.ok;
}

export async function checkCommand(root: string, names: string[], io: Io, options: Options = {}): Promise<number> {
  const { renderedDir, known, wanted, added, stale, ws, cache } = plan(root, names, options, 'reader');
  const drift: Drift[] = [];
  for (const [name, tree] of ws ? renderAll(ws, stale) : []) {
    const found = timed('compare', () => checkTree(renderedDir, name, tree));
    if (found.length === 0) cache.record(renderedDir, name, ws!.environments.get(name)!.derivedFrom?.environment);
    drift.push(...found);
  }
  cache.save();
  if (names.length === 0) {
    for (const gone of orphanedEnvironments(renderedDir, known)) for (const p of listTree(path.join(renderedDir, gone))) drift.push({ env: gone, path: p, kind: 'extra' });
  }
  const drifted = new Set(drift.map((d) => d.env));
  const verified = new Set(wanted.filter((n) => !drifted.has(n)));
  const scan = await timedAsync('secret scan', () => scanRendered(root, renderedDir, wanted, verified));
  for (const f of scan.findings) io.err(`rendered/${f.file}:${f.line}:${f.column}: ${f.message} (${f.rule})`);
  if (scan.findings.length) {
    io.err(`${scan.findings.length} secret(s) found in rendered/. A secret's value must never be rendered: keep it in Vault, ` +
      'reference it from the definition with secret("kv/<path>#<key>"), and render again (and rotate it if it was ever committed).');
  }
  const scanned = `secret scan: ${scan.scanned} changed file(s) read, ${scan.unchanged} unchanged since the last clean scan`;
  if (drift.length === 0) {
    if (scan.findings.length) return EXIT.invalid;
    io.out(`up to date: ${wanted.join(', ')} (${scanned})`);
    derivedNote(added, 'checked').forEach((l) => io.out(l));
    return EXIT.ok;
  }
  derivedNote(added, 'checked').forEach((l) => io.err(l));
  const why = { stale: 'differs from what the definitions render', missing: 'is not in rendered/', extra: 'is not rendered by any definition' };
  for (const d of drift) io.err(`rendered/${d.env}/${d.path}: ${d.kind}, ${why[d.kind]}`);
  io.err(`${drift.length} file(s) out of date. Run \`npx infra render\` and commit rendered/ with the definitions; never edit rendered/ by hand.`);
  // A secret in rendered/ is a definition error (DESIGN §3), which outranks staleness.
  return scan.findings.length ? EXIT.invalid : EXIT.drift;
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
    if (options.behind === undefined) io.out(forTerminal(inventory.content));
    else io.out(behindReport(name, options.behind, gitShow(root, options.behind, `rendered/${name}/inventory.json`), JSON.parse(inventory.content)));
  }
  return EXIT.ok;
}

/** A file's text at a git ref (or, without a file, whether the ref is a commit); undefined if absent. */
function gitShow(root: string, ref: string, file: string | undefined): string | undefined {
  const r = childProcess().spawnSync('git', file === undefined ? ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`] : ['show', `${ref}:${file}`], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
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
