import { test } from 'uvu';
import * as assert from 'uvu/assert';
import YAML from 'yaml';
import { MODULE_SETS, checkModuleSet } from './module-sets';
import { upstreamErrors } from './testing/upstream-schema';

const set = MODULE_SETS['0.7.5'];
const check = (text: string) => checkModuleSet(YAML.parse(text, { version: '1.1' }), set);
const at = (text: string) => check(text).map((f) => f.at);

test('keys of cloud-init 0.7.5 pass', () => {
  assert.equal(check("package_update: true\npackages: [a=1, [b, '2']]\nruncmd: [ls, [echo, hi]]\nbootcmd: [echo boot]\nwrite_files:\n  - {path: /x, content: hello, owner: 'root:root', permissions: '0644', encoding: b64}\n"), []);
});

test('keys that came after 0.7.5 are refused, though the upstream schema accepts them', () => {
  const later = "apt:\n  preserve_sources_list: true\nntp:\n  servers: [ntp.test]\nsnap:\n  commands: [ls]\n";
  assert.equal(upstreamErrors(YAML.parse(later)), [], 'upstream accepts them');
  assert.equal(at(later), ['apt', 'ntp', 'snap']);
  assert.match(check(later)[0].message, '0.7.5 reads the flat apt_* keys');
});

test('unknown keys are refused', () => {
  assert.equal(check('runcmnd: [ls]\n'), [{ at: 'runcmnd', message: 'cloud-init 0.7.5 has no module reading "runcmnd"' }]);
});

test('write_files: append, defer and source are later; permissions must be a quoted octal string', () => {
  const text = 'write_files:\n  - {path: /a, content: x, append: true}\n  - {path: /b, content: x, defer: true}\n  - {path: /c, permissions: 0644}\n  - {path: /d, permissions: \'644\'}\n';
  assert.equal(at(text), ['write_files[/a]/append', 'write_files[/b]/defer', 'write_files[/c]/permissions', 'write_files[/d]/permissions']);
});

test('a file written twice is refused (the second silently wins)', () => {
  assert.equal(at('write_files:\n  - {path: /a, content: one}\n  - {path: /a, content: two}\n'), ['write_files[/a]']);
});

test('malformed commands and packages are refused', () => {
  assert.equal(at('runcmd: [[ls, 1]]\npackages: [[a, b, c]]\n'), ['runcmd/1', 'packages/["a","b","c"]']);
  assert.equal(at('runcmd: []\n'), ['runcmd']);
  assert.equal(at('- a\n'), ['']);
});

test.run();
