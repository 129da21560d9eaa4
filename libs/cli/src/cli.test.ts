import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { copyWorkspace, edit, infra, REPO, treeHash } from './testing/workspace';

test('check exits 0 on the committed tree', () => {
  const r = infra(REPO, ['check']);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, 'up to date: aws-dr, lenexa');
});

test('check exits 1 naming each edited, added and deleted file, and writes nothing', () => {
  const ws = copyWorkspace();
  fs.appendFileSync(path.join(ws, 'rendered/lenexa/INVENTORY.md'), 'hand edit\n');
  fs.writeFileSync(path.join(ws, 'rendered/aws-dr/notes.txt'), 'stray\n');
  fs.rmSync(path.join(ws, 'rendered/aws-dr/inventory.json'));
  const before = treeHash(path.join(ws, 'rendered'));
  const r = infra(ws, ['check']);
  assert.is(r.status, 1);
  assert.match(r.stderr, 'rendered/lenexa/INVENTORY.md: stale');
  assert.match(r.stderr, 'rendered/aws-dr/notes.txt: extra');
  assert.match(r.stderr, 'rendered/aws-dr/inventory.json: missing');
  assert.match(r.stderr, '3 file(s) out of date. Run `npx infra render`');
  assert.is(treeHash(path.join(ws, 'rendered')), before);
});

test('render repairs drift and a second render writes nothing', () => {
  const ws = copyWorkspace();
  fs.appendFileSync(path.join(ws, 'rendered/lenexa/INVENTORY.md'), 'hand edit\n');
  fs.writeFileSync(path.join(ws, 'rendered/lenexa/stray.txt'), 'x\n');
  const r = infra(ws, ['render']);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, 'lenexa: 1 written, 1 deleted');
  assert.is(treeHash(path.join(ws, 'rendered')), treeHash(path.join(REPO, 'rendered')));
  assert.match(infra(ws, ['render']).stdout, 'lenexa: 0 written, 0 deleted');
});

test('the bundle\'s V8 code cache is written beside it after a command; a corrupt one is refused, the command still works and the cache is written again', () => {
  const dir = path.join(REPO, 'node_modules/.cache/infra');
  assert.is(infra(REPO, ['--version']).status, 0);
  const caches = () => fs.readdirSync(dir).filter((f) => /^cli-.*\.v8cache$/.test(f));
  assert.ok(caches().length > 0, 'no code cache was written');
  const [cache] = caches();
  const garbage = Buffer.alloc(fs.statSync(path.join(dir, cache)).size, 0x5a);
  fs.writeFileSync(path.join(dir, cache), garbage);
  const r = infra(REPO, ['check']);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, 'up to date: aws-dr, lenexa');
  assert.is(r.stderr, '');
  assert.not.ok(fs.readFileSync(path.join(dir, cache)).equals(garbage), 'the refused cache was not written again');
});

const INVALID: [string, string | RegExp, string, string][] = [
  ['a duplicated IP', "ip: '10.20.5.20'", "ip: '10.20.5.10'", '[environments/lenexa] hosts/db-customer-01/ip: 10.20.5.10 is also used by hosts/db-ledger-01'],
  ['an even Mesos master count', "subnet: 'control', hosts: 3", "subnet: 'control', hosts: 4", '[environments/lenexa] hostGroups/mesos-master/hosts: 4 Mesos masters'],
  ['a syntax error', 'export default defineEnvironment({', 'export default defineEnvironment({ oops', '[environments/lenexa] index.ts:6:3: syntax error: Expected "}" but found "name" (so aws-dr cannot load either)\n'],
];

for (const [what, from, to, message] of INVALID) {
  for (const command of ['render', 'check', 'validate']) {
    test(`${command} exits 2 on ${what}, names it, and leaves rendered/ byte-identical`, () => {
      const ws = copyWorkspace();
      edit(path.join(ws, 'environments/lenexa/index.ts'), from, to);
      const before = treeHash(path.join(ws, 'rendered'));
      const r = infra(ws, [command]);
      assert.is(r.status, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.match(r.stderr, 'nothing was written. Fix the definitions under environments/');
      assert.not.match(r.stderr, '    at ', 'no stack trace for a user mistake');
      assert.is(treeHash(path.join(ws, 'rendered')), before);
    });
  }
}

for (const command of ['render', 'check', 'validate', 'inventory']) {
  test(`${command}: an unknown environment name exits 2 with its own advice, not "fix the definitions"`, () => {
    const ws = copyWorkspace();
    const before = treeHash(path.join(ws, 'rendered'));
    const r = infra(ws, [command, 'lenexa', 'nowhere']);
    assert.is(r.status, 2);
    assert.is(r.stderr, `infra ${command}: no environment "nowhere" (known: aws-dr, lenexa). Check the spelling, or define it in environments/nowhere/index.ts.\nRun \`infra ${command} --help\` for usage.\n`);
    assert.is(treeHash(path.join(ws, 'rendered')), before);
  });

  test(`${command} --help and infra help ${command} print the command's usage and exit 0`, () => {
    for (const args of [[command, '--help'], [command, '-h'], ['help', command], [command, 'lenexa', '--help']]) {
      const r = infra(REPO, args);
      assert.is(r.status, 0, args.join(' '));
      assert.ok(r.stdout.startsWith(`usage: infra ${command} `), r.stdout);
      assert.match(r.stdout, 'Exit codes: 0');
      assert.is(r.stderr, '');
    }
  });

  test(`${command}: an unknown option exits 2 naming it, with the command's help as advice`, () => {
    const r = infra(REPO, [command, '--frobnicate']);
    assert.is(r.status, 2);
    assert.is(r.stderr, `infra ${command}: unknown option "--frobnicate"\nRun \`infra ${command} --help\` for usage.\n`);
  });
}

test('an unknown command exits 2 and names the commands', () => {
  const r = infra(REPO, ['deploy']);
  assert.is(r.status, 2);
  assert.is(r.stderr, 'infra: unknown command "deploy"; commands: render, check, validate, inventory, diff, comment, apply, drift\nRun `infra --help` for usage.\n');
});

test('infra --help lists every command; infra alone prints it as an error', () => {
  const help = infra(REPO, ['--help']);
  assert.is(help.status, 0);
  for (const c of ['render', 'check', 'validate', 'inventory']) assert.match(help.stdout, `\n  ${c} `);
  const bare = infra(REPO, []);
  assert.is(bare.status, 2);
  assert.is(bare.stderr, help.stdout);
});

test('infra help of an unknown command exits 2 and names the commands', () => {
  const r = infra(REPO, ['help', 'deploy']);
  assert.is(r.status, 2);
  assert.is(r.stderr, 'infra help: no command "deploy"; commands: render, check, validate, inventory, diff, comment, apply, drift\nRun `infra --help` for usage.\n');
});

test('infra --version prints the version of the cli package', () => {
  const r = infra(REPO, ['--version']);
  assert.is(r.status, 0);
  assert.is(r.stdout, `infra ${JSON.parse(fs.readFileSync(path.join(REPO, 'libs/cli/package.json'), 'utf8')).version}\n`);
});

test('render lenexa also renders aws-dr, derived from it, and says so', () => {
  const ws = copyWorkspace();
  // A change to production that DR inherits: both trees go stale.
  edit(path.join(ws, 'environments/lenexa/index.ts'), "hosts: [{ name: 'db-ledger-01', ip: '10.20.5.10' }]", "hosts: [{ name: 'db-ledger-01', ip: '10.20.5.11' }]");
  const r = infra(ws, ['render', 'lenexa']);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^aws-dr: \d+ written/m);
  assert.match(r.stdout, /^lenexa: \d+ written/m);
  assert.match(r.stdout, 'note: aws-dr is derived from lenexa, so it was rendered too');
  assert.is(infra(ws, ['check']).status, 0, 'nothing is left stale');
  // --only leaves the derived environment, and says so.
  edit(path.join(ws, 'environments/lenexa/index.ts'), "ip: '10.20.5.11' }]", "ip: '10.20.5.12' }]");
  const only = infra(ws, ['render', '--only', 'lenexa']);
  assert.is(only.status, 0, only.stderr);
  assert.not.match(only.stdout, /^aws-dr:/m);
  assert.match(only.stdout, 'note: aws-dr is derived from lenexa and was not rendered (--only): it may now be stale; run `infra render aws-dr`');
  assert.is(infra(ws, ['check', 'aws-dr']).status, 1);
  assert.is(infra(ws, ['render', 'aws-dr']).status, 0);
  // Rendering aws-dr alone renders aws-dr alone (lenexa does not derive from it).
  const dr = infra(ws, ['render', 'aws-dr']);
  assert.not.match(dr.stdout, 'lenexa');
  assert.not.match(dr.stdout, 'note:');
});

test('an error thrown in environments/common is reported once, at its file, line and column', () => {
  const ws = copyWorkspace();
  edit(path.join(ws, 'environments/common/apps.ts'), "const REGISTRY = 'registry.lenexa.example.net';", "const REGISTRY = 'registry.lenexa.example.net';\nif (REGISTRY) throw new Error('registry moved');");
  const before = treeHash(path.join(ws, 'rendered'));
  const r = infra(ws, ['render']);
  assert.is(r.status, 2);
  assert.is(r.stderr, '[environments/common] apps.ts:4:21: does not load: registry moved (so aws-dr, lenexa cannot load either)\n' +
    '1 problem(s) found; nothing was written. Fix the definitions under environments/ and run the command again.\n');
  assert.is(treeHash(path.join(ws, 'rendered')), before);
});

test('a bad secret("...") is located at the line that calls it, in the file that holds it', () => {
  const ws = copyWorkspace();
  edit(path.join(ws, 'environments/common/apps.ts'), "secret('catalog/db#password')", "vaultSecret('hunter2')");
  const r = infra(ws, ['validate']);
  assert.is(r.status, 2);
  assert.match(r.stderr, /^\[environments\/common\] apps\.ts:\d+:\d+: does not load: TypeError: secret\("hunter2"\): expected "<vault path>#<key>"/);
  assert.is(r.stderr.split('\n').filter((l) => l.startsWith('[')).length, 1, 'once, not once per environment');
});

test('a copied workspace derives aws-dr from its own lenexa, not the tool checkout\'s', () => {
  const ws = copyWorkspace();
  edit(path.join(ws, 'environments/lenexa/index.ts'), "hosts: [{ name: 'db-ledger-01', ip: '10.20.5.10' }]", "hosts: [{ name: 'db-ledger-01', ip: '10.20.5.11' }]");
  const r = infra(ws, ['check', 'aws-dr']);
  assert.is(r.status, 1, r.stderr);
  assert.match(r.stderr, 'rendered/aws-dr/terraform/vm-db-ledger.tf.json: stale');
});

test('a plain-text secret cast into a SecretRef is refused, located, and nothing is written', () => {
  const ws = copyWorkspace();
  edit(path.join(ws, 'environments/common/apps.ts'), "secret('catalog/db#password')", "{ vault: 'hunter2' }");
  const before = treeHash(path.join(ws, 'rendered'));
  for (const command of ['render', 'check']) {
    const r = infra(ws, [command]);
    assert.is(r.status, 2, r.stderr);
    for (const env of ['aws-dr', 'lenexa']) {
      assert.match(r.stderr, `[environments/${env}] apps/catalog/search/secrets/CATALOG_DB_PASSWORD/vault: "hunter2" is not a Vault reference: a secret is written as secret("<vault path>#<key>")`);
    }
    assert.not.match(r.stderr, 'must match');
    assert.is(treeHash(path.join(ws, 'rendered')), before);
  }
});

test('check scans rendered files for secrets: exit 2 naming file and line; only changed files are read again', () => {
  const ws = copyWorkspace();
  const first = infra(ws, ['check']);
  assert.is(first.status, 0, first.stderr);
  assert.match(first.stdout, /secret scan: (\d+) changed file\(s\) read, 0 unchanged/);
  const second = infra(ws, ['check']);
  assert.match(second.stdout, /secret scan: 0 changed file\(s\) read, \d+ unchanged/);
  // A hand edit that puts a credential into rendered/ (or a generator that leaks one).
  edit(path.join(ws, 'rendered/lenexa/marathon/web/storefront.json'), /^\{\n/, '{\n  "x": "postgres://shop:hunter2@db-customer-01:5432/shop",\n');
  const before = treeHash(path.join(ws, 'rendered'));
  const r = infra(ws, ['check']);
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, 'rendered/lenexa/marathon/web/storefront.json:2:9: found PostgreSQL connection string: postgres://shop:hunter2@db-customer-01:5432/shop');
  assert.match(r.stderr, '(@secretlint/secretlint-rule-database-connection-string)');
  assert.match(r.stderr, '1 secret(s) found in rendered/. A secret\'s value must never be rendered: keep it in Vault');
  assert.match(r.stderr, 'rendered/lenexa/marathon/web/storefront.json: stale');
  assert.is(treeHash(path.join(ws, 'rendered')), before);
  // The file with the finding is not remembered as clean: found again next time.
  assert.is(infra(ws, ['check', 'lenexa']).status, 2);
});

test('every problem of every phase at once: schema, rules and generator checks, with nothing written', () => {
  const ws = copyWorkspace();
  edit(path.join(ws, 'environments/lenexa/index.ts'), "subnet: 'apps', hosts: 2, firstIp: '10.20.4.41',", "subnet: 'apps', hosts: 2.5, firstIp: '10.20.4.41',");
  edit(path.join(ws, 'environments/lenexa/index.ts'), "ip: '10.20.5.20'", "ip: '10.20.5.10'");
  edit(path.join(ws, 'environments/common/apps.ts'), '`${REGISTRY}/sessions/store:1.4.0`', '`${REGISTRY}/sessions/store:latest`');
  const before = treeHash(path.join(ws, 'rendered'));
  const r = infra(ws, ['render', 'lenexa']);
  assert.is(r.status, 2);
  assert.is(r.stderr, [
    // aws-dr is derived from lenexa, so it is validated with it and inherits two of the mistakes.
    '[environments/aws-dr] hosts/db-customer-01/ip: 10.120.5.10 is also used by hosts/db-ledger-01',
    '[environments/aws-dr] apps/sessions/store/image: "registry.lenexa.example.net/sessions/store:latest" uses the tag "latest", which moves: pin a version tag or a digest',
    '[environments/lenexa] hostGroups/crm-app/hosts: 2.5 is not a whole number: a count is an integer',
    '[environments/lenexa] hosts/db-customer-01/ip: 10.20.5.10 is also used by hosts/db-ledger-01',
    '[environments/lenexa] apps/sessions/store/image: "registry.lenexa.example.net/sessions/store:latest" uses the tag "latest", which moves: pin a version tag or a digest',
    '5 problem(s) found; nothing was written. Fix the definitions under environments/ and run the command again.',
    '',
  ].join('\n'));
  assert.is(treeHash(path.join(ws, 'rendered')), before);
});

test('render is byte-identical under another time zone and locale', () => {
  const ws = copyWorkspace();
  fs.rmSync(path.join(ws, 'rendered'), { recursive: true });
  const r = infra(ws, ['render'], { TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' });
  assert.is(r.status, 0, r.stderr);
  assert.is(treeHash(path.join(ws, 'rendered')), treeHash(path.join(REPO, 'rendered')));
});

test('inventory prints every server of the environment, in aligned columns, without the generated-file comment', () => {
  const r = infra(REPO, ['inventory', 'lenexa']);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, '# Inventory: lenexa');
  assert.match(r.stdout, /^\| db-ledger-01 +\| database +\| db-ledger +\| 10\.20\.5\.10 \|/m);
  assert.not.match(r.stdout, '<!--');
  assert.not.match(r.stdout, '\n\n\n');
  const table = r.stdout.split('\n').filter((l) => l.startsWith('| mesos-agent-'));
  assert.ok(table.length >= 12);
  assert.is(new Set(table.map((l) => l.length)).size, 1, 'every row of the table has the same width');
});

test('inventory --behind REF lists the servers not at the current patch level; a ref that is no commit exits 2', () => {
  const ws = copyWorkspace();
  const git = (...args: string[]) => spawnSync('git', ['-c', 'user.email=t@example.net', '-c', 'user.name=t', ...args], { cwd: ws, encoding: 'utf8' });
  git('init', '-q');
  git('add', '-A');
  assert.is(git('commit', '-q', '-m', 'applied').status, 0);
  assert.match(infra(ws, ['inventory', '--behind', 'HEAD', 'lenexa']).stdout, 'lenexa: every server at HEAD is at the current level');
  edit(path.join(ws, 'environments/lenexa/index.ts'), '  stemcell,\n',
    "  stemcell: { ...stemcell, patches: [...stemcell.patches, { id: 'USN-4100-1', packages: [{ name: 'bash', version: '4.3-7ubuntu1.8' }] }] },\n");
  const r = infra(ws, ['inventory', '--behind', 'HEAD', 'lenexa']);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, 'lenexa: 32 server(s) not at the current level (as rendered at HEAD):\n');
  assert.match(r.stdout, '  db-ledger-01 (server): 3468.21+USN-3880-2+USN-3970-1+USN-4013-1 -> 3468.21+USN-3880-2+USN-3970-1+USN-4013-1+USN-4100-1, patched in place (patch plan)\n');
  const bad = infra(ws, ['inventory', '--behind', 'no-such-ref', 'lenexa']);
  assert.is(bad.status, 2);
  assert.match(bad.stderr, 'infra inventory: --behind no-such-ref is not a commit of this repository');
});

test('render removes the tree of an environment that is no longer defined', () => {
  const ws = copyWorkspace();
  fs.cpSync(path.join(ws, 'rendered/lenexa'), path.join(ws, 'rendered/retired'), { recursive: true });
  assert.is(infra(ws, ['check']).status, 1);
  const r = infra(ws, ['render']);
  assert.match(r.stdout, 'retired: removed (no longer defined)');
  assert.not.ok(fs.existsSync(path.join(ws, 'rendered/retired')));
});

test('with a warm render cache, check still catches a hand edit, a stray and a deleted file', () => {
  const ws = copyWorkspace();
  assert.is(infra(ws, ['render']).status, 0);
  assert.is(infra(ws, ['check']).status, 0);
  assert.ok(fs.existsSync(path.join(ws, 'node_modules/.cache/infra/render-cache.json')), 'the cache was recorded');
  fs.appendFileSync(path.join(ws, 'rendered/lenexa/marathon/web/storefront.json'), ' ');
  fs.writeFileSync(path.join(ws, 'rendered/lenexa/marathon/stray.json'), '{}\n');
  fs.rmSync(path.join(ws, 'rendered/lenexa/cloud-init/db-ledger.yaml'));
  const r = infra(ws, ['check']);
  assert.is(r.status, 1);
  assert.match(r.stderr, 'rendered/lenexa/marathon/web/storefront.json: stale');
  assert.match(r.stderr, 'rendered/lenexa/marathon/stray.json: extra');
  assert.match(r.stderr, 'rendered/lenexa/cloud-init/db-ledger.yaml: missing');
});

test('with a warm render cache, a changed definition is validated and rendered again', () => {
  const ws = copyWorkspace();
  assert.is(infra(ws, ['render']).status, 0);
  assert.match(infra(ws, ['render']).stdout, 'every file unchanged (inputs unchanged since the last render, files verified)');
  edit(path.join(ws, 'environments/lenexa/index.ts'), "folder: 'infra/lenexa'", "folder: 'infra/lenexa-prod'");
  const check = infra(ws, ['check']);
  assert.is(check.status, 1);
  assert.match(check.stderr, 'rendered/lenexa/terraform/vm-db-catalog.tf.json: stale');
  edit(path.join(ws, 'environments/lenexa/index.ts'), "ip: '10.20.5.20'", "ip: '10.20.5.10'");
  assert.is(infra(ws, ['render']).status, 2, 'an invalid edit is still refused');
});

test('--full validates and renders even when the cache says nothing changed', () => {
  const ws = copyWorkspace();
  assert.is(infra(ws, ['render']).status, 0);
  const r = infra(ws, ['render', '--full']);
  assert.is(r.status, 0);
  assert.match(r.stdout, /lenexa: 0 written, 0 deleted, \d+ unchanged/);
});

test.run();
