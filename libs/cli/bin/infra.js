#!/usr/bin/env node
// Entry point of the `infra` command. Definitions are TypeScript that operators edit, so the
// command runs them through tsx (esbuild) directly, with the workspace's path aliases.
'use strict';
const path = require('node:path');
process.env.TSX_TSCONFIG_PATH = process.env.TSX_TSCONFIG_PATH || path.join(__dirname, '../../../tsconfig.json');
require('tsx/cjs');
// `infra render | head` must not abort a render halfway through its environments.
process.stdout.on('error', (err) => { if (err.code !== 'EPIPE') throw err; });
require('../src/main.ts')
  .main(process.argv.slice(2))
  .then((code) => { process.exitCode = code; });
