#!/usr/bin/env node
// Enforces the dependency direction of DESIGN §2 on Nx's own project graph: the projects Nx
// knows (project.json, package.json, and those the workspace plugin infers: environments and
// test support), their tags, and the per-file edges that tools/nx-plugin reads from the sources
// (.ts and .js, side-effect, `export … from`, `require`, `import()` and template-literal imports).
// What Nx's cache trusts is therefore exactly what is checked here.
//
//   model ← lib ← generator ← app;  env → model and env;  nothing imports the app;
//   review and apply never import each other; the sidecar imports only the model;
//   test support (type:test-support, `*.fixture.ts`) is imported only by tests.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ALLOWED = {
  'type:model': [],
  'type:lib': ['type:model', 'type:lib'],
  // DESIGN §2: no kind imports another, with no exception: a kind that needs another's output
  // declares it (`needs`) and the cli's registry passes it in (libs/cli/src/generators.ts).
  'type:generator': ['type:model', 'type:lib'],
  'type:env': ['type:model', 'type:env'],
  'type:app': ['type:model', 'type:lib', 'type:generator'],
  // The sidecar runs in app containers, apart from the render side: it imports no project.
  'type:standalone': [],
  'type:test-support': ['type:model', 'type:lib', 'type:generator', 'type:env', 'type:test-support'],
  // tools/: the Nx plugin, this check, workflow tests; they read the workspace, import none of it.
  'type:tool': [],
};
/** Edges between two projects of allowed tags that DESIGN §2 still forbids. */
const FORBIDDEN = [
  ['@infra/review', '@infra/apply'],
  ['@infra/apply', '@infra/review'],
];
const TEST_FILE = /(\.test\.[cm]?[jt]s|\.fixture\.ts)$|\/__golden__\//;
const isTestFile = (file) => TEST_FILE.test(file);
/** Folders whose every source file must belong to some project. */
const PROJECT_FOLDERS = ['libs', 'generators', 'environments'];

/**
 * Problems of one graph. `graph`: { projects: { name: { root, tags } }, files: { name: [{ file, deps }] } }
 * where deps are target project names (Nx's file map shape). `root` is the workspace folder, read
 * only to find source files that no project owns and intra-project imports of test support.
 */
function checkGraph(root, graph) {
  const problems = [];
  const tagOf = new Map();
  for (const [name, p] of Object.entries(graph.projects)) {
    const tags = (p.tags || []).filter((t) => t in ALLOWED);
    if (tags.length !== 1) {
      problems.push(`${p.root}: project ${name} needs exactly one of the tags ${Object.keys(ALLOWED).join(', ')} (has ${tags.join(', ') || 'none'}); add it to its project.json`);
      continue;
    }
    tagOf.set(name, tags[0]);
  }
  for (const [source, files] of Object.entries(graph.files)) {
    const tag = tagOf.get(source);
    if (!tag) continue;
    for (const { file, deps = [] } of files) {
      const test = isTestFile(file) || tag === 'type:test-support';
      for (const dep of deps) {
        const target = Array.isArray(dep) ? dep[0] : dep;
        const targetTag = tagOf.get(target);
        if (!targetTag || target === source) continue;
        if (targetTag === 'type:test-support' && !test) {
          problems.push(`${file}: ${source} imports the test support ${target}; only tests may (move what production needs out of ${graph.projects[target].root})`);
          continue;
        }
        if (test) {
          // Tests may load real environments and other projects' test support; never the app of
          // another project (tools' tests may: they cross-check the workspace's own configuration).
          if (targetTag === 'type:app' && tag !== 'type:tool' && !graph.projects[target].root.startsWith(`${graph.projects[source].root}/`) && !graph.projects[source].root.startsWith(`${graph.projects[target].root}/`)) {
            problems.push(`${file}: a test of ${source} may not import ${target} (${targetTag}); test it through the app's own tests`);
          }
          continue;
        }
        if (!ALLOWED[tag].includes(targetTag)) problems.push(`${file}: ${source} (${tag}) may not import ${target} (${targetTag}); see the dependency direction in DESIGN §2`);
        else if (FORBIDDEN.some(([a, b]) => a === source && b === target)) problems.push(`${file}: ${source} may not import ${target}; the cli hands them what they share (DESIGN §2)`);
        else if (source === '@infra/sidecar' && targetTag !== 'type:model') problems.push(`${file}: the sidecar imports nothing of the render side (${target})`);
      }
    }
  }
  problems.push(...unownedAndTestSupport(root, graph));
  return { problems };
}

/** Source files no project owns (hidden from Nx), and production files importing a test file of their own project. */
function unownedAndTestSupport(root, graph) {
  const { importsOf } = require('./nx-plugin/imports');
  const problems = [];
  const owned = new Set();
  for (const files of Object.values(graph.files)) for (const f of files) owned.add(f.file);
  for (const top of PROJECT_FOLDERS) {
    const dir = path.join(root, top);
    if (!fs.existsSync(dir)) continue;
    for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (!e.isFile() || !/\.(ts|js|cjs|mjs)$/.test(e.name)) continue;
      const rel = path.relative(root, path.join(e.parentPath ?? e.path, e.name)).split(path.sep).join('/');
      if (rel.includes('node_modules/')) continue;
      if (!owned.has(rel)) { problems.push(`${rel}: belongs to no Nx project, so no graph sees its imports; put it in a project folder (with project.json, or environments/<name>/index.ts)`); continue; }
      if (isTestFile(rel)) continue;
      const testSupport = Object.values(graph.projects).some((p) => (p.tags || []).includes('type:test-support') && rel.startsWith(`${p.root}/`));
      if (testSupport) continue;
      const { specs, computed } = importsOf(fs.readFileSync(path.join(root, rel), 'utf8'));
      for (const text of computed) problems.push(`${rel}: ${text}…}: a computed module path hides its edge from the graph; import a literal path`);
      for (const spec of specs) {
        if (!spec.startsWith('.')) continue;
        // Test support in a testing/ folder is a project of its own (the graph sees it); these are not.
        if (/\.fixture(\.ts)?$|\.test(\.ts)?$/.test(spec)) problems.push(`${rel}: imports "${spec}", which is test support; only tests may`);
      }
    }
  }
  return problems;
}

/** The workspace's graph as Nx computes it (plugins included), with Nx's per-file dependencies. */
async function loadGraph(root) {
  process.env.NX_DAEMON = 'false';
  process.env.NX_WORKSPACE_ROOT_PATH = root;
  const cwd = process.cwd();
  process.chdir(root);
  try {
    const { createProjectGraphAsync } = require('nx/src/devkit-exports');
    const { readFileMapCache } = require('nx/src/project-graph/nx-deps-cache');
    const graph = await createProjectGraphAsync({ exitOnError: false, resetDaemonClient: false });
    const cache = readFileMapCache();
    if (!cache) throw new Error('Nx wrote no file map; run `npx nx reset` and try again');
    const projects = {};
    for (const [name, node] of Object.entries(graph.nodes)) projects[name] = { root: node.data.root, tags: node.data.tags || [] };
    return { projects, files: cache.fileMap.projectFileMap };
  } finally {
    process.chdir(cwd);
  }
}

module.exports = { checkGraph, loadGraph, ALLOWED };

if (require.main === module) {
  const root = process.argv[2] ? path.resolve(process.argv[2]) : path.resolve(__dirname, '..');
  loadGraph(root).then((graph) => {
    const { problems } = checkGraph(root, graph);
    for (const line of problems) console.error(line);
    if (problems.length) {
      console.error(`${problems.length} problem(s) with the dependency direction of DESIGN §2 (read from the Nx graph).`);
      process.exit(1);
    }
    console.log(`dependency direction: ok (${Object.keys(graph.projects).length} Nx projects)`);
  }, (err) => {
    console.error(`check-deps: could not compute the Nx graph: ${err.message}`);
    process.exit(1);
  });
}
