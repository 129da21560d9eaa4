import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Environment } from '@infra/model';
import { FileMap, RenderedTree, type Generator } from './file-map';
import { MANIFEST, renderTree } from './pipeline';
import { writeTree } from './writer';

const env = { name: 'env' } as Environment;
const ctx = { environment: () => undefined };

test('a FileMap refuses a second write of one path, at the write, naming the path', () => {
  const files = new FileMap();
  files.set('terraform/vm-db.tf.json', '{}\n');
  assert.throws(() => files.set('terraform/vm-db.tf.json', '{"x":1}\n'), (e: Error) => e.message === 'terraform/vm-db.tf.json is written twice; each path has one owner (a bug in the generator that wrote it)');
  assert.is(files.get('terraform/vm-db.tf.json'), '{}\n', 'the first write stands');
});

test('a FileMap built from entries refuses a duplicate among them', () => {
  assert.throws(() => new FileMap([['a', '1'], ['b', '2'], ['a', '3']]), /^a is written twice/);
  assert.equal([...new FileMap([['b', '2'], ['a', '1']]).sorted().keys()], ['a', 'b']);
});

test('a RenderedTree refuses a second write of one path too', () => {
  const tree = new RenderedTree([['x', { generator: 'g', content: '' }]]);
  assert.throws(() => tree.set('x', { generator: 'h', content: '' }), /^x is written twice/);
});

test('renderTree: a generator writing one path twice fails the render before anything is written', () => {
  const twice: Generator = {
    name: 'twice',
    generate() {
      const files = new FileMap();
      files.set('hadoop/c/hosts', 'a\n');
      files.set('hadoop/c/hosts', 'b\n');
      return files;
    },
  };
  assert.throws(() => renderTree(env, [twice], ctx), /hadoop\/c\/hosts is written twice/);
});

test('renderTree: two generators claiming one path, a path that climbs out, and the manifest are refused', () => {
  const one = (name: string, file: string): Generator => ({ name, generate: () => new FileMap([[file, 'x\n']]) });
  assert.throws(() => renderTree(env, [one('a', 'f.txt'), one('b', 'f.txt')], ctx), (e: Error) => e.message === 'generators a and b both produce f.txt');
  assert.throws(() => renderTree(env, [one('a', '../f.txt')], ctx), /unsafe path "\.\.\/f\.txt"/);
  assert.throws(() => renderTree(env, [one('a', MANIFEST)], ctx), /which the writer owns/);
});

test('a render whose only change is a file no longer generated deletes it and updates the manifest', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'render-'));
  const gen = (files: string[]): Generator => ({ name: 'g', generate: () => new FileMap(files.map((f) => [f, `${f}\n`])) });
  writeTree(dir, 'env', renderTree(env, [gen(['a.txt', 'marathon/old.json'])], ctx));
  const r = writeTree(dir, 'env', renderTree(env, [gen(['a.txt'])], ctx));
  assert.equal(r.deleted, ['marathon/old.json']);
  assert.equal(r.written, [MANIFEST]);
  assert.not.ok(fs.existsSync(path.join(dir, 'env/marathon/old.json')));
  assert.equal(Object.keys(JSON.parse(fs.readFileSync(path.join(dir, 'env', MANIFEST), 'utf8')).files), ['a.txt']);
});

test.run();
