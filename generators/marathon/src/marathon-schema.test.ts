// The validator is neither too loose nor too strict: Marathon's own examples that are valid
// pass, and the ones SOURCES.md says are not are refused for exactly the stated reasons.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { appValidator, MARATHON_REFERENCE } from './marathon-schema';
import lenexa from '@infra/env-lenexa';
import { renderApp } from './app-definition';

const validate = appValidator();
const example = (name: string) => JSON.parse(fs.readFileSync(path.join(MARATHON_REFERENCE, 'examples', name), 'utf8'));

interface GroupJson { apps?: unknown[]; groups?: GroupJson[] }
const appsOfGroup = (g: GroupJson): unknown[] => [...(g.apps ?? []), ...(g.groups ?? []).flatMap(appsOfGroup)];

const VALID: Record<string, (json: any) => unknown[]> = {
  'docs-api-apps_create.json': (j) => j, // a list of apps
  'docs-api-group.json': appsOfGroup, // a group tree; each app is checked
  'docs-articles-app-simple.json': (j) => [j],
  'system-test-docker-http-server.json': (j) => [j],
  'system-test-mesos-app.json': (j) => [j],
  'system-test-persistent-volume-app.json': (j) => [j],
  'system-test-readiness-and-health-app.json': (j) => [j],
};

for (const [name, apps] of Object.entries(VALID)) {
  test(`valid example ${name}`, () => {
    const list = apps(example(name));
    assert.ok(list.length > 0);
    for (const app of list) assert.equal(validate(app), [], `${name} ${(app as { id: string }).id}`);
  });
}

test('every example file is either known valid or known invalid', () => {
  const known = [...Object.keys(VALID), 'docs-api-app.json', 'docs-api-app-check-http-example.json'].sort();
  assert.equal(fs.readdirSync(path.join(MARATHON_REFERENCE, 'examples')).sort(), known);
});

test('docs-api-app.json is refused: cmd with args, and tty', () => {
  assert.equal(validate(example('docs-api-app.json')), ['/ must NOT be valid', '/ must NOT have additional properties (tty)']);
  const { tty: _tty, ...withoutTty } = example('docs-api-app.json');
  const { cmd: _cmd, ...fixed } = withoutTty;
  assert.equal(validate(fixed), [], 'valid once cmd and tty are gone');
});

test('docs-api-app-check-http-example.json is refused: check', () => {
  assert.equal(validate(example('docs-api-app-check-http-example.json')), ['/ must NOT have additional properties (check)']);
});

test('the RAML tightenings bite', () => {
  const app = { id: '/a', cmd: 'x', container: { type: 'DOCKER', docker: { image: 'a:1' }, portMappings: [{ name: 'http-', containerPort: 80 }] } };
  assert.equal(validate(app), ['/container/portMappings/0/name must match pattern "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"']);
  assert.equal(validate({ id: '/a', cmd: 'x', cpus: 0 }), ['/cpus must be >= 0.001']);
  assert.equal(validate({ id: '/a', cmd: 'x', dependencies: ['/b', '/b'] }), ['/dependencies must NOT have duplicate items (items ## 0 and 1 are identical)']);
  assert.ok(validate({ id: '/a', cmd: 'x', constraints: [['hostname', 'UNIQUE', 'x', 'y']] }).length > 0, 'constraints have 2 or 3 items');
});

test('a rendered sidecar app validates (fetch, docker parameters, args), and the schema refuses cmd beside its args', () => {
  const storefront = JSON.parse(JSON.stringify(renderApp(lenexa, lenexa.apps.find((a) => a.id === '/web/storefront')!)));
  assert.equal(validate(storefront), []);
  assert.equal(validate({ ...storefront, cmd: 'node server.js' }), ['/ must NOT be valid']);
  assert.equal(validate({ ...storefront, fetch: [{ uri: 'x', executable: 'yes' }] }), ['/fetch/0/executable must be boolean']);
  assert.equal(validate({ ...storefront, container: { ...storefront.container, docker: { ...storefront.container.docker, parameters: [{ key: 'init' }] } } }), [
    "/container/docker/parameters/0 must have required property 'value'",
  ]);
});

test.run();
