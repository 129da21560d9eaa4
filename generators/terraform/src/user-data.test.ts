import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import lenexa from '@infra/env-lenexa';
import { encodeUserData, userDataHashes } from './user-data';
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

test('userDataHashes: one hash per host group', () => {
  const hashes = userDataHashes(lenexa, stubUserData);
  assert.equal([...hashes.keys()].sort(), lenexa.hostGroups.map((g) => g.name).sort());
  for (const group of lenexa.hostGroups) assert.is(hashes.get(group.name), encodeUserData(stubUserData(lenexa, group)).sha256);
});

test.run();
