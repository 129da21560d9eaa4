// The workspace plugin and the direction check, run through Nx itself on small throw-away
// workspaces (each a case the old regex-based check missed). They read only tools/ and the
// workspace configuration, so Nx caches them; repository.test.js checks this repository's graph.
const { test } = require('uvu');
const assert = require('uvu/assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const REPO = path.resolve(__dirname, '../..');

const made = [];
// rmSync does not follow the node_modules symlink: only the throw-away folders go.
test.after(() => { for (const dir of made) fs.rmSync(dir, { recursive: true, force: true }); });

/** A throw-away Nx workspace using this repository's node_modules and plugin. */
function workspace(files) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nxws-'));
  made.push(root);
  const write = (rel, text) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), typeof text === 'string' ? text : JSON.stringify(text, null, 2));
  };
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  for (const f of ['index.js', 'test-support.js', 'imports.js', 'typecheck.js']) write(`tools/nx-plugin/${f}`, fs.readFileSync(path.join(__dirname, f), 'utf8'));
  write('tools/check-deps.js', fs.readFileSync(path.join(REPO, 'tools/check-deps.js'), 'utf8'));
  write('nx.json', fs.readFileSync(path.join(REPO, 'nx.json'), 'utf8'));
  // The real manifest and lock file: Nx reads external dependencies (typescript, uvu) from them.
  for (const f of ['package.json', 'package-lock.json']) write(f, fs.readFileSync(path.join(REPO, f), 'utf8'));
  write('tsconfig.base.json', { compilerOptions: { strict: true, module: 'commonjs', target: 'ES2022', types: ['node'], baseUrl: '.', paths: { '@x/model': ['libs/model/src/index.ts'], '@x/render': ['libs/render/src/index.ts'] } } });
  write('tsconfig.json', { extends: './tsconfig.base.json' });
  for (const [rel, text] of Object.entries(files)) write(rel, text);
  return root;
}
const lib = (name, tag) => ({ name, tags: [tag] });
// loadGraph() points Nx at this repository through NX_WORKSPACE_ROOT_PATH; a child works in its own.
const run = (cwd, cmd, args) => {
  const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
  delete env.NX_WORKSPACE_ROOT_PATH;
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', env });
};
const checkDeps = (root) => run(root, process.execPath, ['tools/check-deps.js']);

test('check-deps refuses what the old check missed: no project.json, .js, side-effect, template-literal and test-support imports', () => {
  const root = workspace({
    'libs/model/project.json': lib('@x/model', 'type:model'),
    'libs/model/src/index.ts': "import '@x/render';\nexport const m = 1;\n",
    'libs/render/project.json': lib('@x/render', 'type:lib'),
    'libs/render/src/index.ts': "export const r = require(`@x/gen`);\n",
    'libs/render/src/testing/helpers.ts': "export const h = 1;\n",
    'libs/render/src/writer.ts': "import { h } from './testing/helpers';\nimport './reader.fixture';\nexport const w = h;\n",
    'libs/render/src/reader.fixture.ts': "export const f = 1;\n",
    'libs/render/src/writer.test.ts': "import { h } from './testing/helpers';\nvoid h;\n",
    'generators/gen/project.json': lib('@x/gen', 'type:generator'),
    'generators/gen/src/index.js': "module.exports = require('@x/cli');\n",
    'libs/cli/project.json': lib('@x/cli', 'type:app'),
    'libs/cli/src/index.ts': "export const c = 1;\n",
    // A folder with a package.json only: a project for npm and Nx, with no direction tag.
    'libs/loose/package.json': { name: '@x/loose', version: '0.0.0', main: 'index.ts' },
    'libs/loose/index.ts': "export const l = 1;\n",
    'environments/prod/index.ts': "import { l } from '@x/loose';\nexport default l;\n",
  });
  const out = checkDeps(root);
  assert.equal(out.status, 1, out.stdout + out.stderr);
  const lines = out.stderr.trim().split('\n').slice(0, -1).sort();
  assert.equal(lines, [
    'generators/gen/src/index.js: @x/gen (type:generator) may not import @x/cli (type:app); see the dependency direction in DESIGN §2',
    'libs/loose: project @x/loose needs exactly one of the tags type:model, type:lib, type:generator, type:env, type:app, type:standalone, type:test-support, type:tool (has none); add it to its project.json',
    'libs/model/src/index.ts: @x/model (type:model) may not import @x/render (type:lib); see the dependency direction in DESIGN §2',
    'libs/render/src/index.ts: @x/render (type:lib) may not import @x/gen (type:generator); see the dependency direction in DESIGN §2',
    'libs/render/src/writer.ts: @x/render imports the test support @x/render/testing; only tests may (move what production needs out of libs/render/src/testing)',
    'libs/render/src/writer.ts: imports "./reader.fixture", which is test support; only tests may',
  ]);
});

test('a copied environment folder is a project with typecheck, test and render targets, and nothing else changes', () => {
  const root = workspace({
    'libs/model/project.json': lib('@x/model', 'type:model'),
    'libs/model/src/index.ts': 'export const defineEnvironment = <T>(e: T): T => e;\n',
    'environments/lenexa/index.ts': "import { defineEnvironment } from '@x/model';\nexport default defineEnvironment({ name: 'lenexa' });\n",
  });
  run(root, 'git', ['init', '-q']);
  run(root, 'git', ['add', '-A']);
  run(root, 'git', ['-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'init']);
  fs.cpSync(path.join(root, 'environments/lenexa'), path.join(root, 'environments/staging'), { recursive: true });
  const graph = run(root, path.join(REPO, 'node_modules/.bin/nx'), ['show', 'project', '@infra/env-staging', '--json']);
  assert.equal(graph.status, 0, graph.stderr);
  const project = JSON.parse(graph.stdout);
  assert.equal(project.root, 'environments/staging');
  assert.equal(Object.keys(project.targets).sort(), ['render', 'test', 'typecheck']);
  assert.equal(project.tags, ['type:env']);
  const status = run(root, 'git', ['status', '--porcelain', '--untracked-files=all']).stdout.split('\n').filter((l) => l && !l.includes('.nx/'));
  assert.equal(status, ['?? environments/staging/index.ts']);
  // Its typecheck target runs, and fails on a type error with file and line.
  fs.appendFileSync(path.join(root, 'environments/staging/index.ts'), "export const n: number = 'x';\n");
  const tc = run(root, path.join(REPO, 'node_modules/.bin/nx'), ['run', '@infra/env-staging:typecheck', '--skip-nx-cache', '--outputStyle=static']);
  assert.equal(tc.status, 1);
  assert.match(tc.stdout, "environments/staging/index.ts(3,14): error TS2322");
});

test('stale-cache experiments: a change to an imported project, or to reference/, re-runs the tests Nx had cached', () => {
  const root = workspace({
    'libs/model/project.json': { ...lib('@x/model', 'type:model'), targets: { test: {} } },
    'libs/model/src/index.ts': 'export const answer = 42;\n',
    'libs/render/project.json': { ...lib('@x/render', 'type:lib'), targets: { test: {} } },
    'libs/render/src/index.ts': "import { answer } from '@x/model';\nexport const doubled = answer * 2;\n",
    'libs/render/src/index.test.ts': "import { test } from 'uvu';\nimport * as assert from 'uvu/assert';\nimport { doubled } from './index';\ntest('doubled', () => assert.is(doubled, 84));\ntest.run();\n",
    'reference/upstream.json': '{}\n',
  });
  const nx = path.join(REPO, 'node_modules/.bin/nx');
  const test = () => {
    const out = run(root, nx, ['run', '@x/render:test', '--outputStyle=static']);
    return { status: out.status, cached: /local cache|existing outputs match the cache/.test(out.stdout + out.stderr), out: out.stdout + out.stderr };
  };
  assert.equal(pick(test()), { status: 0, cached: false });
  assert.equal(pick(test()), { status: 0, cached: true }, 'unchanged: served from the cache');
  // The model changes: render's test must run again, and here it now fails.
  fs.writeFileSync(path.join(root, 'libs/model/src/index.ts'), 'export const answer = 41;\n');
  assert.equal(pick(test()), { status: 1, cached: false });
  fs.writeFileSync(path.join(root, 'libs/model/src/index.ts'), 'export const answer = 42;\n');
  assert.equal(pick(test()), { status: 0, cached: true }, 'back to the cached inputs');
  // reference/ is an input of every test.
  fs.writeFileSync(path.join(root, 'reference/upstream.json'), '{"v":2}\n');
  assert.equal(pick(test()), { status: 0, cached: false });
});
const pick = ({ status, cached }) => ({ status, cached });

test.run();
