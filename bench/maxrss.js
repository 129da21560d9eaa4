// Preloaded into each measured process (`node --require bench/maxrss.js ...`): at exit, writes
// the process's peak resident set size in KiB (getrusage ru_maxrss) to the file named by
// BENCH_MAXRSS_FILE. Works on any machine with Node, without GNU time.
'use strict';
const file = process.env.BENCH_MAXRSS_FILE;
if (file) {
  // The variable is for this process only: a child it spawns must not overwrite the figure.
  delete process.env.BENCH_MAXRSS_FILE;
  process.on('exit', () => {
    require('node:fs').writeFileSync(file, String(process.resourceUsage().maxRSS));
  });
}
