import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { envPrefix, parseArgs } from './config';
import { VERSION } from './version';

const deps = JSON.stringify([
  { name: 'customers-api', app: '/customers/api', portName: 'http', localPort: 9902 },
  { name: 'db-catalog-01', host: '10.20.5.12', port: 5432, localPort: 9903 },
]);
const base = { SIDECAR_MARATHON: 'http://10.20.1.11:8080, http://10.20.1.12:8080/', SIDECAR_DEPS: deps, SIDECAR_PORT: '9901' };

test('a full configuration', () => {
  const r = parseArgs(['--', 'node', 'server.js'], { ...base, SIDECAR_WAIT_SECONDS: '0', MARATHON_USERNAME: 'u', MARATHON_PASSWORD: 'p' });
  assert.equal(r, {
    kind: 'run',
    config: {
      marathon: ['http://10.20.1.11:8080', 'http://10.20.1.12:8080'],
      deps: [
        { kind: 'marathon', name: 'customers-api', app: '/customers/api', portName: 'http', localPort: 9902 },
        { kind: 'fixed', name: 'db-catalog-01', host: '10.20.5.12', port: 5432, localPort: 9903 },
      ],
      statusPort: 9901, waitSeconds: 0, resyncSeconds: 30,
      auth: { kind: 'basic', username: 'u', password: 'p' },
      command: ['node', 'server.js'],
    },
  });
});

test('token wins over basic auth; the wait defaults to 30 s; -- is optional', () => {
  const r = parseArgs(['server', '--flag'], { ...base, MARATHON_TOKEN: 't', MARATHON_USERNAME: 'u', MARATHON_PASSWORD: 'p' });
  assert.ok(r.kind === 'run');
  if (r.kind !== 'run') return;
  assert.equal(r.config.auth, { kind: 'token', token: 't' });
  assert.is(r.config.waitSeconds, 30);
  assert.equal(r.config.command, ['server', '--flag']);
});

test('every problem at once, each located and saying what to do', () => {
  const bad = JSON.stringify([
    { name: 'Customers', app: 'customers', portName: '', localPort: 9901 },
    { name: 'x', host: 'h', port: 70000, localPort: 9905 },
    { name: 'x', host: 'h', port: 1, localPort: 9905 },
    { name: 'both', app: '/a', portName: 'http', host: 'h', port: 1, localPort: 9906 },
  ]);
  const r = parseArgs([], { SIDECAR_DEPS: bad, SIDECAR_PORT: '9901', SIDECAR_WAIT_SECONDS: 'soon', MARATHON_USERNAME: 'u' });
  const fix = 'fix the app definition and render again, or set the variable by hand';
  assert.equal(r, {
    kind: 'error',
    problems: [
      "no COMMAND given: infra-sidecar [--] COMMAND [ARG…] (the app's own command line)",
      `SIDECAR_DEPS[0].name: "Customers" is not a name (lowercase letters, digits, dashes): ${fix}`,
      `SIDECAR_DEPS[0].app: "customers" is not a Marathon app id (e.g. "/customers/api"): ${fix}`,
      `SIDECAR_DEPS[0].portName: "" is not a port name: ${fix}`,
      `SIDECAR_DEPS[1].port: 70000 is not a port (1-65535): ${fix}`,
      `SIDECAR_DEPS[2].name: "x" is listed twice: ${fix}`,
      `SIDECAR_DEPS[3]: needs either "app" and "portName" (a Marathon app) or "host" and "port" (a fixed address): ${fix}`,
      `SIDECAR_WAIT_SECONDS: "soon" is not a number of seconds: ${fix}`,
      'MARATHON_USERNAME and MARATHON_PASSWORD: set both (basic auth) or neither',
    ],
  });
});

test('Marathon apps without SIDECAR_MARATHON, a bad URL, and clashing local ports', () => {
  const d = JSON.stringify([{ name: 'a', app: '/a', portName: 'http', localPort: 9901 }, { name: 'b', host: 'h', port: 1, localPort: 9901 }]);
  const fix = 'fix the app definition and render again, or set the variable by hand';
  assert.equal(parseArgs(['x'], { SIDECAR_DEPS: d, SIDECAR_PORT: '9901' }), {
    kind: 'error',
    problems: [
      `SIDECAR_MARATHON: not set, but SIDECAR_DEPS names Marathon apps: ${fix}`,
      `SIDECAR_DEPS: a: localPort 9901 is also SIDECAR_PORT: ${fix}`,
      `SIDECAR_DEPS: b: localPort 9901 is also the localPort of a: ${fix}`,
    ],
  });
  assert.equal(parseArgs(['x'], { SIDECAR_MARATHON: 'marathon:8080', SIDECAR_PORT: '1' }), {
    kind: 'error', problems: [`SIDECAR_MARATHON: "marathon:8080" is not an http(s) URL: ${fix}`],
  });
});

test('--version, --help; the version is the package version', () => {
  assert.equal(parseArgs(['--version'], {}), { kind: 'version' });
  assert.equal(parseArgs(['--help'], {}), { kind: 'help' });
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../package.json'), 'utf8'));
  assert.is(VERSION, pkg.version);
});

test('env prefix: upper case, dashes as underscores', () => {
  assert.is(envPrefix('customers-api'), 'CUSTOMERS_API');
  assert.is(envPrefix('db-catalog-01'), 'DB_CATALOG_01');
});

test.run();
