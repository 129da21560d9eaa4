import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Environment, type HostGroup, InvalidDefinition, type Problem } from '@infra/model';
import { createCloudInit } from './generator';
import { compileTemplates, loadTemplates, PARTIALS, ROLE_TEMPLATES } from './templates';
import { everyRole } from './testing/fixtures';

const ctx = { environment: () => undefined };
const TEMPLATE_DIR = path.join(__dirname, '..', 'templates');
const shipped = createCloudInit(loadTemplates(TEMPLATE_DIR));
const check = (env: Environment, cloudInit = shipped) => cloudInit.generator.check!(env, ctx);
const paths = (problems: Problem[]) => problems.map((p) => p.path);

/** The shipped template sources, with some replaced or removed. */
function sources(change: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const name of [...PARTIALS, ...ROLE_TEMPLATES]) out[name] = fs.readFileSync(path.join(TEMPLATE_DIR, `${name}.yaml.hbs`), 'utf8');
  return { ...out, ...change };
}
const withTemplates = (change: Record<string, string | undefined>) =>
  createCloudInit(compileTemplates(sources(change), (name) => `templates/${name}.yaml.hbs`));

function withGroup(env: Environment, name: string, change: (g: HostGroup) => HostGroup): Environment {
  return { ...env, hostGroups: env.hostGroups.map((g) => (g.name === name ? change(g) : g)) };
}

test('the fixture itself has no problem (so each case below fails for its own reason)', () => {
  assert.equal(check(everyRole()), []);
});

test('a vSphere site whose stemcell cannot read guestinfo fails at stemcell/transports', () => {
  const base = everyRole();
  const env = { ...base, stemcell: { ...base.stemcell, transports: ['ec2-metadata' as const] } };
  const problems = check(env);
  assert.equal(problems, [{
    env: 'every-role',
    path: 'stemcell/transports',
    message: 'a vsphere site passes user-data through vmware-guestinfo, which stemcell trusty-test 100.1 cannot read (its transports: ec2-metadata); '
      + 'use a stemcell built with that datasource and list it in transports',
  }]);
});

test('an AWS site needs ec2-metadata', () => {
  const base = everyRole();
  const env: Environment = {
    ...base,
    site: { kind: 'aws', region: 'us-east-2', zones: ['a', 'b'], vpcCidr: '10.9.0.0/16', instanceTypes: {}, state: base.site.state },
    stemcell: { ...base.stemcell, transports: ['vmware-guestinfo'] },
  };
  assert.equal(paths(check(env)), ['stemcell/transports']);
  assert.match(check(env)[0].message, 'a aws site passes user-data through ec2-metadata');
});

test('an unknown cloud-init version is located at stemcell/cloudInit, once', () => {
  const base = everyRole();
  const env = { ...base, stemcell: { ...base.stemcell, cloudInit: '0.7.9' as '0.7.5' } };
  assert.equal(paths(check(env)), ['stemcell/cloudInit']);
  assert.throws(() => shipped.renderUserData(env, env.hostGroups[0]), (e: unknown) => e instanceof InvalidDefinition && /cloud-init 0\.7\.9/.test(e.message));
});

test('a value missing from the definition fails the strict template, located at the field', () => {
  const env = withGroup(everyRole(), 'db-orders', (g) => {
    const { engineVersion: _dropped, ...rest } = g as HostGroup & { engineVersion: string };
    return rest as HostGroup;
  });
  assert.equal(check(env), [{
    env: 'every-role',
    path: 'hostGroups/db-orders/engineVersion',
    message: 'generators/cloud-init/templates/database.yaml.hbs line 39: no value for "engineVersion"',
  }]);
  const group = env.hostGroups.find((g) => g.name === 'db-orders')!;
  assert.throws(() => shipped.renderUserData(env, group), (e: unknown) => e instanceof InvalidDefinition && e.problems[0].path === 'hostGroups/db-orders/engineVersion');
});

test('a missing list fails too, not only plain values (block helpers are strict)', () => {
  const env = withGroup(everyRole(), 'shop', (g) => ({ ...g, apps: undefined }) as unknown as HostGroup);
  const problems = check(env);
  // The view reports the empty group first; the template would otherwise have rendered no app.
  assert.equal(paths(problems), ['hostGroups/shop/apps']);
  const strict = withTemplates({ 'app-server': '{{> stemcell}}\nruncmd:\n{{#each hostedApps}}\n  - x\n{{/each}}\n' });
  assert.equal(check(everyRole(), strict).map((p) => p.message), [
    'templates/app-server.yaml.hbs line 3: no value for "hostedApps"',
  ]);
});

test('a template referring to a value the data lacks names the template and line', () => {
  const broken = withTemplates({ database: sources().database!.replace('port = {{port}}', 'port = {{listenPort}}') });
  assert.equal(check(everyRole(), broken), [
    { env: 'every-role', path: 'hostGroups/db-search', message: 'templates/database.yaml.hbs line 19: no value for "listenPort"' },
  ]);
});

test('a missing role template is a located error, in check() and from renderUserData', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloud-init-templates-'));
  try {
    for (const file of fs.readdirSync(TEMPLATE_DIR)) if (file !== 'database.yaml.hbs') fs.copyFileSync(path.join(TEMPLATE_DIR, file), path.join(dir, file));
    const cloudInit = createCloudInit(loadTemplates(dir));
    const problems = check(everyRole(), cloudInit);
    assert.equal(problems, [
      { env: 'every-role', path: 'hostGroups/db-orders/role', message: 'template generators/cloud-init/templates/database.yaml.hbs is missing' },
      { env: 'every-role', path: 'hostGroups/db-search/role', message: 'template generators/cloud-init/templates/database.yaml.hbs is missing' },
    ]);
    const env = everyRole();
    assert.throws(() => cloudInit.generator.generate(env, ctx), (e: unknown) => e instanceof InvalidDefinition && /database\.yaml\.hbs is missing/.test(e.message));
    // Other roles still render: one missing template does not hide the rest.
    assert.match(cloudInit.renderUserData(env, env.hostGroups.find((g) => g.role === 'app-server')!), /^#cloud-config\n/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing shared partial names the partial and who includes it', () => {
  const broken = withTemplates({ stemcell: undefined });
  const problems = check(everyRole(), broken);
  assert.is(problems.length, 6);
  assert.equal(problems[0], { env: 'every-role', path: 'hostGroups/agent/role', message: 'template templates/stemcell.yaml.hbs is missing (included by templates/mesos-agent.yaml.hbs)' });
});

test('an unknown role is located at the group\'s role', () => {
  const env = withGroup(everyRole(), 'shop', (g) => ({ ...g, role: 'cache' }) as unknown as HostGroup);
  assert.equal(check(env), [{
    env: 'every-role', path: 'hostGroups/shop/role',
    message: 'no cloud-init mutation for role "cache"; roles are: mesos-master, mesos-agent, app-server, database',
  }]);
});

test('a key cloud-init 0.7.5 does not have is refused, with what to do instead', () => {
  const withNtp = withTemplates({ stemcell: `${sources().stemcell}ntp:\n  servers: [ntp1.test]\n` });
  const problems = check(everyRole(), withNtp);
  assert.is(problems.length, 6, 'every group, since the shared part has it');
  assert.equal(problems[0], {
    env: 'every-role', path: 'hostGroups/agent/user-data/ntp',
    message: 'cloud-init 0.7.5 has no module reading "ntp": the ntp module came in cloud-init 0.7.8; write the NTP configuration with write_files instead',
  });
  const withApt = withTemplates({ database: `${sources().database}apt:\n  preserve_sources_list: true\n` });
  assert.equal(paths(check(everyRole(), withApt)), ['hostGroups/db-orders/user-data/apt', 'hostGroups/db-search/user-data/apt']);
});

test('write_files append and unquoted permissions are refused, located by the file path', () => {
  const broken = withTemplates({
    'app-server': sources()['app-server']!.replace("    permissions: '0644'\n", '    permissions: 0644\n    append: true\n'),
  });
  assert.equal(check(everyRole(), broken).map((p) => p.path), [
    'hostGroups/shop/user-data/write_files[/etc/default/shop-admin]/append',
    'hostGroups/shop/user-data/write_files[/etc/default/shop-admin]/permissions',
    'hostGroups/shop/user-data/write_files[/etc/default/shop-web]/append',
    'hostGroups/shop/user-data/write_files[/etc/default/shop-web]/permissions',
  ]);
});

test('a database without its data disk is refused at hostGroups/<group>/data', () => {
  const env = withGroup(everyRole(), 'db-orders', (g) => ({ ...g, data: undefined }) as HostGroup);
  assert.equal(check(env), [{
    env: 'every-role',
    path: 'hostGroups/db-orders/data',
    message: 'generators/cloud-init/templates/database.yaml.hbs line 31: no value for "data"',
  }]);
});

test('a shell metacharacter in a definition value stays text: every value reaching the setup script is one quoted word', () => {
  const env = withGroup(everyRole(), 'db-orders', (g) => ({ ...g, dataDir: "/srv/pg/$(reboot); it's" }) as HostGroup);
  const text = shipped.renderUserData(env, env.hostGroups.find((g) => g.name === 'db-orders')!);
  assert.match(text, "pg_createcluster --datadir='/srv/pg/$(reboot); it'\\''s' --port='5433'");
});

test('a definition value with a line break cannot reshape the YAML', () => {
  const env = withGroup(everyRole(), 'db-orders', (g) => ({ ...g, dataDir: '/srv/pg\nruncmd: [reboot]' }) as HostGroup);
  const problems = check(env);
  assert.equal(paths(problems), ['hostGroups/db-orders']);
  assert.match(problems[0].message, 'contains a line break');
});

test('a rack that is not one token is refused (it is a field in a boot-time table)', () => {
  const env = withGroup(everyRole(), 'agent', (g) => ({ ...g, racks: { 'agent-01': 'rack a' } }) as HostGroup);
  assert.equal(paths(check(env)), ['hostGroups/agent/racks/agent-01']);
});

test('duplicate ports on an application server are refused', () => {
  const env = withGroup(everyRole(), 'shop', (g) => ({
    ...g, apps: [{ name: 'a', package: 'a', version: '1', port: 80 }, { name: 'b', package: 'b', version: '1', port: 80 }],
  }) as HostGroup);
  assert.equal(check(env), [{ env: 'every-role', path: 'hostGroups/shop/apps/b/port', message: 'port 80 is also used by a on the same servers' }]);
});

// "Agents need masters" is libs/validate's rule (tested in libs/validate/src/semantic.test.ts).

test.run();
