#!/usr/bin/env node
// Type-checks one project folder that has no tsconfig.json of its own (an environment is just
// `environments/<name>/index.ts`): a tsconfig extending tsconfig.base.json is written under
// node_modules/.cache/infra/ and handed to tsc. Usage: node tools/nx-plugin/typecheck.js <dir>
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '../..');
const dir = process.argv[2];
if (!dir || !fs.existsSync(path.join(ROOT, dir))) {
  console.error(`usage: node tools/nx-plugin/typecheck.js <project folder>  (got ${JSON.stringify(dir)})`);
  process.exit(2);
}
const own = path.join(ROOT, dir, 'tsconfig.json');
let config = own;
if (!fs.existsSync(own)) {
  const cache = path.join(ROOT, 'node_modules/.cache/infra/tsconfig');
  fs.mkdirSync(cache, { recursive: true });
  config = path.join(cache, `${dir.replace(/[\\/]/g, '_')}.json`);
  fs.writeFileSync(config, JSON.stringify({
    extends: path.join(ROOT, 'tsconfig.base.json'),
    compilerOptions: { baseUrl: ROOT },
    include: [path.join(ROOT, dir, '**/*.ts')],
  }, null, 2));
}
const tsc = require.resolve('typescript/bin/tsc');
const run = spawnSync(process.execPath, [tsc, '-p', config, '--noEmit'], { stdio: 'inherit', cwd: ROOT });
process.exit(run.status ?? 1);
