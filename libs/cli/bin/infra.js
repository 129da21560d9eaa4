#!/usr/bin/env node
// Entry point of the `infra` command. The command's own code (libs, generators) is bundled into
// one file with esbuild and kept in node_modules/.cache/infra, rebuilt whenever a source file
// changes: loading one bundle is ~40 ms faster per run than transpiling dozens of modules. The
// environment definitions, which operators edit, are loaded through tsx (see workspace.ts).
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const { createRequire, isBuiltin } = Module;
const path = require('node:path');
const vm = require('node:vm');

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

/** Packages bundled into the CLI (see bundle()); every other bare import stays a require. */
const BUNDLED = new Set(['yaml', 'handlebars/runtime', 'fflate']);
const externalPackages = {
  name: 'infra-external-packages',
  setup(build) {
    // Bare specifiers only; the workspace's own @infra/* libraries are always bundled.
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@infra/') || BUNDLED.has(args.path)) return undefined;
      if (args.importer.includes(`${path.sep}node_modules${path.sep}`) && !args.path.startsWith('node:') && !isBuiltin(args.path)) {
        // A bundled package's own imports: bundled with it unless they are a package apart.
        return undefined;
      }
      return { path: args.path, external: true };
    });
  },
};

async function bundle() {
  const dir = path.join(ROOT, 'node_modules/.cache/infra');
  const file = path.join(dir, `cli-${sourceKey()}.js`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  // The async API: plugins are refused by buildSync.
  await require('esbuild').build({
    entryPoints: [path.join(ROOT, 'libs/cli/src/main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // npm packages stay external (resolved from node_modules at run time), except the ones every
    // render loads, file by file otherwise: yaml (72 modules) and handlebars' runtime (21), about
    // 30 ms of module loading per run, bundled in; and fflate, whose ES module entry esbuild
    // tree-shakes to the gzip the terraform kind calls (16 KB of its 90 KB; the same version from
    // the lock file, the same deflate code, so the same bytes: ~2.5 ms less to load per run).
    plugins: [externalPackages],
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    outfile: tmp,
    logLevel: 'error',
  });
  fs.renameSync(tmp, file);
  // Older bundles are dead weight once a new one exists.
  // (and so are their code caches, see load()).
  const stem = path.basename(file, '.js');
  for (const old of fs.readdirSync(dir)) {
    if (/^cli-.*\.(js|v8cache)$/.test(old) && old !== `${stem}.js` && !old.startsWith(`${stem}-`)) fs.rmSync(path.join(dir, old), { force: true });
  }
  return file;
}

/**
 * The bundle's exports, loaded as require() loads a file, but compiled with V8's code cache:
 * compiling the 1.1 MB bundle and then each function it runs costs a 5,000-VM render ~25 ms CPU
 * that the cache's bytecode saves (0.659 -> 0.634 s, medians of 9). The cache is written once
 * per bundle, at the exit of the first command that ran it (so it holds the bytecode of what that
 * command compiled), beside the bundle. V8 rejects a cache made by another V8 or with other
 * flags, but checks only the length of the source: the cache's name carries a hash of the text.
 */
function load(file) {
  const source = fs.readFileSync(file, 'utf8');
  const cacheFile = `${file.slice(0, -'.js'.length)}-${crypto.createHash('sha1').update(source).digest('hex').slice(0, 16)}.v8cache`;
  let cachedData;
  try { cachedData = fs.readFileSync(cacheFile); } catch { /* none yet */ }
  tierUpLater();
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  script.runInThisContext().call(mod.exports, mod.exports, createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', () => {
      // A cache that cannot be written only costs speed; written aside and renamed, never half.
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      try { fs.writeFileSync(tmp, script.createCachedData()); fs.renameSync(tmp, cacheFile); } catch { fs.rmSync(tmp, { force: true }); }
    });
  }
  // Code compiled by vm.Script cannot import() (Node 20 asks for --experimental-vm-modules):
  // this file, which Node loaded itself, imports ES modules for it (libs/cli/src/esm-import.ts).
  mod.exports.setEsmImport((url) => import(url));
  return mod.exports;
}

/**
 * V8 optimizes a function once it has run a budget of bytecode, compiling it with TurboFan on
 * background threads whose CPU the command pays for. A command lives 0.1-1 s, and most of that
 * compiling never paid back (fflate's deflate alone was compiled twice, ~24 ms each, to gzip
 * ~180 KB). With a 15x larger budget only code that stays hot is optimized: `render --full` CPU
 * at 5,000 VMs 0.65-0.68 s -> 0.47-0.51 s, at 10,000 1.06 -> 0.84 s (bench/HISTORY.md, fifth
 * round). Tiers change speed, not results: the rendered trees are byte-identical. Set here, just
 * before the bundle is compiled, rather than first thing: after a change of flags V8 refuses the
 * code cache of Node's own modules (it checks a hash of the flags), so the fewer load after it
 * the better.
 */
function tierUpLater() {
  require('node:v8').setFlagsFromString('--interrupt-budget=1000000');
}

function fromSource() {
  require('tsx/cjs');
  return require('../src/main.ts');
}

async function run() {
  if (process.env.INFRA_NO_BUNDLE === '1') return fromSource().main(process.argv.slice(2));
  let file;
  try {
    file = await bundle();
  } catch (err) {
    // A read-only node_modules or a failed bundle costs speed, never the command.
    process.stderr.write(`infra: running from source (could not bundle: ${err.message.split('\n')[0]})\n`);
  }
  if (!file) return fromSource().main(process.argv.slice(2));
  return load(file).main(process.argv.slice(2));
}

run().then((code) => { process.exitCode = code; });
