// The direction rules themselves, on hand-made graphs (Nx's file-map shape). The same rules run
// on real Nx graphs in nx-plugin/plugin.test.js.
const { test } = require('uvu');
const assert = require('uvu/assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { checkGraph } = require('./check-deps');

const EMPTY = fs.mkdtempSync(path.join(os.tmpdir(), 'deps-'));
const p = (root, tag) => ({ root, tags: [tag] });
const graph = (projects, files) => ({ projects, files });

test('refuses a generator importing another generator, an env importing a generator, and anything importing the app', () => {
  const { problems } = checkGraph(EMPTY, graph({
    '@x/model': p('libs/model', 'type:model'),
    '@x/cli': p('libs/cli', 'type:app'),
    '@x/tf': p('generators/tf', 'type:generator'),
    '@x/ci': p('generators/ci', 'type:generator'),
    '@x/prod': p('environments/prod', 'type:env'),
    '@x/render': p('libs/render', 'type:lib'),
  }, {
    '@x/tf': [{ file: 'generators/tf/src/a.ts', deps: ['@x/ci', '@x/model'] }],
    '@x/prod': [{ file: 'environments/prod/index.ts', deps: ['@x/tf'] }],
    '@x/render': [{ file: 'libs/render/src/b.ts', deps: [['@x/cli', 'static']] }],
  }));
  assert.equal(problems.sort(), [
    'environments/prod/index.ts: @x/prod (type:env) may not import @x/tf (type:generator); see the dependency direction in DESIGN §2',
    'generators/tf/src/a.ts: @x/tf (type:generator) may not import @x/ci (type:generator); see the dependency direction in DESIGN §2',
    'libs/render/src/b.ts: @x/render (type:lib) may not import @x/cli (type:app); see the dependency direction in DESIGN §2',
  ]);
});

test('review and apply never import each other; the sidecar imports only the model', () => {
  const { problems } = checkGraph(EMPTY, graph({
    '@infra/review': p('libs/review', 'type:lib'),
    '@infra/apply': p('libs/apply', 'type:lib'),
    '@infra/sidecar': p('libs/sidecar', 'type:lib'),
    '@infra/render': p('libs/render', 'type:lib'),
  }, {
    '@infra/review': [{ file: 'libs/review/src/a.ts', deps: ['@infra/apply', '@infra/render'] }],
    '@infra/sidecar': [{ file: 'libs/sidecar/src/s.ts', deps: ['@infra/render'] }],
  }));
  assert.equal(problems, [
    'libs/review/src/a.ts: @infra/review may not import @infra/apply; the cli hands them what they share (DESIGN §2)',
    'libs/sidecar/src/s.ts: the sidecar imports nothing of the render side (@infra/render)',
  ]);
});

test('tests may use test support and real environments; production code may not use test support', () => {
  const { problems } = checkGraph(EMPTY, graph({
    '@x/tf': p('generators/tf', 'type:generator'),
    '@x/tf/testing': p('generators/tf/src/testing', 'type:test-support'),
    '@x/lenexa': p('environments/lenexa', 'type:env'),
  }, {
    '@x/tf': [
      { file: 'generators/tf/src/golden.test.ts', deps: ['@x/tf/testing', '@x/lenexa'] },
      { file: 'generators/tf/src/vm.ts', deps: ['@x/tf/testing'] },
    ],
    '@x/tf/testing': [{ file: 'generators/tf/src/testing/fixtures.ts', deps: ['@x/tf', '@x/lenexa'] }],
  }));
  assert.equal(problems, ['generators/tf/src/vm.ts: @x/tf imports the test support @x/tf/testing; only tests may (move what production needs out of generators/tf/src/testing)']);
});

test('a project needs exactly one direction tag', () => {
  const { problems } = checkGraph(EMPTY, graph({ '@x/loose': { root: 'libs/loose', tags: ['npm:private'] } }, {}));
  assert.equal(problems, ['libs/loose: project @x/loose needs exactly one of the tags type:model, type:lib, type:generator, type:env, type:app, type:standalone, type:test-support, type:tool (has none); add it to its project.json']);
});

test('no generator may import another, whichever files: the kinds that needed one get it through `needs`', () => {
  // The four edges that were tolerated until the registry passed cloud-init's output in.
  const files = [
    ['generators/terraform/src/user-data.ts', '@infra/generator-cloud-init'],
    ['generators/terraform/src/hadoop-user-data.ts', '@infra/generator-cloud-init'],
    ['generators/inventory/src/inventory.ts', '@infra/generator-cloud-init'],
    ['generators/inventory/src/index.ts', '@infra/generator-marathon'],
  ];
  const { problems } = checkGraph(EMPTY, graph({
    '@infra/generator-terraform': p('generators/terraform', 'type:generator'),
    '@infra/generator-inventory': p('generators/inventory', 'type:generator'),
    '@infra/generator-cloud-init': p('generators/cloud-init', 'type:generator'),
    '@infra/generator-marathon': p('generators/marathon', 'type:generator'),
  }, {
    '@infra/generator-terraform': files.slice(0, 2).map(([file, dep]) => ({ file, deps: [dep] })),
    '@infra/generator-inventory': files.slice(2).map(([file, dep]) => ({ file, deps: [dep] })),
  }));
  assert.equal(problems, files.map(([file, dep]) =>
    `${file}: @infra/generator-${file.split('/')[1]} (type:generator) may not import ${dep} (type:generator); see the dependency direction in DESIGN §2`));
});

test.run();
