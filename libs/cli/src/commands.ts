import { formatProblem, InvalidDefinition, type Environment, type Problem } from '@infra/model';
import { validateEnvironment } from '@infra/validate';
import { checkGenerators, checkTree, recover, removeTree, renderTree, writeTree, type Drift, type RenderContext, type RenderedTree } from '@infra/render';
import { listTree } from '@infra/render';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GENERATORS } from './generators';
import { loadWorkspace, select, type Workspace } from './workspace';

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
    const problems = validateEnvironment(env);
    return problems.length ? problems : checkGenerators(env, GENERATORS, ctx);
  });
}

function prepare(root: string, names: string[]): { ws: Workspace; envs: Environment[] } {
  const ws = loadWorkspace(root);
  const envs = select(ws, names);
  const problems = problemsOf(ws, envs);
  if (problems.length) throw new InvalidDefinition(problems);
  return { ws, envs };
}

function renderAll(ws: Workspace, envs: Environment[]): Map<string, RenderedTree> {
  const ctx = contextOf(ws);
  return new Map(envs.map((env) => [env.name, renderTree(env, GENERATORS, ctx)]));
}

export function validateCommand(root: string, names: string[], io: Io): number {
  const { envs } = prepare(root, names);
  io.out(`valid: ${envs.map((e) => e.name).join(', ')}`);
  return EXIT.ok;
}

export function renderCommand(root: string, names: string[], io: Io): number {
  const { ws, envs } = prepare(root, names);
  // Everything is rendered in memory before the first byte is written: a generator that
  // throws leaves rendered/ exactly as it was.
  const trees = renderAll(ws, envs);
  for (const [name, tree] of trees) {
    const r = writeTree(ws.renderedDir, name, tree);
    const changes = [...r.written.map((p) => `  write  ${name}/${p}`), ...r.deleted.map((p) => `  delete ${name}/${p}`)];
    io.out(`${name}: ${r.written.length} written, ${r.deleted.length} deleted, ${r.unchanged} unchanged`);
    if (changes.length <= 50) changes.forEach((c) => io.out(c));
  }
  if (names.length === 0) {
    for (const gone of orphanedEnvironments(ws)) if (removeTree(ws.renderedDir, gone)) io.out(`${gone}: removed (no longer defined)`);
  }
  return EXIT.ok;
}

export function checkCommand(root: string, names: string[], io: Io): number {
  const { ws, envs } = prepare(root, names);
  recover(ws.renderedDir);
  const drift: Drift[] = [];
  for (const [name, tree] of renderAll(ws, envs)) drift.push(...checkTree(ws.renderedDir, name, tree));
  if (names.length === 0) {
    for (const gone of orphanedEnvironments(ws)) for (const p of listTree(path.join(ws.renderedDir, gone))) drift.push({ env: gone, path: p, kind: 'extra' });
  }
  if (drift.length === 0) {
    io.out(`up to date: ${envs.map((e) => e.name).join(', ')}`);
    return EXIT.ok;
  }
  const why = { stale: 'differs from what the definitions render', missing: 'is not in rendered/', extra: 'is not rendered by any definition' };
  for (const d of drift) io.err(`rendered/${d.env}/${d.path}: ${d.kind}, ${why[d.kind]}`);
  io.err(`${drift.length} file(s) out of date. Run \`npx infra render\` and commit rendered/ with the definitions; never edit rendered/ by hand.`);
  return EXIT.drift;
}

export function inventoryCommand(root: string, names: string[], io: Io): number {
  const { ws, envs } = prepare(root, names);
  for (const [name, tree] of renderAll(ws, envs)) {
    const inventory = tree.get('INVENTORY.md');
    if (!inventory) throw new Error(`no inventory rendered for ${name}`);
    io.out(inventory.content);
  }
  return EXIT.ok;
}

/** Environment folders under rendered/ with a manifest of ours but no definition any more. */
function orphanedEnvironments(ws: Workspace): string[] {
  if (!fs.existsSync(ws.renderedDir)) return [];
  return fs.readdirSync(ws.renderedDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !ws.environments.has(e.name))
    .filter((e) => fs.existsSync(path.join(ws.renderedDir, e.name, 'manifest.json')))
    .map((e) => e.name)
    .sort();
}

export function printProblems(problems: Problem[], io: Io): void {
  for (const p of problems) io.err(formatProblem(p));
  io.err(`${problems.length} problem(s) found; nothing was written. Fix the definitions under environments/ and run the command again.`);
}
