import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RenderedTree } from './file-map';
import { checkTree } from './check';
import { Busy, LOCK, recover, sameContent, STAGING, withLock, writeTree } from './writer';

const tree = (files: Record<string, string>): RenderedTree =>
  new RenderedTree(Object.entries(files).map(([p, content]) => [p, { generator: 'test', content }]));
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'writer-'));
const read = (dir: string, rel: string) => fs.readFileSync(path.join(dir, rel), 'utf8');

test('writes a new tree, then skips every unchanged file (same inode, nothing rewritten)', () => {
  const dir = tmp();
  const first = writeTree(dir, 'env', tree({ 'a.txt': 'A\n', 'sub/b.txt': 'B\n' }));
  assert.equal(first.written, ['a.txt', 'sub/b.txt']);
  const inode = fs.statSync(path.join(dir, 'env/a.txt')).ino;
  const again = writeTree(dir, 'env', tree({ 'a.txt': 'A\n', 'sub/b.txt': 'B\n' }));
  assert.equal(again, { env: 'env', written: [], deleted: [], unchanged: 2 });
  assert.is(fs.statSync(path.join(dir, 'env/a.txt')).ino, inode);
});

test('rewrites only changed files and deletes files no longer generated', () => {
  const dir = tmp();
  writeTree(dir, 'env', tree({ 'a.txt': 'A\n', 'b.txt': 'B\n', 'old/c.txt': 'C\n' }));
  const inodeA = fs.statSync(path.join(dir, 'env/a.txt')).ino;
  const r = writeTree(dir, 'env', tree({ 'a.txt': 'A\n', 'b.txt': 'B2\n' }));
  assert.equal(r.written, ['b.txt']);
  assert.equal(r.deleted, ['old/c.txt']);
  assert.is(fs.statSync(path.join(dir, 'env/a.txt')).ino, inodeA, 'unchanged file is linked, not rewritten');
  assert.is(read(dir, 'env/b.txt'), 'B2\n');
  assert.not.ok(fs.existsSync(path.join(dir, 'env/old')));
  assert.not.ok(fs.existsSync(path.join(dir, STAGING)), 'staging is cleaned up');
});

test('a write whose only change is a deletion deletes the file and rewrites nothing', () => {
  const dir = tmp();
  writeTree(dir, 'env', tree({ 'a.txt': 'A\n', 'b/c.txt': 'C\n' }));
  const inodeA = fs.statSync(path.join(dir, 'env/a.txt')).ino;
  const r = writeTree(dir, 'env', tree({ 'a.txt': 'A\n' }));
  assert.equal(r, { env: 'env', written: [], deleted: ['b/c.txt'], unchanged: 1 });
  assert.not.ok(fs.existsSync(path.join(dir, 'env/b/c.txt')), 'the file no longer generated is gone');
  assert.not.ok(fs.existsSync(path.join(dir, 'env/b')), 'and its empty folder with it');
  assert.is(fs.statSync(path.join(dir, 'env/a.txt')).ino, inodeA);
  assert.equal(checkTree(dir, 'env', tree({ 'a.txt': 'A\n' })), []);
});

test('a file edited by hand is restored by the next write', () => {
  const dir = tmp();
  writeTree(dir, 'env', tree({ 'a.txt': 'A\n' }));
  fs.writeFileSync(path.join(dir, 'env/a.txt'), 'edited\n');
  assert.equal(writeTree(dir, 'env', tree({ 'a.txt': 'A\n' })).written, ['a.txt']);
  assert.is(read(dir, 'env/a.txt'), 'A\n');
});

test('recover puts the old tree back when a writer died between its two renames', () => {
  const dir = tmp();
  writeTree(dir, 'env', tree({ 'a.txt': 'old\n' }));
  fs.mkdirSync(path.join(dir, STAGING));
  fs.renameSync(path.join(dir, 'env'), path.join(dir, STAGING, 'env.old-123'));
  fs.mkdirSync(path.join(dir, STAGING, 'env.new-123'));
  fs.writeFileSync(path.join(dir, STAGING, 'env.new-123/a.txt'), 'new\n');
  recover(dir);
  assert.is(read(dir, 'env/a.txt'), 'old\n');
  assert.not.ok(fs.existsSync(path.join(dir, STAGING)));
});

test('recover deletes half-built trees and leaves a complete tree alone', () => {
  const dir = tmp();
  writeTree(dir, 'env', tree({ 'a.txt': 'A\n' }));
  fs.mkdirSync(path.join(dir, STAGING, 'env.new-9'), { recursive: true });
  fs.writeFileSync(path.join(dir, STAGING, 'env.new-9/a.txt'), 'half');
  recover(dir);
  assert.is(read(dir, 'env/a.txt'), 'A\n');
  assert.not.ok(fs.existsSync(path.join(dir, STAGING)));
});

test('check lists stale, missing and extra files without writing', () => {
  const dir = tmp();
  writeTree(dir, 'env', tree({ 'a.txt': 'A\n', 'b.txt': 'B\n' }));
  fs.writeFileSync(path.join(dir, 'env/b.txt'), 'edited\n');
  fs.writeFileSync(path.join(dir, 'env/x.txt'), 'stray\n');
  const drift = checkTree(dir, 'env', tree({ 'a.txt': 'A\n', 'b.txt': 'B\n', 'c.txt': 'C\n' }));
  assert.equal(drift, [
    { env: 'env', path: 'b.txt', kind: 'stale' },
    { env: 'env', path: 'c.txt', kind: 'missing' },
    { env: 'env', path: 'x.txt', kind: 'extra' },
  ]);
  assert.is(read(dir, 'env/b.txt'), 'edited\n');
});

test('the lock refuses a second writer while the first is alive, and takes over a dead one', () => {
  const dir = tmp();
  withLock(dir, () => {
    assert.is(fs.readFileSync(path.join(dir, LOCK), 'utf8'), `${process.pid}\n`);
  });
  assert.not.ok(fs.existsSync(path.join(dir, LOCK)), 'released');
  fs.writeFileSync(path.join(dir, LOCK), `${process.ppid}\n`);
  assert.throws(() => withLock(dir, () => 1), (err: unknown) => err instanceof Busy && err.pid === process.ppid);
  fs.writeFileSync(path.join(dir, LOCK), '2147483646\n');
  assert.is(withLock(dir, () => 'taken over'), 'taken over');
});

test('sameContent is a byte comparison: bad UTF-8 against U+FFFD, a lone surrogate against its encoding, a BOM, a missing file', () => {
  const dir = tmp();
  const file = (name: string, bytes: Buffer) => { fs.writeFileSync(path.join(dir, name), bytes); return path.join(dir, name); };
  const plain = file('plain', Buffer.from('a: 1\né\n'));
  assert.ok(sameContent(plain, 'a: 1\né\n'));
  assert.not.ok(sameContent(plain, 'a: 1\né'));
  assert.not.ok(sameContent(plain, 'a: 2\né\n'));
  // 0xff is not UTF-8: it decodes to U+FFFD, yet its bytes are not those of U+FFFD (ef bf bd).
  const bad = file('bad', Buffer.from([0x61, 0xff, 0x0a]));
  assert.not.ok(sameContent(bad, 'a\uFFFD\n'));
  const replacement = file('replacement', Buffer.from('a\uFFFD\n'));
  assert.ok(sameContent(replacement, 'a\uFFFD\n'));
  // A lone surrogate is written as ef bf bd: the same bytes, though the strings differ.
  const surrogate = file('surrogate', Buffer.from('a\uD800\n'));
  assert.ok(sameContent(surrogate, 'a\uD800\n'));
  const bom = file('bom', Buffer.from('\uFEFFa\n'));
  assert.not.ok(sameContent(bom, 'a\n'));
  assert.ok(sameContent(bom, '\uFEFFa\n'));
  assert.not.ok(sameContent(path.join(dir, 'missing'), ''));
});

test.run();
