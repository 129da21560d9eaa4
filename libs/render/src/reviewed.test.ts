import { createHash } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REVIEW_MARKER, reviewedHash, reviewedHashIn, reviewedLine } from './reviewed';

// What the review writes, apply reads back: one format, round-tripped.

test('the reviewed hash is the sha256 of manifest.json; none without one', () => {
  const manifest = '{"files":{}}\n';
  assert.is(reviewedHash(new Map([['manifest.json', manifest], ['x', 'y']])), createHash('sha256').update(manifest).digest('hex'));
  assert.is(reviewedHash(new Map([['x', 'y']])), '');
});

test('a reviewed line is read back for its environment only, and only from the review comment', () => {
  const head = 'b'.repeat(40);
  const body = [REVIEW_MARKER, '## infra diff', reviewedLine('aws-dr', 'd'.repeat(64), head), reviewedLine('lenexa', 'c'.repeat(64), head), reviewedLine('staging', '', head)].join('\n');
  assert.is(reviewedLine('staging', '', head), `<!-- infra:reviewed env=staging sha256=none head=${head} -->`);
  assert.is(reviewedHashIn(body, 'lenexa'), 'c'.repeat(64));
  assert.is(reviewedHashIn(body, 'aws-dr'), 'd'.repeat(64));
  assert.is(reviewedHashIn(body, 'staging'), undefined, 'not rendered at head: nothing reviewed');
  assert.is(reviewedHashIn(body, 'lenexa-2'), undefined);
  assert.is(reviewedHashIn(body, 'lenex'), undefined);
  assert.is(reviewedHashIn(body.slice(REVIEW_MARKER.length + 1), 'lenexa'), undefined, 'a quote in another comment is not a review');
});

test.run();
