#!/usr/bin/env node
// The floor of the benchmark (issue 15): the physical limit of writing what `infra render`
// writes. It reads one prepared blob (every file of a rendered/ tree, all kinds and the
// manifests, the same bytes; packed by bench/run.js outside the timed window) and writes that
// file set with plain `fs` (mkdir + writeFile). No generation, no project imports: whatever
// render costs above this is the renderer's own work.
//
//   node bench/floor.js BLOB OUTDIR      BLOB: JSON {"dirs": [...], "files": [[path, utf8], ...]}
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const [blobFile, outDir] = process.argv.slice(2);
if (!blobFile || !outDir) {
  process.stderr.write('usage: node bench/floor.js BLOB OUTDIR\n');
  process.exit(2);
}
const blob = JSON.parse(fs.readFileSync(blobFile, 'utf8'));
for (const d of blob.dirs) fs.mkdirSync(path.join(outDir, d), { recursive: true });
for (const [file, text] of blob.files) fs.writeFileSync(path.join(outDir, file), text);
