import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { imageProblem, parseImage } from './image';

test('a registry port is not a tag', () => {
  assert.equal(parseImage('registry:5000/web/app'), { name: 'registry:5000/web/app', tag: undefined, digest: undefined });
  assert.equal(parseImage('registry:5000/web/app:1.2'), { name: 'registry:5000/web/app', tag: '1.2', digest: undefined });
});

test('tags and digests pin an image', () => {
  assert.is(imageProblem('registry.example.net/web/storefront:7.1.4'), undefined);
  assert.is(imageProblem(`registry.example.net/pay/gw@sha256:${'0f'.repeat(32)}`), undefined);
  assert.is(imageProblem(`registry.example.net/pay/gw:3.1@sha256:${'0f'.repeat(32)}`), undefined);
  assert.is(imageProblem('python:3.5-alpine'), undefined);
});

test('untagged and latest are refused with the way out', () => {
  assert.is(
    imageProblem('registry.example.net/web/storefront'),
    '"registry.example.net/web/storefront" has no tag: pin a version tag or a digest, e.g. "registry.example.net/web/storefront:1.2.3" or "registry.example.net/web/storefront@sha256:<digest>"',
  );
  assert.is(imageProblem('registry:5000/web/app'), '"registry:5000/web/app" has no tag: pin a version tag or a digest, e.g. "registry:5000/web/app:1.2.3" or "registry:5000/web/app@sha256:<digest>"');
  assert.is(imageProblem('web/app:latest'), '"web/app:latest" uses the tag "latest", which moves: pin a version tag or a digest');
});

test('malformed references are refused', () => {
  assert.is(imageProblem(''), 'image is empty');
  assert.match(imageProblem('Web/App:1.0')!, /is not a Docker image reference/);
  assert.match(imageProblem('web/app:1.0@sha256:xyz')!, /malformed digest "sha256:xyz"/);
  assert.match(imageProblem('web/app:-bad')!, /malformed tag "-bad"/);
});

test.run();
