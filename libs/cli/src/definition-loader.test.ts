import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defineEnvironment } from '@infra/model';
import { DefinitionBuildError, loadDefinition } from './definition-loader';

/** A throwaway workspace with the given files under environments/. */
function workspace(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-loader-'));
  for (const [rel, text] of Object.entries(files)) write(root, rel, text);
  return root;
}
function write(root: string, rel: string, text: string): void {
  const file = path.join(root, 'environments', rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}
const cacheFile = (root: string, name: string) => path.join(root, 'node_modules/.cache/infra/definitions', `${name}.json`);

test('a definition and what it imports load as one bundle, cached, and rebuilt when a file\'s content changes', () => {
  const root = workspace({
    'x/index.ts': "import { part } from '../common/part';\nexport default { name: 'x', part };\n",
    'common/part.ts': "export const part: string = 'one';\n",
  });
  assert.equal(loadDefinition(root, 'x'), { default: { name: 'x', part: 'one' } });
  const cached = fs.readFileSync(cacheFile(root, 'x'), 'utf8');
  assert.equal((JSON.parse(cached) as { inputs: [string, string][] }).inputs.map(([f]) => path.relative(root, f)), ['environments/common/part.ts', 'environments/x/index.ts']);
  // Unchanged: the cached bundle is used as it is (no rebuild, nothing written).
  const entry = JSON.parse(cached) as { code: string };
  assert.match(entry.code, '"one"');
  fs.writeFileSync(cacheFile(root, 'x'), JSON.stringify({ ...entry, code: entry.code.replace('"one"', '"from the cache"') }));
  assert.equal(loadDefinition(root, 'x'), { default: { name: 'x', part: 'from the cache' } });
  // Same size, new content: rebuilt (the key is the content, not size or time).
  write(root, 'common/part.ts', "export const part: string = 'two';\n");
  assert.equal(loadDefinition(root, 'x'), { default: { name: 'x', part: 'two' } });
});

test('a new file that changes what an import resolves to rebuilds the bundle', () => {
  const root = workspace({
    'x/index.ts': "import { part } from './part';\nexport default { part };\n",
    'x/part/index.ts': "export const part = 'folder';\n",
  });
  assert.equal(loadDefinition(root, 'x'), { default: { part: 'folder' } });
  write(root, 'x/part.ts', "export const part = 'file';\n");
  assert.equal(loadDefinition(root, 'x'), { default: { part: 'file' } });
});

test('@infra/model in a definition is the command\'s own model, not a second copy', () => {
  const root = workspace({ 'x/index.ts': "import { defineEnvironment } from '@infra/model';\nexport const define = defineEnvironment;\n" });
  assert.is((loadDefinition(root, 'x') as { define: unknown }).define, defineEnvironment);
});

test('a definition that does not build throws every error, located at file, line and 1-based column', () => {
  const root = workspace({
    'x/index.ts': "import { a } from '../common/a';\nimport { b } from '../common/b';\nexport default { a, b };\n",
    'common/a.ts': 'export const a = {\n  oops\n  name: 1 };\n',
    'common/b.ts': 'export const b = (;\n',
  });
  try {
    loadDefinition(root, 'x');
    assert.unreachable('it does not build');
  } catch (e) {
    assert.instance(e, DefinitionBuildError);
    const errors = (e as DefinitionBuildError).errors.map((x) => `${path.relative(root, x.file!)}:${x.line}:${x.column}: ${x.text}`).sort();
    assert.equal(errors, ['environments/common/a.ts:3:3: Expected "}" but found "name"', 'environments/common/b.ts:1:19: Unexpected ";"']);
  }
  assert.not.ok(fs.existsSync(cacheFile(root, 'x')), 'nothing cached');
});

test('a runtime error\'s stack names the TypeScript file, line and column it came from', () => {
  const root = workspace({
    'x/index.ts': "import { check } from '../common/check';\nexport default check(2);\n",
    'common/check.ts': "type N = number;\nexport function check(n: N): N {\n  if (n > 1) throw new RangeError(`too big: ${n}`);\n  return n;\n}\n",
  });
  try {
    loadDefinition(root, 'x');
    assert.unreachable('it throws');
  } catch (e) {
    assert.instance(e, RangeError);
    const stack = (e as Error).stack!;
    assert.match(stack, `${path.join(root, 'environments/common/check.ts')}:3:20`);
    assert.match(stack, `${path.join(root, 'environments/x/index.ts')}:2:16`);
    assert.not.match(stack, 'definitions/x.js', 'no frame left in the bundle');
  }
});

test.run();
