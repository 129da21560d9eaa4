#!/usr/bin/env node
// Builds the sidecar as one file that runs without Node in the app's image: the TypeScript is
// bundled by esbuild into one CommonJS file, that file becomes a Node single executable
// application blob (`node --experimental-sea-config`), and postject injects the blob into a copy
// of this Node binary (symbols stripped when `strip` exists: 99 → 86 MB, same code).
//
//   node libs/sidecar/scripts/build.js      → libs/sidecar/dist/<version>/infra-sidecar-<os>-<arch>
//
// Publish dist/<version>/ to the artifact store under `sidecar.url` (see the README). The build
// is skipped when nothing that goes into it changed (a stamp of the inputs beside the output),
// so `npm test` can build it every time.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const SENTINEL = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

function version() {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
}

/** The path the executable is built to (and published under). */
function outputPath() {
  return path.join(ROOT, 'dist', version(), `infra-sidecar-${process.platform}-${process.arch}`);
}

function inputsKey() {
  const hash = crypto.createHash('sha256');
  const src = path.join(ROOT, 'src');
  const files = fs.readdirSync(src, { recursive: true }).map(String)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith(`testing${path.sep}`)).sort();
  for (const f of files) hash.update(`${f}\0`).update(fs.readFileSync(path.join(src, f)));
  hash.update(fs.readFileSync(__filename));
  hash.update(fs.readFileSync(path.join(ROOT, 'package.json')));
  hash.update(`${process.execPath}\0${process.version}\0${fs.statSync(process.execPath).size}`);
  return hash.digest('hex');
}

async function build({ force = false, log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const out = outputPath();
  const stamp = `${out}.inputs`;
  const key = inputsKey();
  if (!force && fs.existsSync(out) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === key) return out;
  const started = Date.now();
  fs.mkdirSync(path.join(ROOT, 'dist'), { recursive: true });
  const work = fs.mkdtempSync(path.join(ROOT, 'dist', '.work-'));
  try {
    const bundle = path.join(work, 'sidecar.cjs');
    require('esbuild').buildSync({
      entryPoints: [path.join(ROOT, 'src/sea-main.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      minify: true,
      legalComments: 'none',
      outfile: bundle,
      logLevel: 'error',
    });
    const blob = path.join(work, 'sidecar.blob');
    fs.writeFileSync(path.join(work, 'sea-config.json'), JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true }));
    execFileSync(process.execPath, ['--experimental-sea-config', path.join(work, 'sea-config.json')], { stdio: 'pipe' });
    const exe = path.join(work, path.basename(out));
    fs.copyFileSync(process.execPath, exe);
    fs.chmodSync(exe, 0o755);
    try {
      execFileSync('strip', ['--strip-all', exe], { stdio: 'pipe' });
    } catch {
      log('infra-sidecar build: no strip on PATH; the executable keeps its symbols (larger, same code)');
    }
    const { inject } = require('postject');
    await inject(exe, 'NODE_SEA_BLOB', fs.readFileSync(blob), { sentinelFuse: SENTINEL });
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.renameSync(exe, out);
    fs.writeFileSync(stamp, key);
    log(`infra-sidecar build: ${path.relative(process.cwd(), out)} (${(fs.statSync(out).size / 1048576).toFixed(1)} MiB) in ${Date.now() - started} ms`);
    return out;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

module.exports = { build, outputPath, version };

if (require.main === module) {
  build({ force: process.argv.includes('--force') }).then((out) => process.stdout.write(`${out}\n`), (err) => {
    process.stderr.write(`infra-sidecar build failed: ${err.message}\n`);
    process.exit(1);
  });
}
