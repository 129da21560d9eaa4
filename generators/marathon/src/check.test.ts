// Bad input: each mistake gives a located problem with a message that says what to do.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dependsOnApp, dependsOnDatabase, formatProblem, type Environment } from '@infra/model';
import lenexa from '@infra/env-lenexa';
import awsDr from '@infra/env-aws-dr';
import { marathonGenerator } from './generator';
import { smallEnv, withApp } from './fixtures';

const check = (env: Environment) => marathonGenerator.check!(env, { environment: () => undefined }).map(formatProblem);

test('both real environments pass', () => {
  assert.equal(check(lenexa), []);
  assert.equal(check(awsDr), []);
  assert.equal(check(smallEnv()), []);
});

test('image without a tag', () => {
  const env = withApp(lenexa, '/web/storefront', (a) => ({ ...a, image: 'registry.lenexa.example.net/web/storefront' }));
  assert.equal(check(env), [
    '[environments/lenexa] apps/web/storefront/image: "registry.lenexa.example.net/web/storefront" has no tag: pin a version tag or a digest, e.g. "registry.lenexa.example.net/web/storefront:1.2.3" or "registry.lenexa.example.net/web/storefront@sha256:<digest>"',
  ]);
});

test('image tagged latest', () => {
  const env = withApp(lenexa, '/ledger/api', (a) => ({ ...a, image: 'registry.lenexa.example.net/ledger/api:latest' }));
  assert.equal(check(env), [
    '[environments/lenexa] apps/ledger/api/image: "registry.lenexa.example.net/ledger/api:latest" uses the tag "latest", which moves: pin a version tag or a digest',
  ]);
});

test('a sidecar app without its command, with args, or a JVM app with a command', () => {
  let env = withApp(lenexa, '/web/storefront', (a) => ({ ...a, command: undefined }));
  env = withApp(env, '/catalog/search', (a) => ({ ...a, args: ['--verbose'] }));
  env = withApp(env, '/ledger/api', (a) => ({ ...a, command: ['java', '-jar', 'app.jar'] }));
  assert.equal(check(env), [
    '[environments/lenexa] apps/catalog/search/args: a sidecar app\'s arguments go at the end of command (the sidecar starts the command with them): move them there',
    '[environments/lenexa] apps/ledger/api/command: a JVM app runs without the sidecar and keeps its image\'s entrypoint: put its arguments in args instead',
    '[environments/lenexa] apps/web/storefront/command: a node app runs with the sidecar, which starts the app\'s command: set command to the image\'s ENTRYPOINT followed by its CMD, e.g. ["node", "server.js"]',
  ]);
});

test("a sidecar app listening on a dependency's local port, or depending on an app without ports", () => {
  let env = withApp(lenexa, '/web/storefront', (a) => ({ ...a, ports: [{ name: 'http', containerPort: 9903 }] }));
  env = withApp(env, '/sessions/store', (a) => ({ ...a, ports: [] }));
  assert.equal(check(env), [
    '[environments/lenexa] apps/web/storefront/ports/http/containerPort: 9903 is the sidecar\'s local port for customers-api inside the container (sidecar/port + 2): choose another',
    '[environments/lenexa] apps/web/storefront/dependsOn: /sessions/store has no port for the sidecar to serve: give it a port or drop the dependency',
  ]);
});

test('dependency cycle, named', () => {
  const env = withApp(lenexa, '/ledger/api', (a) => ({ ...a, dependsOn: [...(a.dependsOn ?? []), dependsOnApp('/reports/builder')] }));
  assert.equal(check(env), [
    '[environments/lenexa] apps/ledger/api/dependsOn: dependency cycle: /ledger/api → /reports/builder → /ledger/api (Marathon could never start these apps in order)',
  ]);
});

test('missing dependencies: an app, a database, a host that is no database', () => {
  const env = withApp(lenexa, '/web/storefront', (a) => ({
    ...a,
    dependsOn: [...(a.dependsOn ?? []), dependsOnApp('/cart/api'), dependsOnDatabase('db-cart-01'), dependsOnDatabase('mesos-agent-01')],
  }));
  assert.equal(check(env), [
    '[environments/lenexa] apps/web/storefront/dependsOn: depends on app /cart/api, which lenexa does not define',
    '[environments/lenexa] apps/web/storefront/dependsOn: depends on database db-cart-01, which lenexa does not define',
    '[environments/lenexa] apps/web/storefront/dependsOn: depends on database mesos-agent-01, but mesos-agent-01 is a mesos-agent host, not a database',
  ]);
});

test('port names Marathon rejects, by the schema pattern and by the RAML pattern', () => {
  const env = withApp(lenexa, '/sessions/store', (a) => ({
    ...a,
    ports: [{ name: 'Redis_1', containerPort: 6379 }, { name: 'sentinel-', containerPort: 26379 }, { name: '9121', containerPort: 9121 }],
  }));
  const rule = 'is refused by Marathon: use lowercase letters, digits and dashes, starting with a letter and not ending with a dash';
  assert.equal(check(env), [
    `[environments/lenexa] apps/sessions/store/ports/Redis_1/name: port name "Redis_1" ${rule}`,
    `[environments/lenexa] apps/sessions/store/ports/sentinel-/name: port name "sentinel-" ${rule}`,
    `[environments/lenexa] apps/sessions/store/ports/9121/name: port name "9121" ${rule}`,
  ]);
});

test('health check and expose name ports the app does not have; a port name used twice', () => {
  const env = withApp(lenexa, '/customers/api', (a) => ({
    ...a,
    ports: [{ name: 'http', containerPort: 8080 }, { name: 'http', containerPort: 8081 }],
    healthCheck: { ...a.healthCheck!, port: 'admin' },
    expose: { vhost: 'customers.lenexa.example.net', port: 'https' },
  }));
  assert.equal(check(env), [
    '[environments/lenexa] apps/customers/api/ports/http: port name "http" is used twice; Marathon needs each port name once per app',
    '[environments/lenexa] apps/customers/api/healthCheck/port: "admin" is not a port of /customers/api (ports: http, http)',
    '[environments/lenexa] apps/customers/api/expose/port: "https" is not a port of /customers/api (ports: http, http)',
  ]);
});

test('a variable set by the dependency wiring and again by env', () => {
  const env = withApp(lenexa, '/ledger/api', (a) => ({ ...a, env: { ...a.env, DEPENDENCY_DB_LEDGER_01_HOST: 'db.example' } }));
  assert.equal(check(env), [
    '[environments/lenexa] apps/ledger/api/env/DEPENDENCY_DB_LEDGER_01_HOST: DEPENDENCY_DB_LEDGER_01_HOST is set by the dependency on db-ledger-01 and again by env',
  ]);
  const sidecar = withApp(lenexa, '/web/storefront', (a) => ({ ...a, env: { SIDECAR_PORT: '1' } }));
  assert.equal(check(sidecar), [
    '[environments/lenexa] apps/web/storefront/env/SIDECAR_PORT: SIDECAR_PORT is set by the sidecar contract and again by env',
  ]);
});

test("a non-JVM app listening on the sidecar's port", () => {
  const env = withApp(lenexa, '/catalog/search', (a) => ({ ...a, ports: [{ name: 'http', containerPort: 9901 }] }));
  assert.equal(check(env), [
    "[environments/lenexa] apps/catalog/search/ports/http/containerPort: 9901 is the sidecar's port (sidecar/port) inside the container: choose another",
  ]);
  // A JVM app runs no sidecar, so the port is free for it.
  assert.equal(check(withApp(lenexa, '/ledger/api', (a) => ({ ...a, ports: [{ name: 'http', containerPort: 9901 }] }))), []);
});

test('two apps with one service-discovery name', () => {
  const env = { ...smallEnv(), apps: [...smallEnv().apps, { ...smallEnv().apps[2], id: '/orders-worker' }] };
  assert.equal(check(env), [
    '[environments/small] apps/orders/worker/id: service-discovery name "orders-worker" is also the name of /orders-worker: rename one of them',
  ]);
});

test('over capacity, with the shortfall', () => {
  // 57472 MiB today, minus 4 × 1088 for catalog/search, plus 4 × (131072 + 64) = 577664 MiB.
  const env = withApp(lenexa, '/catalog/search', (a) => ({ ...a, mem: 131072 }));
  assert.equal(check(env), [
    '[environments/lenexa] capacity/mem: needs 577664 MiB, 524288 MiB left after losing rack rack-a (4 agents); short by 53376 MiB (add agents or reduce instances)',
    '[environments/lenexa] apps/catalog/search/mem: one instance needs 131136 MiB (sidecar included), more than the largest agent offers (65536 MiB)',
  ]);
});

test('every problem at once', () => {
  let env = withApp(lenexa, '/web/storefront', (a) => ({ ...a, image: 'web:latest', ports: [{ name: 'HTTP', containerPort: 3000 }] }));
  env = withApp(env, '/ledger/api', (a) => ({ ...a, dependsOn: [dependsOnApp('/nope')] }));
  assert.equal(marathonGenerator.check!(env, { environment: () => undefined }).map((p) => p.path), [
    'apps/web/storefront/image',
    'apps/web/storefront/ports/HTTP/name',
    'apps/web/storefront/healthCheck/port',
    'apps/web/storefront/expose/port',
    'apps/ledger/api/dependsOn',
  ]);
});

test.run();
