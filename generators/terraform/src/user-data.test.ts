import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import lenexa from '@infra/env-lenexa';
import { encodeUserData, groupUserData } from './user-data';
import { stubUserData } from './testing/fixtures';

test('encodeUserData: gzip+base64 that decodes to the text, with sizes and sha256', () => {
  const text = '#cloud-config\n# hello\n';
  const u = encodeUserData(text);
  assert.is(gunzipSync(Buffer.from(u.base64, 'base64')).toString('utf8'), text);
  assert.is(u.rawBytes, Buffer.byteLength(text));
  assert.is(u.gzipBytes, Buffer.from(u.base64, 'base64').length);
  assert.is(u.sha256, createHash('sha256').update(text).digest('hex'));
});

test('encodeUserData: the gzip header carries no time and a fixed OS byte', () => {
  const gz = Buffer.from(encodeUserData('#cloud-config\n').base64, 'base64');
  assert.equal([...gz.subarray(4, 8)], [0, 0, 0, 0]); // MTIME
  assert.is(gz[9], 3);
});

/** A fixed text long enough for real deflate work (back-references, Huffman tables). */
function canaryText(): string {
  const lines = ['#cloud-config', '# canary: fixed text, fixed bytes', 'runcmd:'];
  for (let i = 0; i < 40; i++) lines.push(`  - [ sh, -c, "echo host-${String(i).padStart(2, '0')} rack-${i % 4} >> /etc/hosts.d/canary" ]`);
  return `${lines.join('\n')}\n`;
}

test('canary: the gzip bytes of a fixed text are fixed (pure-JS deflate, not the zlib Node was built with)', () => {
  const text = canaryText();
  const u = encodeUserData(text);
  const gz = Buffer.from(u.base64, 'base64');
  assert.is(text.length, 2496);
  assert.is(u.gzipBytes, 260);
  assert.is(u.base64.slice(0, 40), 'H4sIAAAAAAACA6WUywrCMBBF9/2KQbeNbWZ8L/wR');
  assert.is(createHash('sha256').update(gz).digest('hex'), '6cd3093bc9ff3416009b29acf979f04b16d677a3cb40b16d8e5e0a455c649cf0');
  // Any gzip reader gets the text back.
  assert.is(gunzipSync(gz).toString('utf8'), text);
});

test('the deflate is pinned to one exact version in package.json and the lock file', () => {
  const root = path.resolve(__dirname, '../../..');
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  assert.match(pkg.dependencies.fflate, /^\d+\.\d+\.\d+$/);
  assert.is(lock.packages['node_modules/fflate'].version, pkg.dependencies.fflate);
});

test('groupUserData: one encoding per host group, each encoded once (the check and generate share it)', () => {
  const encoded = groupUserData(lenexa, stubUserData);
  assert.equal([...encoded.keys()].sort(), lenexa.hostGroups.map((g) => g.name).sort());
  for (const group of lenexa.hostGroups) assert.is(encoded.get(group.name), encodeUserData(stubUserData(lenexa, group)), 'the same object: not gzipped again');
  const text = stubUserData(lenexa, lenexa.hostGroups[0]);
  assert.ok(Object.isFrozen(encodeUserData(text)), 'shared, so nobody may change it');
});

test.run();
