import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileTemplates } from './templates';

const label = (name: string) => `templates/${name}.yaml.hbs`;
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'infra-templates-'));

test('compiled code is cached by the sources\' content: reused as it is, and a changed source is a new entry', () => {
  const dir = tmp();
  const sources = { stemcell: '#cloud-config\n', database: '{{> stemcell}}port: {{q port}}\n' };
  assert.equal(compileTemplates(sources, label, dir).render('database', { port: 5432 }), { text: '#cloud-config\nport: "5432"\n' });
  const files = fs.readdirSync(dir);
  assert.is(files.length, 1);
  // The cached code is what runs: altered in the cache, the output follows it.
  const file = path.join(dir, files[0]);
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('port: ', 'from the cache: '));
  assert.equal(compileTemplates(sources, label, dir).render('database', { port: 5432 }), { text: '#cloud-config\nfrom the cache: "5432"\n' });
  const changed = { ...sources, database: '{{> stemcell}}listen: {{q port}}\n' };
  assert.equal(compileTemplates(changed, label, dir).render('database', { port: 5432 }), { text: '#cloud-config\nlisten: "5432"\n' });
  assert.is(fs.readdirSync(dir).length, 2);
});

test('templates loaded from the cache stay strict: a missing value names the template, line and field', () => {
  const dir = tmp();
  const sources = { database: 'a: 1\nport: {{port}}\n{{#each apps}}- {{name}}\n{{/each}}' };
  compileTemplates(sources, label, dir);
  const cached = compileTemplates(sources, label, dir);
  assert.equal(cached.render('database', { apps: [] }), {
    failure: { template: 'templates/database.yaml.hbs', field: 'port', message: 'templates/database.yaml.hbs line 2: no value for "port"' },
  });
  assert.equal(cached.render('database', { port: 1 }), {
    failure: { template: 'templates/database.yaml.hbs', field: 'apps', message: 'templates/database.yaml.hbs line 3: no value for "apps"' },
  });
});

test('a template that does not parse is not cached and still fails at render, naming the template', () => {
  const dir = tmp();
  const outcome = compileTemplates({ database: 'port: {{#if port}}\n' }, label, dir).render('database', { port: 1 });
  assert.ok('failure' in outcome);
  if ('failure' in outcome) assert.match(outcome.failure.message, /^templates\/database\.yaml\.hbs: Parse error on line \d+/);
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, fs.readdirSync(dir)[0]), 'utf8')), {});
});

test('without a cache directory, or with one that cannot be written, templates compile in memory', () => {
  const file = path.join(tmp(), 'a-file');
  fs.writeFileSync(file, '');
  for (const dir of [undefined, path.join(file, 'templates')]) {
    assert.equal(compileTemplates({ database: 'port: {{q port}}\n' }, label, dir).render('database', { port: 1 }), { text: 'port: "1"\n' });
  }
});

test.run();
