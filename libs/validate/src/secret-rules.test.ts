import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'node:fs';
import { SECRET_PATH, type Environment, type MarathonApp } from '@infra/model';
import lenexa from '@infra/env-lenexa';
import { credentialIn, validateEnvironment } from './index';
import { SCHEMA_FILE } from './schema-source';

const fresh = (): Environment => structuredClone(lenexa);
const app = (env: Environment, id: string) => env.apps.find((a) => a.id === id)! as MarathonApp;
const messages = (env: Environment) => validateEnvironment(env).map((p) => `[environments/${p.env}] ${p.path}: ${p.message}`);

test('the schema pattern of SecretRef.vault is the one the rules use', () => {
  const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'));
  assert.is(schema.definitions.SecretRef.properties.vault.pattern, SECRET_PATH.source);
});

const CASES: [string, (env: Environment) => void, string[]][] = [
  ['a plain-text secret cast into a SecretRef', (e) => { app(e, '/ledger/api').secrets!.LEDGER_DB_PASSWORD = { vault: 'hunter2' }; },
    ['[environments/lenexa] apps/ledger/api/secrets/LEDGER_DB_PASSWORD/vault: "hunter2" is not a Vault reference: a secret is written as secret("<vault path>#<key>"), e.g. secret("kv/ledger/db#password"), and its value is kept in Vault, never in a definition']],
  ['a reference without a key', (e) => { app(e, '/catalog/search').secrets!.CATALOG_DB_PASSWORD = { vault: 'kv/catalog/db' }; },
    ['[environments/lenexa] apps/catalog/search/secrets/CATALOG_DB_PASSWORD/vault: "kv/catalog/db" is not a Vault reference: a secret is written as secret("<vault path>#<key>"), e.g. secret("kv/ledger/db#password"), and its value is kept in Vault, never in a definition']],
  ['a URL with a password in an env value', (e) => { app(e, '/ledger/api').env!.LEDGER_DB_URL = 'postgres://ledger:hunter2@db-ledger-01:5432/ledger'; },
    ['[environments/lenexa] apps/ledger/api/env/LEDGER_DB_URL: holds a URL with a password: a credential must not reach rendered/; put it in Vault and reference it from the app\'s "secrets" as secret("kv/<path>#<key>")']],
  ['an AWS access key id in an env value', (e) => { app(e, '/web/storefront').env!.ASSETS = 'AKIA2E0A8F3B244C9986'; },
    ['[environments/lenexa] apps/web/storefront/env/ASSETS: holds an AWS access key id: a credential must not reach rendered/; put it in Vault and reference it from the app\'s "secrets" as secret("kv/<path>#<key>")']],
  ['a GitHub token in the args', (e) => { app(e, '/reports/builder').args = ['--token', 'ghp_0123456789abcdefghijABCDEFGHIJ012345']; },
    ['[environments/lenexa] apps/reports/builder/args/[1]: holds a GitHub token: a credential must not reach rendered/; put it in Vault and reference it from the app\'s "secrets" as secret("kv/<path>#<key>")']],
  ['a credential anywhere else in the definition', (e) => { e.description = 'see https://admin:s3cret@wiki.example.net/dc'; },
    ['[environments/lenexa] description: holds a URL with a password: a credential must not reach rendered/; put it in Vault and reference it from the app\'s "secrets" as secret("kv/<path>#<key>")']],
];

for (const [what, breakIt, expected] of CASES) {
  test(`refused: ${what}`, () => {
    const env = fresh();
    breakIt(env);
    assert.equal(messages(env), expected);
  });
}

test('a URL without a password, and a well-formed reference, pass', () => {
  const env = fresh();
  app(env, '/ledger/api').env!.UPSTREAM = 'https://ledger.lenexa.example.net:8443/api?user=x';
  app(env, '/ledger/api').secrets!.OTHER = { vault: 'kv/ledger/other#token' };
  assert.equal(messages(env), []);
});

test('every finding at once, each at its own path (the walk\'s path is one stack: nothing of one branch leaks into the next)', () => {
  const env = fresh();
  app(env, '/reports/builder').args = ['--token', 'ghp_0123456789abcdefghijABCDEFGHIJ012345'];
  app(env, '/web/storefront').env!.ASSETS = 'AKIA2E0A8F3B244C9986';
  app(env, '/ledger/api').secrets!.LEDGER_DB_PASSWORD = { vault: 'hunter2' };
  env.description = 'see https://admin:s3cret@wiki.example.net/dc';
  const found = messages(env).map((m) => m.slice(0, m.indexOf(':', m.indexOf(']'))));
  assert.equal(found, [
    '[environments/lenexa] apps/ledger/api/secrets/LEDGER_DB_PASSWORD/vault',
    '[environments/lenexa] apps/web/storefront/env/ASSETS',
    '[environments/lenexa] apps/reports/builder/args/[1]',
    '[environments/lenexa] description',
  ]);
});

test('credentialIn names every shape, and only the exact shape: the union it tests first is case-insensitive, the answer is not', () => {
  const cases: [string, string | undefined][] = [
    ['postgres://ledger:hunter2@db-ledger-01:5432/ledger', 'a URL with a password'],
    ['-----BEGIN RSA PRIVATE KEY-----', 'a private key'],
    ['AKIA2E0A8F3B244C9986', 'an AWS access key id'],
    ['ghp_0123456789abcdefghijABCDEFGHIJ012345', 'a GitHub token'],
    ['github_pat_0123456789abcdefghijAB', 'a GitHub token'],
    ['xoxb-0123456789-abcdef', 'a Slack token'],
    ['sk_live_0123456789abcdef', 'a Stripe key'],
    ['AIza0123456789abcdefghijABCDEFGHIJ01234', 'a Google API key'],
    ['npm_0123456789abcdefghijABCDEFGHIJ012345', 'an npm token'],
    ['eyJhbGciOiJI.eyJzdWIiOiIx.SflKxwRJSMeK', 'a JSON Web Token'],
    // Matched by the case-insensitive union, refused by the case-sensitive shapes: no credential.
    ['akia2e0a8f3b244c9986', undefined],
    ['-----begin rsa private key-----', undefined],
    ['GHP_0123456789abcdefghijABCDEFGHIJ012345', undefined],
    ['EYJhbGciOiJI.EYJzdWIiOiIx.SflKxwRJSMeK', undefined],
    ['agent-1234', undefined],
    ['https://ledger.lenexa.example.net:8443/api?user=x', undefined],
  ];
  assert.equal(cases.map(([text]) => credentialIn(text)), cases.map(([, what]) => what));
});

test.run();
