import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'node:fs';
import type { Environment, MarathonApp } from '@infra/model';
import lenexa from '@infra/env-lenexa';
import awsDr from '@infra/env-aws-dr';
import { validateEnvironment } from './index';
import { generateSchemaText, generateValidatorText, SCHEMA_FILE, VALIDATOR_FILE } from './schema-source';

const fresh = (): Environment => structuredClone(lenexa);
// Test mutations reach into any group's fields; the cast keeps each case a one-liner.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const group = (env: Environment, name: string) => env.hostGroups.find((g) => g.name === name)! as any;
const app = (env: Environment, id: string) => env.apps.find((a) => a.id === id)! as MarathonApp & Record<string, unknown>;
const messages = (env: Environment) => validateEnvironment(env).map((p) => `[environments/${p.env}] ${p.path}: ${p.message}`);

test('the committed JSON Schema is the one the model types generate (run `npm run schema` if not)', () => {
  assert.is(fs.readFileSync(SCHEMA_FILE, 'utf8'), generateSchemaText());
});

test('the committed validator is the one ajv compiles from the committed schema', () => {
  assert.is(fs.readFileSync(VALIDATOR_FILE, 'utf8'), generateValidatorText(fs.readFileSync(SCHEMA_FILE, 'utf8')));
});

test('both real environments are valid', () => {
  assert.equal(validateEnvironment(lenexa), []);
  assert.equal(validateEnvironment(awsDr), []);
});

/** Each case breaks one thing in a copy of lenexa and names the exact message it must produce. */
const CASES: [string, (env: Environment) => void, string[]][] = [
  ['duplicated IP', (e) => { (group(e, 'db-customer').hosts[0]).ip = '10.20.5.10'; },
    ['[environments/lenexa] hosts/db-customer-01/ip: 10.20.5.10 is also used by hosts/db-ledger-01']],
  ['IP outside its subnet', (e) => { group(e, 'db-catalog').hosts[0].ip = '10.20.9.30'; },
    ['[environments/lenexa] hosts/db-catalog-01/ip: 10.20.9.30 is outside its subnet data (10.20.5.0/24)']],
  ['IP is the gateway', (e) => { group(e, 'db-catalog').hosts[0].ip = '10.20.5.1'; },
    ['[environments/lenexa] hosts/db-catalog-01/ip: 10.20.5.1 is the gateway of subnet data']],
  ['IP is the broadcast address', (e) => { group(e, 'db-catalog').hosts[0].ip = '10.20.5.255'; },
    ['[environments/lenexa] hosts/db-catalog-01/ip: 10.20.5.255 is the network or broadcast address of 10.20.5.0/24']],
  ['malformed IP', (e) => { group(e, 'db-catalog').hosts[0].ip = '10.20.5.300'; },
    ['[environments/lenexa] hosts/db-catalog-01/ip: "10.20.5.300" is not an IPv4 address']],
  // Dependency cases: dependency-rules.test.ts.
  ['even number of Mesos masters', (e) => { group(e, 'mesos-master').hosts = 4; },
    ['[environments/lenexa] hostGroups/mesos-master/hosts: 4 Mesos masters: the ZooKeeper ensemble and Mesos quorum need an odd number (3 or 5)']],
  ['uppercase app id', (e) => { app(e, '/notifications/mailer').id = '/notifications/Mailer'; },
    ['[environments/lenexa] apps/notifications/Mailer/id: must match ^(/[a-z0-9]([a-z0-9.-]*[a-z0-9])?)+$']],
  ['app id without leading slash', (e) => { app(e, '/notifications/mailer').id = 'mailer'; },
    ['[environments/lenexa] apps/mailer/id: must match ^(/[a-z0-9]([a-z0-9.-]*[a-z0-9])?)+$']],
  ['duplicated app id', (e) => { e.apps.push({ ...app(e, '/sessions/store') }); },
    ['[environments/lenexa] apps/sessions/store: app id /sessions/store is used twice']],
  ['duplicated hostname across groups', (e) => { group(e, 'billing-app').hosts = ['billing-app-01', 'crm-app-02']; },
    ['[environments/lenexa] hosts/crm-app-02: hostname crm-app-02 is defined twice: in hostGroups/billing-app and in hostGroups/crm-app']],
  ['unknown size', (e) => { group(e, 'crm-app').size = 'huge'; },
    ['[environments/lenexa] hostGroups/crm-app/size: unknown size "huge"; sizes are: hadoop, large, medium, small, xlarge']],
  ['unknown subnet', (e) => { group(e, 'crm-app').subnet = 'dmz'; },
    ['[environments/lenexa] hosts/crm-app-01: unknown subnet "dmz"; subnets are: apps, compute, control, data, hadoop',
     '[environments/lenexa] hosts/crm-app-02: unknown subnet "dmz"; subnets are: apps, compute, control, data, hadoop']],
  ['host with no way to get an address', (e) => { delete group(e, 'crm-app').firstIp; },
    ['[environments/lenexa] hosts/crm-app-01/ip: no address: give it an "ip", or give group crm-app a "firstIp"',
     '[environments/lenexa] hosts/crm-app-02/ip: no address: give it an "ip", or give group crm-app a "firstIp"']],
  ['overlapping subnets', (e) => { e.network.subnets.find((s) => s.name === 'apps')!.cidr = '10.20.4.0/23'; },
    ['[environments/lenexa] network/subnets/data/cidr: 10.20.5.0/24 overlaps subnet apps (10.20.4.0/23)']],
  ['CIDR with host bits set', (e) => { e.network.subnets.find((s) => s.name === 'apps')!.cidr = '10.20.4.7/24'; },
    ['[environments/lenexa] network/subnets/apps/cidr: "10.20.4.7/24" is not an IPv4 network in CIDR form (e.g. 10.20.1.0/24)']],
  ['vSphere subnet without port group', (e) => { delete e.network.subnets.find((s) => s.name === 'apps')!.portGroup; },
    ['[environments/lenexa] network/subnets/apps/portGroup: a vSphere subnet needs the port group its VMs attach to']],
  ['secret-looking plain env value', (e) => { app(e, '/web/storefront').env = { NODE_ENV: 'production', SESSION_SECRET: 'hunter2' }; },
    ['[environments/lenexa] apps/web/storefront/env/SESSION_SECRET: looks like a secret: move it to "secrets" as secret("kv/<path>#<key>") so no value reaches rendered/']],
  ['plain string where a secret goes', (e) => { (app(e, '/ledger/api').secrets as Record<string, unknown>).LEDGER_DB_PASSWORD = 'hunter2'; },
    ['[environments/lenexa] apps/ledger/api/secrets/LEDGER_DB_PASSWORD: must be object']],
  ['unknown field (typo)', (e) => { (group(e, 'mesos-agent-a') as Record<string, unknown>).dockerVerison = '18.06'; },
    ['[environments/lenexa] hostGroups/mesos-agent-a/dockerVerison: unknown field "dockerVerison" (check its spelling against libs/model)']],
  ['missing required field', (e) => { delete (group(e, 'db-ledger') as Record<string, unknown>).engine; },
    ['[environments/lenexa] hostGroups/db-ledger/engine: missing required field "engine"']],
  ['unknown role', (e) => { (group(e, 'crm-app') as Record<string, unknown>).role = 'web-server'; },
    ['[environments/lenexa] hostGroups/crm-app/role: must be one of "mesos-master", "mesos-agent", "app-server", "database"']],
  ['database engine not supported', (e) => { (group(e, 'db-catalog') as Record<string, unknown>).engine = 'oracle'; },
    ['[environments/lenexa] hostGroups/db-catalog/engine: must be one of "postgresql", "mysql"']],
  ['database without fixed IP', (e) => { delete (group(e, 'db-reporting').hosts[0] as Record<string, unknown>).ip; },
    ['[environments/lenexa] hostGroups/db-reporting/hosts/db-reporting-01/ip: missing required field "ip"']],
  ['negative instance count', (e) => { app(e, '/reports/builder').instances = -1; },
    ['[environments/lenexa] apps/reports/builder/instances: must be >= 0']],
  ['port out of range', (e) => { app(e, '/sessions/store').ports[0].containerPort = 70000; },
    ['[environments/lenexa] apps/sessions/store/ports/redis/containerPort: must be <= 65535']],
  ['rack for a host that is not in the group', (e) => { group(e, 'mesos-agent-c').racks = { 'mesos-agent-13': 'rack-c' }; },
    ['[environments/lenexa] hostGroups/mesos-agent-c/racks/mesos-agent-13: mesos-agent-13 is not a host of group mesos-agent-c']],
  ['no vSphere template for a vSphere site', (e) => { delete e.stemcell.images['3468.21'].vsphere; },
    ["[environments/lenexa] stemcell/images/3468.21/vsphere: stemcell ubuntu-trusty-hardened 3468.21 has no vSphere template for this vSphere site; add images['3468.21'].vsphere"]],
  ['duplicated Hadoop IP', (e) => { e.hadoop[0].hosts[1].ip = e.hadoop[0].hosts[0].ip; },
    ['[environments/lenexa] hadoop/hbase-lenexa/hosts/hdp-nn-02/ip: 10.20.8.11 is also used by hadoop/hbase-lenexa/hosts/hdp-nn-01']],
  ['environment name with uppercase', (e) => { e.name = 'Lenexa'; },
    ['[environments/Lenexa] name: must match ^[a-z0-9][a-z0-9-]*$']],
];

for (const [name, breakIt, expected] of CASES) {
  test(`rejects: ${name}`, () => {
    const env = fresh();
    breakIt(env);
    assert.equal(messages(env), expected);
  });
}

test('reports every problem at once, from schema and semantic rules together', () => {
  const env = fresh();
  group(env, 'db-customer').hosts[0].ip = '10.20.5.10';
  group(env, 'mesos-master').hosts = 2;
  app(env, '/notifications/mailer').id = '/Mailer';
  const all = messages(env);
  assert.is(all.length, 3, all.join('\n'));
  assert.ok(all.some((m) => m.includes('hosts/db-customer-01/ip')));
  assert.ok(all.some((m) => m.includes('2 Mesos masters')));
  assert.ok(all.some((m) => m.includes('apps/Mailer/id')));
});

test('at least 25 bad-input cases', () => {
  assert.ok(CASES.length >= 25, `${CASES.length}`);
});

test.run();
