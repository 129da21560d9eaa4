// What the render cache counts as an input: sources that shape the output, never build outputs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inputFingerprint } from './render-cache';

const REPO = path.resolve(__dirname, '../../..');

test('a definition is an input; a build output under libs/*/dist is not', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'render-cache-'));
  const probe = path.join(REPO, 'libs/sidecar/dist/.fingerprint-probe');
  try {
    fs.mkdirSync(path.join(root, 'environments/site'), { recursive: true });
    fs.writeFileSync(path.join(root, 'environments/site/index.ts'), 'export default 1;\n');
    const before = inputFingerprint(root);
    fs.mkdirSync(path.dirname(probe), { recursive: true });
    fs.writeFileSync(probe, 'built\n');
    assert.is(inputFingerprint(root), before, 'libs/sidecar/dist is no input');
    fs.writeFileSync(path.join(root, 'environments/site/index.ts'), 'export default 2;\n');
    assert.is.not(inputFingerprint(root), before, 'a changed definition is');
  } finally {
    fs.rmSync(probe, { force: true });
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test.run();
