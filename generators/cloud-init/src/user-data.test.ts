import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import YAML from 'yaml';
import { type Environment, type HostGroup } from '@infra/model';
import { createCloudInit } from './generator';
import { compileTemplates, PARTIALS, ROLE_TEMPLATES } from './templates';
import { cleanReading, readsAlike } from './user-data';
import { everyRole } from './testing/fixtures';

const ctx = { environment: () => undefined };
const TEMPLATE_DIR = path.join(__dirname, '..', 'templates');

const CLEAN = [
  '#cloud-config',
  '# marker',
  '# group a',
  'write_files:',
  '  - path: /etc/rack',
  "    permissions: '0644'",
  '    content: |',
  '      rack-0',
  '      second line',
  '  - path: /etc/mode',
  '    permissions: |-',
  '      0644',
  '    content: x',
  'runcmd:',
  '  - "echo a"',
  '',
];
const reading = () => {
  const text = CLEAN.join('\n');
  const doc = YAML.parseDocument(text, { version: '1.1', uniqueKeys: true });
  assert.equal(doc.errors, []);
  return cleanReading(doc, CLEAN);
};
const changed = (i: number, line: string) => CLEAN.map((l, k) => (k === i ? line : l));

test('read back once: a text differing only in a comment or a block scalar\'s content reads alike', () => {
  const r = reading();
  assert.ok(readsAlike(r, CLEAN));
  assert.ok(readsAlike(r, changed(2, '# group b, with: any text # at all')));
  assert.ok(readsAlike(r, changed(7, '      rack-17: # not a key, not a comment')));
  assert.ok(readsAlike(r, changed(8, '      - not a list either')));
});

test('read back once: any other difference is read back in full', () => {
  const r = reading();
  assert.not.ok(readsAlike(r, CLEAN.slice(0, -1)), 'another line count');
  assert.not.ok(readsAlike(r, changed(2, 'ntp: {}')), 'a comment turned into a key');
  assert.not.ok(readsAlike(r, changed(4, '  - path: /etc/other')), 'a plain scalar');
  assert.not.ok(readsAlike(r, changed(14, '  - "echo b"')), 'a quoted scalar');
  assert.not.ok(readsAlike(r, changed(7, '        rack-0')), 'content indented deeper changes the block\'s indentation');
  assert.not.ok(readsAlike(r, changed(7, '    rack-0')), 'content indented less ends the block');
  assert.not.ok(readsAlike(r, changed(7, '      ')), 'a blank content line');
  assert.not.ok(readsAlike(r, changed(7, '      \track-0')), 'a tab where the indentation ends');
  assert.not.ok(readsAlike(r, changed(7, '      rack-0\rruncmd: [reboot]')), 'a carriage return is a YAML line break');
  assert.not.ok(readsAlike(r, changed(2, '# group\u2028b')), 'so is U+2028 in YAML 1.1');
  assert.not.ok(readsAlike(r, changed(11, '      0755')), 'permissions is checked by value, even in a block scalar');
});

/** The shipped template sources, with some replaced. */
function sources(change: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...PARTIALS, ...ROLE_TEMPLATES]) out[name] = fs.readFileSync(path.join(TEMPLATE_DIR, `${name}.yaml.hbs`), 'utf8');
  return { ...out, ...change };
}

test('a later group of a role whose text breaks the YAML is still located, after a clean one was read', () => {
  // The group's name spliced as a plain scalar: fine for `agent`, a nested mapping for the other.
  const cloudInit = createCloudInit(compileTemplates(sources({ 'mesos-agent': '{{> stemcell}}\nbootcmd:\n  - {{group}}\n' }), (n) => `templates/${n}.yaml.hbs`));
  const base = everyRole();
  const env: Environment = { ...base, hostGroups: base.hostGroups.map((g) => (g.name === 'edge' ? ({ ...g, name: 'edge: x: y' } as HostGroup) : g)) };
  const problems = cloudInit.generator.check!(env, ctx);
  assert.equal(problems.map((p) => p.path), ['hostGroups/edge: x: y']);
  assert.match(problems[0].message, 'rendered user-data is not valid YAML (templates/mesos-agent.yaml.hbs)');
  // The same set renders the clean group, before and after.
  assert.match(cloudInit.renderUserData(env, env.hostGroups.find((g) => g.name === 'agent')!), /\nbootcmd:\n {2}- agent\n$/);
});

test('a later group whose text adds a module the stemcell lacks is still refused', () => {
  const cloudInit = createCloudInit(compileTemplates(sources({ 'mesos-agent': '{{> stemcell}}\nbootcmd:\n  - echo\n{{group}}: {}\n' }), (n) => `templates/${n}.yaml.hbs`));
  const base = everyRole();
  const env: Environment = { ...base, hostGroups: base.hostGroups.map((g) => (g.name === 'edge' ? ({ ...g, name: 'ntp' } as HostGroup) : g.name === 'agent' ? ({ ...g, name: 'mounts' } as HostGroup) : g)) };
  const problems = cloudInit.generator.check!(env, ctx);
  assert.equal(problems.map((p) => p.path), ['hostGroups/ntp/user-data/ntp']);
});

test.run();
