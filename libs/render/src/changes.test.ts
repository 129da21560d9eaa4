import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lineDiff } from './changes';

test('lineDiff shows only the lines that change, removals before additions', () => {
  assert.equal(lineDiff('a\nb\nc\n', 'a\nB\nc\n'), ['- b', '+ B']);
  assert.equal(lineDiff('a\nb\n', 'a\nb\nc\n'), ['+ c']);
  assert.equal(lineDiff('', 'x\n'), ['+ x']);
  assert.equal(lineDiff('x\ny\n', ''), ['- x', '- y']);
  assert.equal(lineDiff('same\n', 'same\n'), []);
});

test('lineDiff keeps common lines in the middle out of the difference', () => {
  assert.equal(lineDiff('1\n2\n3\n4\n5\n', '1\n2x\n3\n4\n5x\n'), ['- 2', '+ 2x', '- 5', '+ 5x']);
});

test.run();
