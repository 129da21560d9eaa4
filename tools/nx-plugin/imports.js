// The imports of one source file, as written, and where they lead. Shared by the Nx plugin's
// createDependencies (so Nx's graph, and with it its cache, sees every real edge) and by
// tools/check-deps.js (which enforces DESIGN §2 on that graph). Deliberately a scanner, not a
// type-checker: it must also see .js files, side-effect imports (`import './x'`), `export … from`,
// `require`, dynamic `import()` and template literals without substitutions.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

/** Source files whose imports count. */
const SOURCE = /\.(ts|tsx|mts|cts|js|cjs|mjs)$/;

/** A module path computed at run time hides its edge from every graph: report it. */
const COMPUTED = /\b(?:require|import)\s*\(\s*`[^`]*\$\{/g;

/**
 * Every module specifier `text` imports (sorted, unique), and the computed ones it cannot see.
 * TypeScript's own pre-processor does the reading, so comments, strings and regular expressions
 * that merely look like imports are not taken for them.
 */
function importsOf(text) {
  const found = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
  const computed = [...text.matchAll(COMPUTED)].map((m) => m[0]);
  return { specs: [...new Set(found)].sort(), computed };
}

/** `@infra/render/testing` → the alias targets of tsconfig.base.json `paths`, read once. */
function readAliases(root) {
  try {
    const base = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'));
    const paths = base.compilerOptions?.paths ?? {};
    return new Map(Object.entries(paths).map(([k, v]) => [k, v[0]]));
  } catch {
    return new Map();
  }
}

const EXTENSIONS = ['', '.ts', '.tsx', '.js', '.cjs', '.mjs', '.json', '/index.ts', '/index.js'];

/** The workspace file (relative, forward slashes) a specifier leads to, or undefined (a package). */
function resolveSpec(root, fromFile, spec, aliases, packages) {
  let base;
  if (spec.startsWith('.')) base = path.join(path.dirname(fromFile), spec);
  else if (aliases.has(spec)) base = aliases.get(spec);
  else {
    const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
    const dir = packages.get(name);
    if (dir === undefined) return undefined;
    base = path.join(dir, spec.slice(name.length)) || dir;
    if (spec === name) return packageEntry(root, dir) ?? dir;
  }
  for (const ext of EXTENSIONS) {
    const rel = path.normalize(base + ext).split(path.sep).join('/');
    const full = path.join(root, rel);
    if (fs.existsSync(full) && fs.statSync(full).isFile()) return rel;
  }
  return path.normalize(base).split(path.sep).join('/');
}

function packageEntry(root, dir) {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, dir, 'package.json'), 'utf8'));
    return path.join(dir, pkg.main ?? 'index.js').split(path.sep).join('/');
  } catch {
    return undefined;
  }
}

/** The project owning a workspace file: the deepest project root that contains it. */
function ownerOf(file, roots) {
  let best;
  for (const [root, name] of roots) {
    if ((file === root || file.startsWith(`${root}/`)) && (!best || root.length > best[0].length)) best = [root, name];
  }
  return best?.[1];
}

/**
 * Every edge between workspace projects, one per (source file, target project):
 * `{ source, target, sourceFile, spec }`. `projects` maps name → { root, packageName? }.
 * Also returns the computed imports (`{ file, text }`) that no graph can follow.
 */
function projectEdges(root, projects, files) {
  const roots = new Map(Object.entries(projects).map(([name, p]) => [p.root, name]));
  const aliases = readAliases(root);
  const packages = new Map();
  for (const [, p] of Object.entries(projects)) if (p.packageName) packages.set(p.packageName, p.root);
  const edges = [];
  const computed = [];
  for (const file of files) {
    if (!SOURCE.test(file) || file.includes('node_modules/')) continue;
    const source = ownerOf(file, roots);
    if (!source) continue;
    const { specs, computed: hidden } = importsOf(fs.readFileSync(path.join(root, file), 'utf8'));
    for (const text of hidden) computed.push({ file, text });
    const seen = new Set();
    for (const spec of specs) {
      const target = resolveSpec(root, file, spec, aliases, packages);
      if (target === undefined) continue;
      const owner = ownerOf(target, roots);
      if (!owner || owner === source || seen.has(owner)) continue;
      seen.add(owner);
      edges.push({ source, target: owner, sourceFile: file, spec });
    }
  }
  return { edges, computed };
}

module.exports = { importsOf, projectEdges, ownerOf, SOURCE };
