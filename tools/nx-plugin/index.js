// The workspace's Nx plugin (registered in nx.json):
// - createNodesV2 on `environments/*/index.ts`: every environment folder is a project with its
//   typecheck, test and render targets, so a new environment is just `environments/<name>/index.ts`
//   (no package.json, no project.json, no lock file change);
// - createNodesV2 on the test support folders (`<project>/src/testing/`): each is a project of its
//   own tagged `type:test-support`, so the graph shows, and check-deps refuses, production code
//   that imports it (see test-support.js);
// - createDependencies: an edge for every import between projects, read from the sources, so
//   Nx's cache re-runs a project's tests when anything it imports changes.
'use strict';
const path = require('node:path');
const { projectEdges } = require('./imports');

/** Folders under environments/ that hold shared parts, not an environment (libs/cli workspace.ts says the same). */
const SHARED = new Set(['common']);

/** The Nx project of one environment folder. Exported for the tests. */
function environmentProject(name) {
  const root = `environments/${name}`;
  // typecheck and test take their command and inputs from nx.json's targetDefaults, like every
  // other project's (typecheck.js writes the tsconfig an environment folder does not have).
  const targets = { typecheck: {}, test: {} };
  if (!SHARED.has(name)) {
    // Not cached by Nx: the infra command's own render cache owns that decision (it keys on every
    // definition an environment derives from, which Nx's inputs would only approximate).
    targets.render = {
      command: `node libs/cli/bin/infra.js render ${name}`,
      options: { cwd: '{workspaceRoot}' },
      cache: false,
    };
  }
  return { root, name: `@infra/env-${name}`, projectType: 'application', tags: ['type:env'], targets };
}

const createNodesV2 = [
  'environments/*/index.ts',
  (files) => files.map((file) => {
    const name = path.basename(path.dirname(file));
    const project = environmentProject(name);
    return [file, { projects: { [project.root]: project } }];
  }),
];

function createDependencies(_options, context) {
  const projects = {};
  for (const [name, p] of Object.entries(context.projects)) projects[name] = { root: p.root, packageName: name };
  const files = [];
  for (const list of Object.values(context.filesToProcess.projectFileMap)) for (const f of list) files.push(f.file);
  const { edges } = projectEdges(context.workspaceRoot, projects, files);
  return edges.map((e) => ({ source: e.source, target: e.target, sourceFile: e.sourceFile, type: 'static' }));
}

module.exports = { name: 'infra-workspace', createNodesV2, createDependencies, environmentProject, SHARED };

