// The whole generator: golden cases, determinism, Marathon's schema, and what the files say.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as path from 'node:path';
import { hostsOf, type Environment } from '@infra/model';
import lenexa from '@infra/env-lenexa';
import awsDr from '@infra/env-aws-dr';
import { compareGolden, shuffled } from '@infra/render/testing';
import { marathonGenerator } from './generator';
import { rackedEnv, smallEnv, withApp } from './fixtures';
import { appValidator } from './marathon-schema';
import { validateEnvironment } from '@infra/validate';

const GOLDEN = path.join(__dirname, '__golden__');
const render = (env: Environment) => marathonGenerator.generate(env, { environment: () => undefined });
const app = (env: Environment, id: string) => JSON.parse(render(env).get(`marathon${id}.json`)!);
const sorted = (files: Map<string, string>) => [...files].sort(([a], [b]) => (a < b ? -1 : 1));

for (const [name, env] of Object.entries({ small: smallEnv(), racked: rackedEnv() })) {
  test(`golden: ${name}`, () => {
    assert.equal(compareGolden(path.join(GOLDEN, name), render(env)), []);
  });
}

test('the golden inputs are valid definitions', () => {
  assert.equal(validateEnvironment(smallEnv()), []);
  assert.equal(validateEnvironment(rackedEnv()), []);
});

test('one file per app, named by its id', () => {
  assert.equal([...render(lenexa).keys()], [
    'marathon/catalog/search.json', 'marathon/customers/api.json', 'marathon/ledger/api.json', 'marathon/ledger/reconciler.json',
    'marathon/notifications/mailer.json', 'marathon/payments/gateway.json', 'marathon/reports/builder.json',
    'marathon/sessions/store.json', 'marathon/web/storefront.json',
  ]);
});

test('every rendered app of both environments and the golden cases validates against AppDefinition.json', () => {
  const validate = appValidator();
  for (const env of [lenexa, awsDr, smallEnv(), rackedEnv()]) {
    for (const [file, text] of render(env)) assert.equal(validate(JSON.parse(text)), [], `${env.name} ${file}`);
  }
});

test('determinism: twice, and with the definition shuffled', () => {
  for (const env of [lenexa, awsDr, smallEnv(), rackedEnv()]) {
    const once = sorted(render(env));
    assert.equal(sorted(render(env)), once);
    for (const seed of [1, 7, 42]) assert.equal(sorted(render(shuffled(env, seed))), once, `${env.name} seed ${seed}`);
  }
});

test("changing one app's image changes exactly one rendered file", () => {
  const before = render(lenexa);
  for (const id of ['/catalog/search', '/customers/api']) {
    const after = render(withApp(lenexa, id, (a) => ({ ...a, image: a.image.replace(/:[^:/]+$/, ':99.0.0') })));
    const changed = [...after.keys()].filter((k) => after.get(k) !== before.get(k));
    assert.equal(changed, [`marathon${id}.json`]);
    assert.equal([...after.keys()], [...before.keys()]);
  }
});

test('DR apps point at DR databases and DR Marathons: JVM env and sidecar dependencies', () => {
  const ip = (env: Environment, host: string) => hostsOf(env).find((h) => h.name === host)!.ip!;
  assert.is(ip(lenexa, 'db-ledger-01'), '10.20.5.10');
  assert.is(ip(awsDr, 'db-ledger-01'), '10.120.5.10');
  assert.is(app(awsDr, '/ledger/api').env.DEPENDENCY_DB_LEDGER_01_HOST, '10.120.5.10');
  assert.is(app(lenexa, '/ledger/api').env.DEPENDENCY_DB_LEDGER_01_HOST, '10.20.5.10');
  assert.is(app(awsDr, '/ledger/api').env.DEPENDENCY_DB_LEDGER_01_PORT, '5432');
  assert.is(app(awsDr, '/catalog/search').env.SIDECAR_DEPS, JSON.stringify([{ name: 'db-catalog-01', host: ip(awsDr, 'db-catalog-01'), port: 3306, localPort: 9902 }]));
  assert.is(app(awsDr, '/catalog/search').env.SIDECAR_DEPS, '[{"name":"db-catalog-01","host":"10.120.5.30","port":3306,"localPort":9902}]');
  assert.is(app(awsDr, '/catalog/search').env.SIDECAR_MARATHON, hostsOf(awsDr).filter((h) => h.role === 'mesos-master').map((h) => `http://${h.ip}:8080`).join(','));
});

test('JVM apps get dependencies as configuration and no sidecar', () => {
  const a = app(lenexa, '/reports/builder');
  assert.equal([a.cpus, a.mem, a.disk], [2, 6144, 2048]);
  assert.is(a.env.DEPENDENCY_LEDGER_API_SERVICE, 'ledger-api');
  assert.is(a.env.DEPENDENCY_DB_REPORTING_01_HOST, '10.20.5.40');
  assert.is(a.env.DEPENDENCY_DB_REPORTING_01_ENGINE, 'postgresql');
  assert.equal(Object.keys(a.env).filter((k) => k.startsWith('SIDECAR_')), []);
  assert.is(a.labels.SIDECAR, 'false');
  assert.equal(a.dependencies, ['/ledger/api']);
});

test('non-JVM apps: the sidecar is fetched and is the entrypoint, the app\'s command its args, dependencies on local ports', () => {
  const a = app(lenexa, '/web/storefront');
  assert.equal([a.cpus, a.mem, a.disk], [1.1, 1088, 256]);
  assert.equal(a.fetch, [{ uri: 'https://artifacts.lenexa.example.net/infra-sidecar/1.0.0/infra-sidecar-linux-x64', executable: true, cache: true }]);
  assert.equal(a.container.docker, {
    image: 'registry.lenexa.example.net/web/storefront:7.1.4',
    parameters: [{ key: 'entrypoint', value: '/mnt/mesos/sandbox/infra-sidecar-linux-x64' }, { key: 'init', value: 'true' }],
  });
  assert.equal(a.args, ['node', 'server.js']);
  assert.is(a.cmd, undefined);
  assert.equal(a.env, {
    CATALOG_SEARCH_HOST: '127.0.0.1',
    CATALOG_SEARCH_PORT: '9902',
    CUSTOMERS_API_HOST: '127.0.0.1',
    CUSTOMERS_API_PORT: '9903',
    NODE_ENV: 'production',
    SESSIONS_STORE_HOST: '127.0.0.1',
    SESSIONS_STORE_PORT: '9904',
    SIDECAR_DEPS: JSON.stringify([
      { name: 'catalog-search', app: '/catalog/search', portName: 'http', localPort: 9902 },
      { name: 'customers-api', app: '/customers/api', portName: 'http', localPort: 9903 },
      { name: 'sessions-store', app: '/sessions/store', portName: 'redis', localPort: 9904 },
    ]),
    SIDECAR_MARATHON: 'http://10.20.1.11:8080,http://10.20.1.12:8080,http://10.20.1.13:8080',
    SIDECAR_PORT: '9901',
    SIDECAR_WAIT_SECONDS: '30',
  });
  assert.equal(a.dependencies, ['/catalog/search', '/customers/api', '/sessions/store']);
  assert.is(app(lenexa, '/sessions/store').env.SIDECAR_DEPS, '[]');
});

test('JVM apps keep their image\'s entrypoint: no fetch, no parameters, their own args', () => {
  for (const env of [lenexa, smallEnv()]) {
    for (const [file, text] of render(env)) {
      const def = JSON.parse(text);
      if (def.labels.SIDECAR === 'true') continue;
      assert.is(def.fetch, undefined, file);
      assert.is(def.container.docker.parameters, undefined, file);
      assert.ok(!Object.keys(def.env ?? {}).some((k) => k.startsWith('SIDECAR_')), file);
    }
  }
  const withArgs = withApp(smallEnv(), '/orders/api', (a) => ({ ...a, args: ['--port', '8080'] }));
  assert.equal(app(withArgs, '/orders/api').args, ['--port', '8080']);
});

test('no rendered app has cmd, and none has cmd with args (Marathon refuses both, #2373 for the entrypoint)', () => {
  for (const env of [lenexa, awsDr, smallEnv(), rackedEnv()]) {
    for (const [file, text] of render(env)) assert.is(JSON.parse(text).cmd, undefined, `${env.name} ${file}`);
  }
});

test('a sidecar version change changes the fetch URI of every sidecar app, and of no other', () => {
  const before = render(lenexa);
  const after = render({ ...lenexa, sidecar: { ...lenexa.sidecar, version: '1.0.1' } });
  const changed = [...after.keys()].filter((k) => after.get(k) !== before.get(k));
  assert.equal(changed, ['marathon/catalog/search.json', 'marathon/notifications/mailer.json', 'marathon/payments/gateway.json', 'marathon/sessions/store.json', 'marathon/web/storefront.json']);
  assert.is(JSON.parse(after.get('marathon/web/storefront.json')!).fetch[0].uri, 'https://artifacts.lenexa.example.net/infra-sidecar/1.0.1/infra-sidecar-linux-x64');
});

test('secrets are references, never values; label and env values are strings', () => {
  const a = app(lenexa, '/payments/gateway');
  assert.equal(a.secrets, { PROCESSOR_API_KEY: { source: 'kv/payments/processor#api-key' } });
  assert.equal(a.env.PROCESSOR_API_KEY, { secret: 'PROCESSOR_API_KEY' });
  for (const text of render(lenexa).values()) {
    const def = JSON.parse(text);
    for (const v of Object.values(def.labels)) assert.type(v, 'string');
    for (const v of Object.values(def.env ?? {})) assert.ok(typeof v === 'string' || Object.keys(v as object).join() === 'secret');
  }
});

test('load balancer labels only on exposed apps, on the exposed port', () => {
  assert.equal(app(lenexa, '/customers/api').labels, {
    HAPROXY_0_MODE: 'http', HAPROXY_0_VHOST: 'customers.lenexa.example.net', HAPROXY_GROUP: 'external',
    MANAGED_BY: 'infra', SERVICE_NAME: 'customers-api', SERVICE_PORTS: 'http', SIDECAR: 'false',
  });
  assert.equal(app(lenexa, '/catalog/search').labels, { MANAGED_BY: 'infra', SERVICE_NAME: 'catalog-search', SERVICE_PORTS: 'http', SIDECAR: 'true' });
  const edge = app(rackedEnv(), '/edge/proxy').labels;
  assert.equal([edge.HAPROXY_1_VHOST, edge.HAPROXY_0_ENABLED, edge.HAPROXY_2_ENABLED, edge.SERVICE_PORTS], ['edge.test.example.net', 'false', 'false', 'admin,https,metrics']);
});

test('placement: UNIQUE hosts and rack spread when instances fit after losing a rack, MAX_PER otherwise', () => {
  // lenexa: 12 agents, 8 left after losing a rack; at most 6 instances per app.
  for (const text of render(lenexa).values()) assert.equal(JSON.parse(text).constraints, [['hostname', 'UNIQUE'], ['rack', 'GROUP_BY']]);
  // racked: 6 agents in racks of 3; 4 instances need 2 per agent on the 3 that survive.
  assert.equal(app(rackedEnv(), '/edge/proxy').constraints, [['hostname', 'MAX_PER', '2'], ['rack', 'GROUP_BY']]);
  // small: no racks, so no rack constraint (agents without the attribute would refuse the app).
  assert.equal(app(smallEnv(), '/orders/web').constraints, [['hostname', 'MAX_PER', '2']]);
  assert.equal(app(smallEnv(), '/orders/api').constraints, [['hostname', 'UNIQUE']]);
});

test('health checks: MESOS_HTTP by port index, Marathon defaults written out', () => {
  assert.equal(app(rackedEnv(), '/edge/proxy').healthChecks, [
    { gracePeriodSeconds: 300, intervalSeconds: 60, maxConsecutiveFailures: 3, path: '/ready', portIndex: 0, protocol: 'MESOS_HTTP', timeoutSeconds: 20 },
  ]);
  assert.is(app(lenexa, '/sessions/store').healthChecks, undefined);
});

test.run();
