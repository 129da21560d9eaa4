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

test('stableJson equals sorting a deep copy first, on already-sorted, unsorted and mixed input', () => {
  const reference = (v: unknown): string => {
    const sort = (x: unknown): unknown => Array.isArray(x) ? x.map(sort)
      : x && typeof x === 'object' ? Object.fromEntries(Object.keys(x).sort().filter((k) => (x as Record<string, unknown>)[k] !== undefined).map((k) => [k, sort((x as Record<string, unknown>)[k])])) : x;
    return JSON.stringify(sort(v), null, 2) + '\n';
  };
  const inputs = [
    { a: 1, b: { c: [1, { d: 2, e: 3 }], f: null } },
    { z: 1, a: { y: [{ b: 1, a: 2 }], x: undefined }, m: [] },
    { a: { b: { d: 1, c: 2 } }, b: [{ a: 1 }, { c: 1, b: 2 }], c: 'x' },
    [{ b: 1, a: undefined }, 'text', 3, null, [{ y: 1, x: 2 }]],
    // Sorted parents whose first, middle or last member needs sorting, beside undefined members.
    { a: { c: 1, b: 2 }, b: { x: 1 }, c: undefined },
    { a: { x: 1 }, b: undefined, c: { e: 1, d: 2 }, d: [1, { b: 1, a: 1 }], e: { f: { h: 1, g: 1 } } },
    { a: undefined, b: [[{ d: 1, c: 1 }]], c: { d: { e: 1 } } },
  ];
  for (const input of inputs) assert.is(stableJson(input), reference(input));
});

test('stableJson never changes its input', () => {
  const input = { b: { d: 1, c: 2 }, a: [{ y: 1, x: 2 }] };
  const before = JSON.stringify(input);
  stableJson(input);
  assert.is(JSON.stringify(input), before);
});

test.run();
