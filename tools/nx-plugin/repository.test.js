// This repository's Nx graph against DESIGN §2. It reads every project, so it is not cached by
// Nx: `npm test` runs it on its own (plugin.test.js has the cacheable cases).
const { test } = require('uvu');
const assert = require('uvu/assert');
const path = require('node:path');
const { checkGraph, loadGraph } = require('../check-deps');
const { environmentProject } = require('./index');

const REPO = path.resolve(__dirname, '../..');

test('the Nx graph of this repository follows DESIGN §2 and holds the edges its cache depends on', async () => {
  const graph = await loadGraph(REPO);
  assert.equal(checkGraph(REPO, graph).problems, []);
  const edges = new Set();
  for (const [source, files] of Object.entries(graph.files)) for (const f of files) for (const d of f.deps || []) edges.add(`${source} -> ${Array.isArray(d) ? d[0] : d}`);
  // The three stale passes of issue 9 came from these edges being missing.
  for (const edge of [
    '@infra/validate -> @infra/model',        // schema-is-stale test after a model change
    '@infra/generator-hadoop -> @infra/render', // hadoop tests after a render change
    '@infra/cli -> @infra/render',            // the kill test after a writer change
    '@infra/env-aws-dr -> @infra/env-lenexa', // an environment derived from another
    '@infra/env-lenexa -> @infra/env-common',
    '@infra/generator-terraform -> @infra/generator-terraform/testing',
  ]) assert.ok(edges.has(edge), `missing edge ${edge}`);
  for (const edge of edges) assert.not.ok(edge.startsWith('@infra/model ->'), `the model imports nothing: ${edge}`);
  // Environments are inferred by the plugin (no project.json), render is never cached by Nx.
  assert.equal(graph.projects['@infra/env-lenexa'].root, 'environments/lenexa');
  assert.equal(environmentProject('lenexa').targets.render.cache, false);
  assert.equal(environmentProject('common').targets.render, undefined);
});

test('the plugin gives a render target to exactly the environments the infra command renders', async () => {
  const graph = await loadGraph(REPO);
  require('tsx/cjs');
  const { environmentNames } = require('../../libs/cli/src/workspace.ts');
  const rendered = Object.values(graph.projects)
    .filter((p) => p.root.startsWith('environments/'))
    .map((p) => p.root.split('/')[1])
    .filter((name) => environmentProject(name).targets.render)
    .sort();
  assert.equal(rendered, environmentNames(REPO));
});

test.run();
