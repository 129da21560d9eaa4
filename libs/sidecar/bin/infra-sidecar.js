#!/usr/bin/env node
// `npx infra-sidecar [--] COMMAND [ARG…]` from a checkout: the sidecar from its TypeScript
// source. In a container the single executable built by scripts/build.js runs instead.
'use strict';
require('tsx/cjs');
require('../src/main.ts').main(process.argv.slice(2)).then((code) => process.exit(code));
