#!/usr/bin/env node
// `npm run bench` (issue 5): renders synthetic datacenters of N VMs with the real `infra` command
// and measures, as whole processes, side by side in one loop so machine noise hits all alike:
//   render     `infra render` from an empty rendered/
//   unchanged  `infra render` again with nothing changed
//   check      `infra check` on the up-to-date tree (a warm render cache, as on a workstation)
//   check_full `infra check --full`: no render cache, as in CI on a fresh clone
//   baseline   `node bench/baseline.js N OUT`: the same Terraform JSON from plain objects
// and the peak RSS of each (bench/maxrss.js is preloaded into every process). Medians go to a
// table and to bench/results.json.
//
//   npm run bench                                  N = 100, 1000, 5000, 10000
//   BENCH_SIZES=100,1000 BENCH_RUNS=3 npm run bench
//   node bench/run.js --smoke                      N = 100, one run; results in bench/work/
//   BENCH_KEEP=1 npm run bench                     keep the workspaces under bench/work/
//
// Every N is first warmed up once (untimed; this also proves each command works at that size).
// Without BENCH_RUNS, run counts are then cut (never below one) where they cost most until the
// warm-ups' times fit the budget (BENCH_BUDGET_S, 300 s): each row says how many runs it took.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');
const BIN = path.join(REPO, 'libs/cli/bin/infra.js');
const BASELINE = path.join(__dirname, 'baseline.js');
const MAXRSS = path.join(__dirname, 'maxrss.js');
const WORK = path.join(__dirname, 'work');

const CDK_5000_S = 5.7; // CDK for Terraform, 5,000 VMs, on this kind of machine (issue 5)
const TARGETS = { renderVsBaseline: 3, fasterThanCdk: 20, unchangedVsBaseline: 1.5, peakMiB5000: 200, perVmGrowth: 1.3 };

const smoke = process.argv.includes('--smoke');
const sizes = smoke ? [100] : listOf(process.env.BENCH_SIZES) ?? [100, 1000, 5000, 10000];
const fixedRuns = smoke ? 1 : Number(process.env.BENCH_RUNS) || undefined;
const defaultRuns = (n) => fixedRuns ?? (n <= 1000 ? 5 : 3);
const BUDGET_S = Number(process.env.BENCH_BUDGET_S) || 300;
const resultsFile = smoke ? path.join(WORK, 'results.smoke.json') : path.join(__dirname, 'results.json');

function listOf(text) {
  if (!text) return undefined;
  const list = text.split(',').map((s) => Number(s.trim()));
  if (list.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`BENCH_SIZES: "${text}" is not a list of VM counts`);
  return list;
}

// ---- one measured process ------------------------------------------------------------------------

/** Runs `node <args>` as a whole process; returns its wall time (s), peak RSS (MiB) and output. */
function measure(label, n, args, cwd, env = {}) {
  const rssFile = path.join(WORK, `maxrss-${process.pid}`);
  fs.rmSync(rssFile, { force: true });
  const started = process.hrtime.bigint();
  const res = spawnSync(process.execPath, ['--require', MAXRSS, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, ...env, BENCH_MAXRSS_FILE: rssFile },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (res.error || res.status !== 0) {
    fs.rmSync(rssFile, { force: true });
    const why = res.error ? res.error.message : res.signal ? `killed by ${res.signal}` : `exit code ${res.status}`;
    process.stderr.write(`\nbench FAILED: ${label} at N=${n}: node ${args.join(' ')} (cwd ${cwd}): ${why}\n`);
    if (res.stderr) process.stderr.write(`--- stderr ---\n${res.stderr}\n`);
    if (res.stdout) process.stderr.write(`--- stdout (last 40 lines) ---\n${res.stdout.split('\n').slice(-40).join('\n')}\n`);
    process.stderr.write(`The workspace is left in ${cwd} to look at.\n`);
    process.exit(1);
  }
  const kib = Number(fs.readFileSync(rssFile, 'utf8'));
  fs.rmSync(rssFile, { force: true });
  return { seconds, mib: kib / 1024, stdout: res.stdout };
}

// ---- one size ------------------------------------------------------------------------------------

function workspace(n) {
  const root = path.join(WORK, `vms-${n}`);
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(path.join(root, 'environments/synth'), { recursive: true });
  fs.writeFileSync(path.join(root, 'environments/synth/index.ts'),
    `import { syntheticEnvironment } from '@infra/synthetic';\nexport default syntheticEnvironment({ name: 'synth', vms: ${n} });\n`);
  return root;
}

function treeBytes(dir) {
  if (!fs.existsSync(dir)) return { files: 0, bytes: 0 };
  let files = 0;
  let bytes = 0;
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    files++;
    bytes += fs.statSync(path.join(e.parentPath ?? e.path, e.name)).size;
  }
  return { files, bytes };
}

/** Whether the baseline wrote the same bytes as the real Terraform generator (when it is wired). */
function sameTerraform(renderedDir, baselineDir) {
  const real = path.join(renderedDir, 'terraform');
  const base = path.join(baselineDir, 'terraform');
  if (!fs.existsSync(real)) return 'no terraform in rendered/';
  const names = (d) => fs.readdirSync(d).filter((f) => f.endsWith('.tf.json')).sort();
  const a = names(real);
  const b = names(base);
  if (a.join() !== b.join()) return `different files: rendered ${a.join(' ')} / baseline ${b.join(' ')}`;
  const differing = a.filter((f) => !fs.readFileSync(path.join(real, f)).equals(fs.readFileSync(path.join(base, f))));
  return differing.length ? `bytes differ in ${differing.join(' ')}` : 'identical';
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Workspace and untimed warm-up for one N: fills tsx's compile cache and the page cache, leaves
 * rendered/ up to date (what the unchanged render and check measure from), proves every command
 * works at this size before any time is spent measuring, and gives the cost of one run.
 */
function prepare(n) {
  const root = workspace(n);
  const rendered = path.join(root, 'rendered');
  const baselineOut = path.join(WORK, `vms-${n}-baseline`);
  const env = { INFRA_ROOT: root };
  const measures = [
    { key: 'render', label: 'render (clean)', before: () => fs.rmSync(rendered, { recursive: true, force: true }), args: [BIN, 'render'], env },
    { key: 'unchanged', label: 'render (unchanged)', args: [BIN, 'render'], env },
    { key: 'check', label: 'check', args: [BIN, 'check'], env },
    { key: 'check_full', label: 'check --full', args: [BIN, 'check', '--full'], env },
    { key: 'baseline', label: 'baseline', before: () => fs.rmSync(baselineOut, { recursive: true, force: true }), args: [BASELINE, String(n), baselineOut] },
  ];
  const warm = {};
  for (const m of measures) {
    m.before?.();
    warm[m.key] = measure(`${m.label} (warm-up)`, n, m.args, root, m.env).seconds;
  }
  return {
    n, root, baselineOut, measures, runs: defaultRuns(n),
    costOfRun: warm.render + warm.unchanged + warm.check + warm.check_full + warm.baseline,
    output: treeBytes(rendered),
    baselineBytes: treeBytes(baselineOut).bytes,
    terraformMatch: sameTerraform(path.join(rendered, 'synth'), baselineOut),
  };
}

/**
 * Unless BENCH_RUNS fixes the count, cuts runs (never below one) where they cost most until the
 * estimate from the warm-ups fits what is left of the budget.
 */
function fitRuns(plans, secondsLeft) {
  if (fixedRuns) return;
  const total = () => plans.reduce((t, p) => t + p.runs * p.costOfRun, 0);
  while (total() > secondsLeft) {
    const cuttable = plans.filter((p) => p.runs > 1);
    if (!cuttable.length) break;
    cuttable.sort((a, b) => b.runs * b.costOfRun - a.runs * a.costOfRun)[0].runs--;
  }
}

function measureSize(plan) {
  const { n, root, measures, runs } = plan;
  const samples = Object.fromEntries(measures.map((m) => [m.key, []]));
  let rewrites = 0;
  for (let i = 0; i < runs; i++) {
    // Run i starts at measure i (mod the number of measures), so none always follows the same one.
    for (let k = 0; k < measures.length; k++) {
      const m = measures[(i + k) % measures.length];
      m.before?.();
      const r = measure(m.label, n, m.args, root, m.env);
      samples[m.key].push(r);
      if (m.key === 'unchanged') {
        const written = /(\d+) written/.exec(r.stdout);
        if (written) rewrites = Math.max(rewrites, Number(written[1]));
      }
    }
    process.stderr.write('.');
  }
  if (!process.env.BENCH_KEEP) {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(plan.baselineOut, { recursive: true, force: true });
  }

  const s = (key) => median(samples[key].map((r) => r.seconds));
  const mib = (key) => median(samples[key].map((r) => r.mib));
  const round = (x, d) => Number(x.toFixed(d));
  return {
    vms: n,
    render_s: round(s('render'), 3),
    render_unchanged_s: round(s('unchanged'), 3),
    check_s: round(s('check'), 3),
    baseline_s: round(s('baseline'), 3),
    render_peak_mib: round(mib('render'), 1),
    baseline_peak_mib: round(mib('baseline'), 1),
    // Extra fields (after the ones issue 5 fixes):
    check_full_s: round(s('check_full'), 3),
    render_unchanged_peak_mib: round(mib('unchanged'), 1),
    check_peak_mib: round(mib('check'), 1),
    check_full_peak_mib: round(mib('check_full'), 1),
    render_ms_per_vm: round((s('render') * 1000) / n, 4),
    runs,
    rendered_files: plan.output.files,
    rendered_mib: round(plan.output.bytes / 2 ** 20, 2),
    baseline_mib: round(plan.baselineBytes / 2 ** 20, 2),
    baseline_vs_rendered_terraform: plan.terraformMatch,
    unchanged_render_files_written: rewrites,
  };
}

// ---- report --------------------------------------------------------------------------------------

function table(rows) {
  const cols = [
    ['N', (r) => String(r.vms)],
    ['render_s', (r) => r.render_s.toFixed(3)],
    ['unchanged_s', (r) => r.render_unchanged_s.toFixed(3)],
    ['check_s', (r) => r.check_s.toFixed(3)],
    ['check_full_s', (r) => r.check_full_s.toFixed(3)],
    ['baseline_s', (r) => r.baseline_s.toFixed(3)],
    ['render/base', (r) => `${(r.render_s / r.baseline_s).toFixed(2)}x`],
    ['unch/base', (r) => `${(r.render_unchanged_s / r.baseline_s).toFixed(2)}x`],
    ['check/base', (r) => `${(r.check_s / r.baseline_s).toFixed(2)}x`],
    ['full/base', (r) => `${(r.check_full_s / r.baseline_s).toFixed(2)}x`],
    ['render_MiB', (r) => r.render_peak_mib.toFixed(1)],
    ['base_MiB', (r) => r.baseline_peak_mib.toFixed(1)],
    ['render_ms/VM', (r) => r.render_ms_per_vm.toFixed(3)],
  ];
  const cells = [cols.map(([h]) => h), ...rows.map((r) => cols.map(([, f]) => f(r)))];
  const widths = cols.map((_, i) => Math.max(...cells.map((c) => c[i].length)));
  const line = (c) => c.map((x, i) => x.padStart(widths[i])).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

function targets(rows) {
  const at = (n) => rows.find((r) => r.vms === n);
  const out = [];
  const verdict = (ok) => (ok ? 'met' : 'NOT met');
  const r5 = at(5000);
  const r1 = at(1000);
  const r10 = at(10000);
  const missing = (what) => `not measured (needs N=${what})`;

  out.push(`render 5000 <= ${TARGETS.renderVsBaseline}x baseline: ` +
    (r5 ? `${(r5.render_s / r5.baseline_s).toFixed(2)}x -> ${verdict(r5.render_s <= TARGETS.renderVsBaseline * r5.baseline_s)}` : missing(5000)));
  const cdkLimit = CDK_5000_S / TARGETS.fasterThanCdk;
  out.push(`render 5000 >= ${TARGETS.fasterThanCdk}x faster than CDK (${CDK_5000_S} s, so <= ${cdkLimit.toFixed(3)} s): ` +
    (r5 ? `${r5.render_s.toFixed(3)} s, ${(CDK_5000_S / r5.render_s).toFixed(1)}x faster -> ${verdict(r5.render_s <= cdkLimit)}` : missing(5000)));
  for (const [key, name] of [['render_unchanged_s', 'render unchanged'], ['check_s', 'check'], ['check_full_s', 'check --full (no cache, as CI)']]) {
    const each = rows.map((r) => ({ n: r.vms, x: r[key] / r.baseline_s }));
    const ok = each.every((e) => e.x <= TARGETS.unchangedVsBaseline);
    out.push(`${name} <= ${TARGETS.unchangedVsBaseline}x baseline (every N): ${each.map((e) => `${e.n}: ${e.x.toFixed(2)}x`).join(', ')} -> ${verdict(ok)}`);
  }
  out.push(`peak memory at 5000 <= ${TARGETS.peakMiB5000} MiB (largest of render, unchanged, check, check --full): ` +
    (r5 ? (() => {
      const peak = Math.max(r5.render_peak_mib, r5.render_unchanged_peak_mib, r5.check_peak_mib, r5.check_full_peak_mib);
      return `${peak.toFixed(1)} MiB -> ${verdict(peak <= TARGETS.peakMiB5000)}`;
    })() : missing(5000)));
  out.push(`render time per VM at 10000 within ${TARGETS.perVmGrowth}x of at 1000: ` +
    (r1 && r10 ? (() => {
      const g = r10.render_ms_per_vm / r1.render_ms_per_vm;
      return `${r1.render_ms_per_vm.toFixed(3)} -> ${r10.render_ms_per_vm.toFixed(3)} ms/VM, ${g.toFixed(2)}x -> ${verdict(g <= TARGETS.perVmGrowth)}`;
    })() : missing('1000 and 10000')));
  return out;
}

function machine() {
  const cpus = os.cpus();
  return `${cpus[0]?.model.trim() || 'unknown CPU'}, ${cpus.length} cores, Node ${process.version}, ${os.platform()} ${os.arch()}`;
}

// ---- main ----------------------------------------------------------------------------------------

function main() {
  fs.mkdirSync(WORK, { recursive: true });
  const started = Date.now();
  const rows = [];
  process.stderr.write(`bench: N = ${sizes.join(', ')}${smoke ? ' (smoke)' : ''}\n`);
  const plans = [];
  for (const n of sizes) {
    process.stderr.write(`  warm-up N=${n}: `);
    const plan = prepare(n);
    plans.push(plan);
    process.stderr.write(`${plan.costOfRun.toFixed(2)} s per run\n`);
  }
  const secondsLeft = BUDGET_S - (Date.now() - started) / 1000;
  fitRuns(plans, secondsLeft);
  for (const plan of plans) {
    const cut = plan.runs < defaultRuns(plan.n) ? ` (cut from ${defaultRuns(plan.n)} to fit the ${BUDGET_S} s budget)` : '';
    process.stderr.write(`  N=${plan.n}: ${plan.runs} run(s)${cut} `);
    const t = Date.now();
    rows.push(measureSize(plan));
    process.stderr.write(` ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
  }
  const result = { machine: machine(), rows };
  fs.writeFileSync(resultsFile, JSON.stringify(result, null, 2) + '\n');

  console.log(`\nMachine: ${result.machine}; medians of ${[...new Set(rows.map((r) => r.runs))].join('/')} run(s), whole processes, wall time.\n`);
  console.log(table(rows));
  console.log('\nTargets (issue 5):');
  for (const line of targets(rows)) console.log(`  ${line}`);
  const notes = [];
  for (const r of rows) {
    if (r.unchanged_render_files_written > 0) notes.push(`N=${r.vms}: the unchanged render rewrote ${r.unchanged_render_files_written} file(s)`);
    if (r.baseline_vs_rendered_terraform !== 'identical') notes.push(`N=${r.vms}: baseline vs rendered Terraform: ${r.baseline_vs_rendered_terraform}`);
  }
  if (notes.length) console.log(`\nNotes:\n${notes.map((n) => `  ${n}`).join('\n')}`);
  const total = (Date.now() - started) / 1000;
  // The apply bench (issue 13) runs on its own: its own process and results file.
  if (!smoke && !process.env.BENCH_SIZES) spawnSync(process.execPath, [path.join(__dirname, 'apply.js')], { stdio: 'inherit' });
  console.log(`\nWrote ${path.relative(REPO, resultsFile)} in ${total.toFixed(1)} s${total > BUDGET_S ? ` (over the ${BUDGET_S} s budget)` : ''}.`);
}

main();
// The sidecar's figures (issue 16): bench/sidecar.js.
require('./sidecar').main({ smoke }).then(() => process.exit(0), (err) => {
  process.stderr.write(`sidecar bench FAILED: ${err.stack || err.message}\n`);
  process.exit(1);
});
