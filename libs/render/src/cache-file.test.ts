import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeCacheFile } from './cache-file';

test('written whole into a folder it makes; nothing left beside it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-file-'));
  try {
    const file = path.join(dir, 'a/b/cache.json');
    assert.ok(writeCacheFile(file, '{"x":1}\n'));
    assert.ok(writeCacheFile(file, Buffer.from('{"x":2}\n')));
    assert.is(fs.readFileSync(file, 'utf8'), '{"x":2}\n');
    assert.equal(fs.readdirSync(path.dirname(file)), ['cache.json']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a cache that cannot be written costs nothing: false, no throw, the old file kept', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-file-'));
  try {
    const file = path.join(dir, 'cache.json');
    fs.writeFileSync(file, 'old');
    // A folder where the temporary would go makes the write fail, whoever runs the test (root too).
    fs.mkdirSync(`${file}.${process.pid}.tmp`);
    fs.writeFileSync(path.join(`${file}.${process.pid}.tmp`, 'x'), '');
    assert.is(writeCacheFile(file, 'new'), false);
    assert.is(fs.readFileSync(file, 'utf8'), 'old');
    // Under a file, no folder can be made.
    assert.is(writeCacheFile(path.join(file, 'inner.json'), 'new'), false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
