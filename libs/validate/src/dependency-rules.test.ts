import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dependsOnApp, dependsOnHosted, type AppServerGroup, type Environment, type MarathonApp } from '@infra/model';
import lenexa from '@infra/env-lenexa';
import { validateEnvironment } from './index';
import { findCycles } from './dependency-rules';

const fresh = (): Environment => structuredClone(lenexa);
const appOf = (env: Environment, id: string) => env.apps.find((a) => a.id === id)! as MarathonApp;
const groupOf = (env: Environment, name: string) => env.hostGroups.find((g) => g.name === name)! as AppServerGroup;
const messages = (env: Environment) => validateEnvironment(env).map((p) => `[environments/${p.env}] ${p.path}: ${p.message}`);
const MAY = "A dependency names a Marathon app by id (dependsOnApp, e.g. '/catalog/search'), an app hosted on an app-server group by name (dependsOnHosted, e.g. 'billing-engine') or a database host (dependsOnDatabase, e.g. 'db-catalog-01').";

const CASES: [string, (env: Environment) => void, string[]][] = [
  ['a missing app', (e) => { appOf(e, '/web/storefront').dependsOn!.push({ app: '/cart/api' }); },
    [`[environments/lenexa] apps/web/storefront/dependsOn: depends on app /cart/api, which lenexa does not define. ${MAY}`]],
  ['a hosted app named as a Marathon app', (e) => { appOf(e, '/web/storefront').dependsOn!.push({ app: '/crm-portal' }); },
    ["[environments/lenexa] apps/web/storefront/dependsOn: depends on app /crm-portal, but crm-portal is hosted on app-server group crm-app, not on Marathon: depend on it with dependsOnHosted('crm-portal')"]],
  ['a missing hosted app', (e) => { appOf(e, '/web/storefront').dependsOn!.push(dependsOnHosted('crm-portl')); },
    [`[environments/lenexa] apps/web/storefront/dependsOn: depends on hosted app crm-portl, which no app-server group of lenexa hosts. ${MAY}`]],
  ['a missing database', (e) => { appOf(e, '/ledger/api').dependsOn = [{ database: 'db-ledger-09' }]; },
    [`[environments/lenexa] apps/ledger/api/dependsOn: depends on database db-ledger-09, which lenexa does not define. ${MAY}`]],
  ['a host that is not a database', (e) => { appOf(e, '/ledger/api').dependsOn = [{ database: 'crm-app-01' }]; },
    [`[environments/lenexa] apps/ledger/api/dependsOn: depends on database crm-app-01, but crm-app-01 is an app-server host, not a database. ${MAY}`]],
  ['a cycle', (e) => { appOf(e, '/ledger/api').dependsOn!.push({ app: '/ledger/reconciler' }); },
    ['[environments/lenexa] apps/ledger/api/dependsOn: dependency cycle: /ledger/api → /ledger/reconciler → /ledger/api: Marathon could never start these apps in order; remove one of these dependencies']],
  ['an app scaled to 0 that others depend on', (e) => { appOf(e, '/customers/api').instances = 0; },
    ['/notifications/mailer', '/payments/gateway', '/web/storefront'].map((id) => `[environments/lenexa] apps${id}/dependsOn: depends on app /customers/api, which has instances: 0: ${id} could never reach it. Scale /customers/api up, or remove the dependency`)],
  ['a replacement that does not exist', (e) => { groupOf(e, 'crm-app').apps[0].replacedBy = '/crm/portal'; },
    ['[environments/lenexa] hostGroups/crm-app/apps/crm-portal/replacedBy: names Marathon app /crm/portal, which lenexa does not define: define the Marathon app first (both run during the move), or correct the id']],
];

for (const [what, breakIt, expected] of CASES) {
  test(`refused: a dependency on ${what}`, () => {
    const env = fresh();
    breakIt(env);
    assert.equal(messages(env), expected);
  });
}

test('a Marathon app may depend on a hosted app, and a hosted app may name its Marathon replacement', () => {
  const env = fresh();
  env.apps.push({ id: '/crm/portal', image: 'r/crm-portal:6.1.0', runtime: 'node', cpus: 1, mem: 512, disk: 0, instances: 2, ports: [{ name: 'http', containerPort: 8080 }], dependsOn: [dependsOnHosted('crm-batch')] });
  groupOf(env, 'crm-app').apps[0].replacedBy = '/crm/portal';
  assert.equal(messages(env), []);
});

const app = (id: string, ...deps: string[]): MarathonApp => ({
  id, image: 'x/y:1', runtime: 'go', cpus: 1, mem: 64, disk: 0, instances: 1, ports: [], dependsOn: deps.map(dependsOnApp),
});

test('no cycles in a chain or a diamond', () => {
  assert.equal(findCycles([app('/a', '/b', '/c'), app('/b', '/d'), app('/c', '/d'), app('/d')]), []);
});

test('a cycle is named from its smallest id, whatever the definition order', () => {
  const apps = [app('/c', '/a'), app('/b', '/c'), app('/a', '/b'), app('/x', '/a')];
  assert.equal(findCycles(apps), [['/a', '/b', '/c']]);
  assert.equal(findCycles([...apps].reverse()), [['/a', '/b', '/c']]);
});

test('a self-dependency and two separate cycles', () => {
  assert.equal(findCycles([app('/s', '/s'), app('/p', '/q'), app('/q', '/p')]), [['/p', '/q'], ['/s']]);
});

test('dependencies on apps that do not exist are not cycles', () => {
  assert.equal(findCycles([app('/a', '/missing')]), []);
});

test.run();
