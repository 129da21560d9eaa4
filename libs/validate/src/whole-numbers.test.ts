// Counts are whole numbers, and a broken field does not hide the problems the rules find.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Environment } from '@infra/model';
import lenexa from '@infra/env-lenexa';
import { validateEnvironment } from './index';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const fresh = (): any => structuredClone(lenexa);
const messages = (env: Environment) => validateEnvironment(env).map((p) => `[environments/${p.env}] ${p.path}: ${p.message}`);

test('non-integer counts are refused, each located, with the rules still run', () => {
  const env = fresh();
  env.hostGroups.find((g: { name: string }) => g.name === 'crm-app').hosts = 2.5;
  env.apps.find((a: { id: string }) => a.id === '/reports/builder').instances = 1.5;
  env.sizes.small.cpus = 2.5;
  env.hostGroups.find((g: { name: string }) => g.name === 'db-customer').hosts[0].ip = '10.20.5.10';
  assert.equal(messages(env), [
    '[environments/lenexa] sizes/small/cpus: 2.5 is not a whole number: a count is an integer',
    '[environments/lenexa] hostGroups/crm-app/hosts: 2.5 is not a whole number: a count is an integer',
    '[environments/lenexa] apps/reports/builder/instances: 1.5 is not a whole number: a count is an integer',
    '[environments/lenexa] hosts/db-customer-01/ip: 10.20.5.10 is also used by hosts/db-ledger-01',
  ]);
});

test('a broken shape in one place does not hide a rule\'s problem in another', () => {
  const env = fresh();
  env.hostGroups.find((g: { name: string }) => g.name === 'crm-app').hosts = 'two';
  env.hostGroups.find((g: { name: string }) => g.name === 'db-customer').hosts[0].ip = '10.20.5.10';
  const found = messages(env);
  assert.ok(found.includes('[environments/lenexa] hosts/db-customer-01/ip: 10.20.5.10 is also used by hosts/db-ledger-01'), found.join('\n'));
  assert.ok(found.some((m) => m.startsWith('[environments/lenexa] hostGroups/crm-app/hosts: ')), found.join('\n'));
});

test('ntpServers is no longer part of the model (it was rendered nowhere): refused as an unknown field', () => {
  const env = fresh();
  env.network.ntpServers = ['ntp1.lenexa.example.net'];
  assert.equal(messages(env), ['[environments/lenexa] network/ntpServers: unknown field "ntpServers" (check its spelling against libs/model)']);
});

test.run();
