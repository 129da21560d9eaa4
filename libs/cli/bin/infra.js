#!/usr/bin/env node
// Entry point of the `infra` command. The command's own code (libs, generators) is bundled into
// one file with esbuild and kept in node_modules/.cache/infra, rebuilt whenever a source file
// changes: loading one bundle is ~40 ms faster per run than transpiling dozens of modules. The
// environment definitions, which operators edit, are loaded through tsx (see workspace.ts).
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../../..');
process.env.TSX_TSCONFIG_PATH = process.env.TSX_TSCONFIG_PATH || path.join(ROOT, 'tsconfig.json');
// `infra render | head` must not abort a render halfway through its environments.
process.stdout.on('error', (err) => { if (err.code !== 'EPIPE') throw err; });

/** A key over every source file's path, size and mtime: any edit makes a new bundle. */
function sourceKey() {
  const hash = crypto.createHash('sha256');
  const walk = (dir) => {
    let entries;
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) { if (e.name !== 'node_modules' && e.name !== '__golden__') walk(full); continue; }
      if (!/\.(ts|js|json)$/.test(e.name) || e.name.endsWith('.test.ts')) continue;
      const st = fs.statSync(full);
      hash.update(`${full}\0${st.size}\0${st.mtimeMs}\n`);
    }
  };
  walk(path.join(ROOT, 'libs'));
  walk(path.join(ROOT, 'generators'));
  for (const f of ['tsconfig.base.json', 'tsconfig.json', 'package-lock.json']) {
    try { const st = fs.statSync(path.join(ROOT, f)); hash.update(`${f}\0${st.size}\0${st.mtimeMs}\n`); } catch { /* optional */ }
  }
  return hash.digest('hex').slice(0, 16);
}

function bundle() {
  const dir = path.join(ROOT, 'node_modules/.cache/infra');
  const file = path.join(dir, `cli-${sourceKey()}.js`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  require('esbuild').buildSync({
    entryPoints: [path.join(ROOT, 'libs/cli/src/main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    outfile: tmp,
    logLevel: 'error',
  });
  fs.renameSync(tmp, file);
  // Older bundles are dead weight once a new one exists.
  for (const old of fs.readdirSync(dir)) if (/^cli-.*\.js$/.test(old) && path.join(dir, old) !== file) fs.rmSync(path.join(dir, old), { force: true });
  return file;
}

function fromSource() {
  require('tsx/cjs');
  return require('../src/main.ts');
}

let entry;
if (process.env.INFRA_NO_BUNDLE === '1') {
  entry = fromSource();
} else {
  let file;
  try {
    file = bundle();
  } catch (err) {
    // A read-only node_modules or a failed bundle costs speed, never the command.
    process.stderr.write(`infra: running from source (could not bundle: ${err.message.split('\n')[0]})\n`);
  }
  entry = file ? require(file) : fromSource();
}
entry.main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
