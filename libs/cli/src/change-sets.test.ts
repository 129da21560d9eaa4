// The operator's changes end to end, through the real command: each bad change is refused with
// its exact message and rendered/ stays byte-identical; a good one changes exactly what it must.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyWorkspace, edit, infra, treeHash } from './testing/workspace';

const APPS = 'environments/common/apps.ts';
const LENEXA = 'environments/lenexa/index.ts';

const BAD: [string, [string, string, string][], string][] = [
  ['an app scaled to 0 that another depends on', [[APPS, 'cpus: 2, mem: 3072, disk: 512, instances: n(3),', 'cpus: 2, mem: 3072, disk: 512, instances: 0,']],
    '[environments/lenexa] apps/web/storefront/dependsOn: depends on app /customers/api, which has instances: 0: /web/storefront could never reach it. Scale /customers/api up, or remove the dependency'],
  ['a hosted app named as a Marathon app', [[APPS, "dependsOnApp('/sessions/store')],", "dependsOnApp('/sessions/store'), dependsOnApp('/crm-portal')],"]],
    "[environments/lenexa] apps/web/storefront/dependsOn: depends on app /crm-portal, but crm-portal is hosted on app-server group crm-app, not on Marathon: depend on it with dependsOnHosted('crm-portal')"],
  ['a replacement that is not defined', [[LENEXA, "{ name: 'crm-portal', package: 'crm-portal', version: '6.0.4', port: 8080 },", "{ name: 'crm-portal', package: 'crm-portal', version: '6.0.4', port: 8080, replacedBy: '/crm/portal' },"]],
    '[environments/lenexa] hostGroups/crm-app/apps/crm-portal/replacedBy: names Marathon app /crm/portal, which lenexa does not define: define the Marathon app first (both run during the move), or correct the id'],
  ['a URL with a password in an env value', [[APPS, "env: { NODE_ENV: 'production' },", "env: { NODE_ENV: 'production', API_URL: 'https://shop:p4ssw0rd@api.example.net/v1' },"]],
    '[environments/lenexa] apps/web/storefront/env/API_URL: holds a URL with a password: a credential must not reach rendered/; put it in Vault and reference it from the app\'s "secrets" as secret("kv/<path>#<key>")'],
  ['a rollout batch as large as its group', [[LENEXA, "rollout: { batchSize: 1, healthCheck: { port: 8080, path: '/health' } },", "rollout: { batchSize: 2, healthCheck: { port: 8080, path: '/health' } },"]],
    '[environments/lenexa] hostGroups/crm-app/rollout/batchSize: 2 would replace every server of crm-app (2) at once, taking all its apps down: use at most 1'],
  ['Mesos masters two in flight', [[LENEXA, "role: 'mesos-master', name: 'mesos-master',", "role: 'mesos-master', name: 'mesos-master', update: { maxInFlight: 2 },"]],
    '[environments/lenexa] hostGroups/mesos-master/update/maxInFlight: 2 would replace 2 of the 3 Mesos masters at once, losing the ZooKeeper quorum: masters are replaced one at a time; use 1 or leave maxInFlight out'],
];

for (const [what, edits, message] of BAD) {
  test(`refused: ${what}`, () => {
    const ws = copyWorkspace();
    for (const [file, from, to] of edits) edit(path.join(ws, file), from, to);
    const before = treeHash(path.join(ws, 'rendered'));
    const r = infra(ws, ['render']);
    assert.is(r.status, 2, r.stderr);
    assert.ok(r.stderr.split('\n').includes(message), r.stderr);
    assert.match(r.stderr, 'nothing was written. Fix the definitions under environments/');
    assert.is(treeHash(path.join(ws, 'rendered')), before);
  });
}

const changed = (ws: string, env: string) => {
  const manifest = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'rendered', env, 'manifest.json'), 'utf8')).files as Record<string, { sha256: string }>;
  const before = manifest(path.resolve(__dirname, '../../..'));
  const after = manifest(ws);
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((p) => before[p]?.sha256 !== after[p]?.sha256).sort();
};

test('moving crm-portal onto Mesos: the Marathon app is added beside the hosted one, and no server is replaced', () => {
  const ws = copyWorkspace();
  edit(path.join(ws, APPS), "    {\n      id: '/reports/builder',", `    {
      id: '/crm/portal', image: \`\${REGISTRY}/crm/portal:6.1.0\`, runtime: 'node', command: ['node', 'portal.js'],
      cpus: 1, mem: 1024, disk: 256, instances: n(2), ports: http(), healthCheck: health,
      dependsOn: [dependsOnHosted('crm-batch'), dependsOnApp('/customers/api')],
    },
    {
      id: '/reports/builder',`);
  edit(path.join(ws, APPS), 'import { dependsOnApp, dependsOnDatabase,', 'import { dependsOnApp, dependsOnDatabase, dependsOnHosted,');
  edit(path.join(ws, LENEXA), "{ name: 'crm-portal', package: 'crm-portal', version: '6.0.4', port: 8080 },", "{ name: 'crm-portal', package: 'crm-portal', version: '6.0.4', port: 8080, replacedBy: '/crm/portal' },");
  const r = infra(ws, ['render']);
  assert.is(r.status, 0, r.stderr);
  assert.equal(changed(ws, 'lenexa'), ['INVENTORY.md', 'inventory.json', 'marathon/crm/portal.json']);
  const portal = JSON.parse(fs.readFileSync(path.join(ws, 'rendered/lenexa/marathon/crm/portal.json'), 'utf8'));
  assert.equal(JSON.parse(portal.env.SIDECAR_DEPS), [
    { name: 'crm-batch', hosts: ['10.20.4.41:8081', '10.20.4.42:8081'], localPort: 9902 },
    { name: 'customers-api', app: '/customers/api', portName: 'http', localPort: 9903 },
  ]);
  const dr = JSON.parse(fs.readFileSync(path.join(ws, 'rendered/aws-dr/marathon/crm/portal.json'), 'utf8'));
  assert.equal(JSON.parse(dr.env.SIDECAR_DEPS)[0], { name: 'crm-batch', hosts: ['10.120.4.41:8081', '10.120.4.42:8081'], localPort: 9902 }, 'DR reaches DR\'s app servers');
});

test('removing an app from an app-server group changes its servers\' user-data, and the rollout goes one server at a time', () => {
  const ws = copyWorkspace();
  edit(path.join(ws, LENEXA), "        { name: 'crm-portal', package: 'crm-portal', version: '6.0.4', port: 8080 },\n", '');
  const r = infra(ws, ['render', 'lenexa']);
  assert.is(r.status, 0, r.stderr);
  const files = changed(ws, 'lenexa');
  assert.ok(files.includes('cloud-init/crm-app.yaml') && files.includes('terraform/vm-crm-app.tf.json'), files.join(', '));
  assert.not.ok(files.some((f) => /billing-app|mesos|db-/.test(f)), 'no other group is touched');
  const rollout = JSON.parse(fs.readFileSync(path.join(ws, 'rendered/lenexa/rollout/crm-app.json'), 'utf8'));
  assert.equal(rollout.batches.map((b: { hosts: unknown[] }) => b.hosts.length), [1, 1]);
  assert.equal(rollout.health, { kind: 'http', port: 8080, path: '/health' });
});

test.run();
