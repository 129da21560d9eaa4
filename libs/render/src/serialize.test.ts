import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lines, stableJson } from './serialize';

test('stableJson sorts keys at every level, drops undefined, ends with one newline', () => {
  assert.is(stableJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } }), '{\n  "a": {\n    "d": [\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n');
});

test('stableJson keeps array order: arrays are ordered data', () => {
  assert.is(stableJson([3, 1, 2]), '[\n  3,\n  1,\n  2\n]\n');
});

test('lines joins with LF and ends with exactly one newline; empty stays empty', () => {
  assert.is(lines(['a', 'b']), 'a\nb\n');
  assert.is(lines([]), '');
});

test.run();
