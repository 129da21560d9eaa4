// One test per semantic rule that no other test held (each found by removing the rule and
// running the suite): every one of these fails when its rule is removed. Each breaks one thing
// in a copy of a real environment and asserts the whole report, so a rule that fires too often
// fails as well.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Environment, MarathonApp } from '@infra/model';
import lenexa from '@infra/env-lenexa';
import awsDr from '@infra/env-aws-dr';
import { validateEnvironment } from './index';

const copy = (env: Environment): Environment => structuredClone(env);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const group = (env: Environment, name: string) => env.hostGroups.find((g) => g.name === name)! as any;
const app = (env: Environment, id: string) => env.apps.find((a) => a.id === id)! as MarathonApp & Record<string, unknown>;
const messages = (env: Environment) => validateEnvironment(env).map((p) => `[environments/${p.env}] ${p.path}: ${p.message}`);

test('host group name used twice: refused, since Terraform files and resources are keyed by group name', () => {
  // Without this rule the second group's file replaces the first's, and a database VM silently
  // disappears from Terraform: the plan would destroy it.
  const env = copy(lenexa);
  group(env, 'db-customer').name = 'db-ledger';
  assert.equal(messages(env), ['[environments/lenexa] hostGroups/db-ledger: host group name "db-ledger" is used twice']);
});

test('subnet name used twice', () => {
  const env = copy(lenexa);
  env.network.subnets.push({ ...env.network.subnets.find((s) => s.name === 'hadoop')!, cidr: '10.20.9.0/24', gateway: '10.20.9.1' });
  const out = messages(env);
  // (The hosts then fall outside the second "hadoop" too: the name no longer says which subnet.)
  assert.is(out[0], '[environments/lenexa] network/subnets/hadoop: subnet name "hadoop" is used twice; names must be unique');
  assert.is(out.filter((m) => m.includes('is used twice')).length, 1);
});

test('gateway that is not an address, and one outside its subnet', () => {
  const env = copy(lenexa);
  env.network.subnets.find((s) => s.name === 'apps')!.gateway = '10.20.4';
  env.network.subnets.find((s) => s.name === 'data')!.gateway = '10.20.6.1';
  assert.equal(messages(env), [
    '[environments/lenexa] network/subnets/apps/gateway: "10.20.4" is not an IPv4 address',
    '[environments/lenexa] network/subnets/data/gateway: 10.20.6.1 is outside 10.20.5.0/24',
  ]);
});

test('an AWS subnet without a zone of the site', () => {
  const env = copy(awsDr);
  env.network.subnets[0].zone = 'eu-west-1a';
  const at = `network/subnets/${env.network.subnets[0].name}/zone`;
  assert.equal(messages(env), [`[environments/aws-dr] ${at}: an AWS subnet needs a zone from site/zones (us-east-2a, us-east-2b, us-east-2c), got eu-west-1a`]);
});

test('a DNS server that is not an address', () => {
  const env = copy(lenexa);
  env.network.dnsServers = [...env.network.dnsServers, 'ns1.example.net'];
  assert.equal(messages(env), ['[environments/lenexa] network/dnsServers: "ns1.example.net" is not an IPv4 address']);
});

test('a negative host count', () => {
  const env = copy(lenexa);
  group(env, 'crm-app').hosts = -1;
  assert.equal(messages(env), ['[environments/lenexa] hostGroups/crm-app/hosts: host count cannot be negative']);
});

test('a firstIp that is not an address', () => {
  const env = copy(lenexa);
  group(env, 'crm-app').firstIp = '10.20.4.410';
  assert.ok(messages(env).includes('[environments/lenexa] hostGroups/crm-app/firstIp: "10.20.4.410" is not an IPv4 address'), messages(env).join('\n'));
});

test('a host without an ip whose name ends in no number cannot be allocated from firstIp', () => {
  const env = copy(lenexa);
  group(env, 'billing-app').hosts = ['billing-app-01', 'billing-app-new'];
  assert.equal(messages(env), ['[environments/lenexa] hosts/billing-app-new/ip: no address: give it an "ip", or end its name with a number so it is allocated from the group\'s firstIp']);
});

test('a Hadoop cluster of unknown size', () => {
  const env = copy(lenexa);
  env.hadoop[0].size = 'huge';
  assert.equal(messages(env), [`[environments/lenexa] hadoop/${env.hadoop[0].name}/size: unknown size "huge"; sizes are: hadoop, large, medium, small, xlarge`]);
});

test('two mesos-master groups', () => {
  const env = copy(lenexa);
  env.hostGroups.push({ ...group(env, 'mesos-master'), name: 'mesos-master-b', hosts: 3, firstIp: '10.20.1.31' });
  assert.equal(messages(env), ['[environments/lenexa] hostGroups: 2 mesos-master groups (mesos-master, mesos-master-b); one ZooKeeper ensemble needs exactly one']);
});

test('Mesos agents or Marathon apps with no mesos-master group (the one place this rule lives)', () => {
  const env = copy(lenexa);
  env.hostGroups = env.hostGroups.filter((g) => g.role !== 'mesos-master');
  assert.equal(messages(env), ['[environments/lenexa] hostGroups: Mesos agents or Marathon apps need a mesos-master group']);
});

test('a variable set both in env and in secrets', () => {
  const env = copy(lenexa);
  const ledger = app(env, '/ledger/api');
  ledger.env = { ...ledger.env, LEDGER_DB_PASSWORD_FILE: '/run/x' };
  ledger.secrets = { ...ledger.secrets, LEDGER_DB_PASSWORD_FILE: ledger.secrets!.LEDGER_DB_PASSWORD };
  const out = messages(env);
  assert.ok(out.includes('[environments/lenexa] apps/ledger/api/env/LEDGER_DB_PASSWORD_FILE: LEDGER_DB_PASSWORD_FILE is set both in env and in secrets'), out.join('\n'));
});


test.run();
