import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { deriveDisasterRecovery, secret, type Environment, type MarathonApp } from '@infra/model';
import lenexa from '@infra/env-lenexa';
import awsDr from '@infra/env-aws-dr';
import { validateEnvironment } from './index';

const fresh = (): Environment => structuredClone(lenexa);
const app = (env: Environment, id: string) => env.apps.find((a) => a.id === id)! as MarathonApp;
const messages = (env: Environment) => validateEnvironment(env).map((p) => `[environments/${p.env}] ${p.path}: ${p.message}`);

test('a vhost outside the public domains is refused', () => {
  const env = fresh();
  app(env, '/web/storefront').expose!.vhost = 'www.staging.example.net';
  assert.equal(messages(env), ['[environments/lenexa] apps/web/storefront/expose/vhost: www.staging.example.net is outside the public domains of lenexa (lenexa.example.net): serve it under one of them, or add its domain to publicDomains if lenexa really serves it']);
});

test('a vhost that only ends with a public domain\'s text is outside it', () => {
  const env = fresh();
  app(env, '/web/storefront').expose!.vhost = 'evillenexa.example.net';
  assert.equal(messages(env).length, 1);
});

test('a secret outside the environment\'s Vault prefix is refused', () => {
  const env = fresh();
  env.secretPrefix = 'kv/lenexa';
  app(env, '/ledger/api').secrets = { LEDGER_DB_PASSWORD: secret('kv/lenexa/ledger/db#password') };
  const problems = messages(env);
  assert.ok(problems.length > 1, 'every other app still uses the old prefix');
  assert.not.ok(problems.some((p) => p.includes('apps/ledger/api/')));
  assert.ok(problems.includes('[environments/lenexa] apps/ledger/reconciler/secrets/LEDGER_DB_PASSWORD/vault: kv/ledger/db#password is outside lenexa\'s Vault prefix "kv/lenexa/": an environment reads only its own secrets; use secret("kv/lenexa/<path>#<key>")'));
});

test('aws-dr inherits production\'s public domains and Vault prefix', () => {
  assert.equal(awsDr.publicDomains, lenexa.publicDomains);
  assert.is(awsDr.secretPrefix, lenexa.secretPrefix);
  assert.equal(messages(awsDr), []);
});

test('a derived environment that overrides its public domains has production\'s vhosts refused', () => {
  const dr = deriveDisasterRecovery(lenexa, {
    name: 'dr2', description: 'd', site: awsDr.site as never, network: awsDr.network,
    subnets: { control: 'control', compute: 'compute', apps: 'apps', data: 'data', hadoop: 'hadoop' },
    publicDomains: ['dr.example.org'],
  });
  const problems = messages(dr).filter((m) => m.includes('expose/vhost'));
  assert.is(problems.length, lenexa.apps.filter((a) => a.expose).length);
  assert.match(problems[0], 'is outside the public domains of dr2 (dr.example.org)');
});

test('a public domain that is not a DNS domain is refused', () => {
  const env = fresh();
  env.publicDomains = ['lenexa.example.net', 'not a domain'];
  assert.equal(messages(env), ['[environments/lenexa] publicDomains: "not a domain" is not a DNS domain (e.g. shop.example.com)']);
});

test.run();
