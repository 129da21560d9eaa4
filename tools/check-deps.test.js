// The direction rules themselves, on hand-made graphs (Nx's file-map shape). The same rules run
// on real Nx graphs in nx-plugin/plugin.test.js.
const { test } = require('uvu');
const assert = require('uvu/assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { checkGraph, PENDING } = require('./check-deps');

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

test('the pending generator-to-generator edges are listed by file, and one that is gone is noted', () => {
  const [first] = [...PENDING];
  const [file, target] = first.split(' -> ');
  const { problems, notes } = checkGraph(EMPTY, graph({
    [target]: p('generators/other', 'type:generator'),
    '@x/gen': p(file.split('/').slice(0, 2).join('/'), 'type:generator'),
  }, { '@x/gen': [{ file, deps: [target] }, { file: file.replace(/[^/]+$/, 'new.ts'), deps: [target] }] }));
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0], /new\.ts: .* may not import/);
  assert.equal(notes.length, PENDING.size - 1);
});


test.run();
