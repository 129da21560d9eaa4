const { test } = require('uvu');
const assert = require('uvu/assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { check } = require('./check-deps');

function workspace(files) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'deps-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), typeof text === 'string' ? text : JSON.stringify(text));
  }
  return root;
}
const project = (name, tag) => ({ name, tags: [tag] });

test('the repository follows the dependency direction', () => {
  assert.equal(check(path.resolve(__dirname, '..')), []);
});

test('refuses a model importing a lib, an env importing a generator, and anything importing the cli', () => {
  const root = workspace({
    'libs/model/project.json': project('@x/model', 'type:model'),
    'libs/model/src/a.ts': "import { x } from '@x/render';",
    'libs/render/project.json': project('@x/render', 'type:lib'),
    'libs/render/src/b.ts': "import { main } from '@x/cli';",
    'libs/cli/project.json': project('@x/cli', 'type:app'),
    'generators/tf/project.json': project('@x/tf', 'type:generator'),
    'environments/prod/project.json': project('@x/prod', 'type:env'),
    'environments/prod/index.ts': "import { tf } from '@x/tf';\nimport { m } from '@x/model';",
  });
  assert.equal(check(root).sort(), [
    'environments/prod/index.ts: @x/prod (type:env) may not import @x/tf (type:generator)',
    'libs/model/src/a.ts: @x/model (type:model) may not import @x/render (type:lib)',
    'libs/render/src/b.ts: @x/render (type:lib) may not import @x/cli (type:app)',
  ]);
});

test('refuses a relative import that climbs out of its project', () => {
  const root = workspace({
    'libs/render/project.json': project('@x/render', 'type:lib'),
    'libs/render/src/b.ts': "import { y } from '../../model/src/y';",
    'libs/model/project.json': project('@x/model', 'type:model'),
  });
  assert.equal(check(root), ['libs/render/src/b.ts: relative import "../../model/src/y" leaves @x/render; import its @infra/ name']);
});

test('an environment may import another environment relatively, and nothing else that way', () => {
  const root = workspace({
    'environments/prod/project.json': project('@x/prod', 'type:env'),
    'environments/prod/index.ts': "import { apps } from '../common';",
    'environments/common/project.json': project('@x/common', 'type:env'),
    'environments/common/index.ts': "import { y } from '../../libs/model/src/y';",
    'libs/model/project.json': project('@x/model', 'type:model'),
  });
  assert.equal(check(root), ['environments/common/index.ts: relative import "../../libs/model/src/y" leaves @x/common; import its @infra/ name']);
});

test.run();
