// Environments are folders: a new one is a copied folder, type-checked by `infra validate` with
// located errors, and a folder that is not an environment is refused with the fix.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyWorkspace, edit, infra, treeHash } from './testing/workspace';

const FOOTER = '1 problem(s) found; nothing was written. Fix the definitions under environments/ and run the command again.\n';

test('a type error in a definition fails validate with its file, line and column; fixed, it passes', () => {
  const ws = copyWorkspace();
  edit(path.join(ws, 'environments/lenexa/index.ts'), "folder: 'infra/lenexa',", 'folder: 42,');
  const r = infra(ws, ['validate', 'lenexa']);
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, "[environments/lenexa] index.ts:14:5: type error TS2322: Type 'number' is not assignable to type 'string'.\n");
  edit(path.join(ws, 'environments/lenexa/index.ts'), 'folder: 42,', "folder: 'infra/lenexa',");
  const ok = infra(ws, ['validate', 'lenexa']);
  assert.is(ok.status, 0, ok.stderr);
  assert.is(ok.stdout, 'valid: lenexa (types checked)\n');
  assert.is(infra(ws, ['validate', 'lenexa']).stdout, 'valid: lenexa (types unchanged since the last clean check)\n');
});

test('a type error in environments/common is located there, once', () => {
  const ws = copyWorkspace();
  edit(path.join(ws, 'environments/common/apps.ts'), "id: '/ledger/api', image: `${REGISTRY}/ledger/api:4.12.0`, runtime: 'jvm',", "id: '/ledger/api', image: `${REGISTRY}/ledger/api:4.12.0`, runtime: 'jvm', replicas: 3,");
  const r = infra(ws, ['validate']);
  assert.is(r.status, 2, r.stderr);
  const lines = r.stderr.split('\n').filter((l) => l.includes('type error'));
  const line = fs.readFileSync(path.join(ws, 'environments/common/apps.ts'), 'utf8').split('\n').findIndex((l) => l.includes('replicas: 3')) + 1;
  assert.equal(lines, [`[environments/common] apps.ts:${line}:82: type error TS2353: Object literal may only specify known properties, and 'replicas' does not exist in type 'MarathonApp'.`]);
});

test('a new environment is a copied folder: validated, type-checked and rendered with no other file changed', () => {
  const ws = copyWorkspace();
  fs.mkdirSync(path.join(ws, 'environments/staging'));
  const text = fs.readFileSync(path.join(ws, 'environments/lenexa/index.ts'), 'utf8')
    .replace("name: 'lenexa'", "name: 'staging'")
    .replace("folder: 'infra/lenexa'", "folder: 'infra/staging'");
  fs.writeFileSync(path.join(ws, 'environments/staging/index.ts'), text);
  const v = infra(ws, ['validate', 'staging']);
  assert.is(v.status, 0, v.stderr);
  assert.is(v.stdout, 'valid: staging (types checked)\n');
  const r = infra(ws, ['render', 'staging']);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^staging: \d+ written, 0 deleted, 0 unchanged/m);
  assert.ok(fs.existsSync(path.join(ws, 'rendered/staging/manifest.json')));
  assert.is(infra(ws, ['check']).status, 0);
  // And a type error in it is found like any other.
  fs.appendFileSync(path.join(ws, 'environments/staging/index.ts'), "export const broken: number = 'x';\n");
  const bad = infra(ws, ['validate', 'staging']);
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /\[environments\/staging\] index\.ts:\d+:14: type error TS2322: Type 'string' is not assignable to type 'number'\./);
});

test('a staging environment takes the catalogue with its own public domain, Vault prefix and scale', () => {
  const ws = copyWorkspace();
  fs.mkdirSync(path.join(ws, 'environments/staging'));
  const text = fs.readFileSync(path.join(ws, 'environments/lenexa/index.ts'), 'utf8')
    .replace("name: 'lenexa'", "name: 'staging'")
    .replace('...appCatalogue(PRODUCTION),', "...appCatalogue({ publicDomains: ['staging.example.net'], secretPrefix: 'kv/staging', scale: 0.5 }),");
  fs.writeFileSync(path.join(ws, 'environments/staging/index.ts'), text);
  const r = infra(ws, ['render', 'staging']);
  assert.is(r.status, 0, r.stderr);
  const storefront = JSON.parse(fs.readFileSync(path.join(ws, 'rendered/staging/marathon/web/storefront.json'), 'utf8'));
  const prod = JSON.parse(fs.readFileSync(path.join(ws, 'rendered/lenexa/marathon/web/storefront.json'), 'utf8'));
  assert.is(storefront.instances, prod.instances / 2);
  assert.match(JSON.stringify(storefront.labels), 'www.staging.example.net');
  assert.match(fs.readFileSync(path.join(ws, 'rendered/staging/marathon/ledger/api.json'), 'utf8'), '"HAPROXY_0_VHOST": "ledger.staging.example.net"');
  assert.match(fs.readFileSync(path.join(ws, 'rendered/staging/marathon/ledger/api.json'), 'utf8'), '"source": "kv/staging/ledger/db#password"');
});

test('a production vhost written into another environment is refused, and nothing is written', () => {
  const ws = copyWorkspace();
  edit(path.join(ws, 'environments/lenexa/index.ts'), '...appCatalogue(PRODUCTION),', "...appCatalogue(PRODUCTION), publicDomains: ['shop.example.com'],");
  const before = treeHash(path.join(ws, 'rendered'));
  const r = infra(ws, ['render']);
  assert.is(r.status, 2);
  assert.match(r.stderr, '[environments/lenexa] apps/web/storefront/expose/vhost: www.lenexa.example.net is outside the public domains of lenexa (shop.example.com): serve it under one of them, or add its domain to publicDomains if lenexa really serves it');
  assert.match(r.stderr, '[environments/aws-dr] apps/web/storefront/expose/vhost: www.lenexa.example.net is outside the public domains of aws-dr (shop.example.com)');
  assert.is(treeHash(path.join(ws, 'rendered')), before);
});

test('an environment importing another through the tool\'s path alias is refused, located, with the relative import to use', () => {
  const ws = copyWorkspace();
  edit(path.join(ws, 'environments/aws-dr/index.ts'), "import lenexa from '../lenexa';", "import lenexa from '@infra/env-lenexa';");
  const before = treeHash(path.join(ws, 'rendered'));
  const r = infra(ws, ['render']);
  assert.is(r.status, 2);
  assert.is(r.stderr, "[environments/aws-dr] index.ts:2:20: imports @infra/env-lenexa, which resolves to the tool checkout's copy, not this workspace's: import it relatively, from '../lenexa'\n" + FOOTER);
  assert.is(treeHash(path.join(ws, 'rendered')), before);
});

test('a folder under environments/ without index.ts is an error with the fix, for every command', () => {
  const ws = copyWorkspace();
  fs.mkdirSync(path.join(ws, 'environments/staging'));
  fs.writeFileSync(path.join(ws, 'environments/staging/main.ts'), 'export {};\n');
  const before = treeHash(path.join(ws, 'rendered'));
  for (const command of ['render', 'check', 'validate', 'inventory']) {
    const r = infra(ws, [command]);
    assert.is(r.status, 2, `${command}: ${r.stderr}`);
    assert.is(r.stderr, "[environments/staging] index.ts: missing: every folder under environments/ is an environment, defined by its index.ts. Create environments/staging/index.ts with `export default defineEnvironment({ name: 'staging', ... })` (copy environments/lenexa/index.ts to start), or move the folder out of environments/ (shared parts belong in environments/common/)\n" + FOOTER);
  }
  assert.is(treeHash(path.join(ws, 'rendered')), before);
});

test.run();
