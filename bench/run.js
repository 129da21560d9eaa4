#!/usr/bin/env node
// `npm run bench` (issue 5): renders synthetic datacenters of N VMs with the real `infra` command
// and measures, as whole processes, side by side in one loop so machine noise hits all alike:
//   render     `infra render` from an empty rendered/
//   unchanged  `infra render` again with nothing changed
//   check      `infra check` on the up-to-date tree (a warm render cache, as on a workstation)
//   check_full `infra check --full`: no render cache, as in CI on a fresh clone
//   floor      `node bench/floor.js BLOB OUT`: the same files render wrote, from one blob, plain fs
//              (issue 15; it supersedes issue 5's Terraform-only bench/baseline.js, which is gone)
//   diff       `infra diff --base A --head B --format json` between two commits of the workspace
//              where 1% of the hosts (agents added) and 1% of the apps (images bumped) changed
//              (issue 12)
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
const MAXRSS = path.join(__dirname, 'maxrss.js');
const WORK = path.join(__dirname, 'work');
const FLOOR = path.join(__dirname, 'floor.js');
const CDK_SRC = path.join(__dirname, 'cdk');
const CDK_DIR = path.join(WORK, 'cdk');
const CDK_SYNTH = path.join(CDK_SRC, 'synth.js');
// Workspaces and the floor's output live in memory when the machine has tmpfs (issue 15): on disk
// the cost of creating files swings several-fold with the disk's own background work.
const SHM = fs.existsSync('/dev/shm') ? '/dev/shm' : undefined;
const SPACE = SHM ? path.join(SHM, `infra-bench-${process.pid}`) : WORK;
// CPU time of a measured process with all its children: the growth of this process's cutime and
// cstime (/proc/self/stat, fields 16-17, in clock ticks) across the spawnSync that waits for it.
const HAS_PROC = fs.existsSync('/proc/self/stat');
const CLK_TCK = (() => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  return Number(r.stdout) || 100;
})();
function childCpuSeconds() {
  if (!HAS_PROC) return NaN;
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from 3 on
  return (Number(f[13]) + Number(f[14])) / CLK_TCK; // cutime, cstime
}

// Issue 15's targets: render and check --full within 3x the floor (CPU), 10x less than CDK for
// Terraform, peak RSS, per-VM growth from 1k to 10k.
const TARGETS = { vsFloor: 3, fasterThanCdk: 10, peakMiB: 200, perVmGrowth: 1.3 };

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

/** Runs `node <args>` as a whole process; returns its wall time (s), CPU time with children (s), peak RSS (MiB) and output. */
function measure(label, n, args, cwd, env = {}) {
  const rssFile = path.join(WORK, `maxrss-${process.pid}`);
  fs.rmSync(rssFile, { force: true });
  const cpu0 = childCpuSeconds();
  const started = process.hrtime.bigint();
  const res = spawnSync(process.execPath, ['--require', MAXRSS, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, ...env, BENCH_MAXRSS_FILE: rssFile },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = childCpuSeconds() - cpu0;
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
  return { seconds, cpu, mib: kib / 1024, stdout: res.stdout };
}

// ---- one size ------------------------------------------------------------------------------------

function workspace(n) {
  const root = path.join(SPACE, `vms-${n}`);
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(path.join(root, 'environments/synth'), { recursive: true });
  // Outside the repository (tmpfs) the workspace needs its own node_modules: one symlink per entry
  // of the repository's, so packages resolve while the render cache (node_modules/.cache) stays
  // the workspace's own.
  if (SPACE !== WORK) {
    fs.mkdirSync(path.join(root, 'node_modules'));
    for (const e of fs.readdirSync(path.join(REPO, 'node_modules'))) {
      if (e !== '.cache') fs.symlinkSync(path.join(REPO, 'node_modules', e), path.join(root, 'node_modules', e));
    }
    for (const f of ['tsconfig.json', 'tsconfig.base.json']) {
      if (fs.existsSync(path.join(REPO, f))) fs.symlinkSync(path.join(REPO, f), path.join(root, f));
    }
  }
  fs.writeFileSync(path.join(root, 'environments/synth/index.ts'),
    `import { syntheticEnvironment } from '@infra/synthetic';\nexport default syntheticEnvironment({ name: 'synth', vms: ${n} });\n`);
  return root;
}

/** The same environment with 1% of its hosts (agents added to their racks) and 1% of its apps (image bumped) changed. */
function changedDefinition(n) {
  return `import { syntheticEnvironment } from '@infra/synthetic';
const env = syntheticEnvironment({ name: 'synth', vms: ${n} });
const agents = env.hostGroups.filter((g) => g.role === 'mesos-agent');
const hosts = Math.max(1, Math.round(${n} / 100));
for (let i = 0; i < hosts; i++) (agents[i % agents.length].hosts as string[]).push(\`agent-\${${n} + i + 1}\`);
const apps = Math.max(1, Math.round(env.apps.length / 100));
env.apps.forEach((a, i) => { if (i % Math.floor(env.apps.length / apps) === 0 && i / Math.floor(env.apps.length / apps) < apps) a.image = a.image.replace(/:1\\.(\\d+)\\.0$/, ':1.$1.1'); });
export default env;
`;
}

/**
 * Two commits for the diff measure: the workspace's definition rendered (A), then the changed
 * one rendered (B). The workspace is left at A, rendered and up to date, for the other measures.
 */
function diffCommits(n, root) {
  const env = { ...process.env, INFRA_ROOT: root, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.net', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.net' };
  const run = (cmd, args) => {
    const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', env, maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`bench: ${cmd} ${args.join(' ')} failed at N=${n}: ${r.stderr}`);
    return r.stdout.trim();
  };
  fs.writeFileSync(path.join(root, '.gitignore'), 'node_modules/\n');
  run(process.execPath, [BIN, 'render']);
  run('git', ['init', '-q', '-b', 'main']);
  run('git', ['add', '-A']);
  run('git', ['commit', '-qm', 'A']);
  const a = run('git', ['rev-parse', 'HEAD']);
  fs.writeFileSync(path.join(root, 'environments/synth/index.ts'), changedDefinition(n));
  run(process.execPath, [BIN, 'render']);
  run('git', ['add', '-A']);
  run('git', ['commit', '-qm', 'B']);
  const b = run('git', ['rev-parse', 'HEAD']);
  const files = run('git', ['diff', '--name-only', a, b, '--', 'rendered/']).split('\n').filter(Boolean).length;
  // Back to A (definition and rendered/ together): the other measures use it.
  run('git', ['checkout', '-q', a]);
  return { a, b, files };
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
/**
 * CDK for Terraform, bench only: bench/cdk/package.json (pinned, with its lock) installed with
 * `npm ci` into bench/work/cdk on first use (again when the lock changes). Returns
 * { ok, reason, info }.
 */
function ensureCdk() {
  const lock = fs.readFileSync(path.join(CDK_SRC, 'package-lock.json'), 'utf8');
  const versions = JSON.parse(fs.readFileSync(path.join(CDK_SRC, 'package.json'), 'utf8')).dependencies;
  const installed = path.join(CDK_DIR, 'package-lock.json');
  if (!(fs.existsSync(installed) && fs.readFileSync(installed, 'utf8') === lock && fs.existsSync(path.join(CDK_DIR, 'node_modules/cdktf')))) {
    process.stderr.write(`  installing CDK for Terraform (bench only) into ${path.relative(REPO, CDK_DIR)} ... `);
    fs.rmSync(CDK_DIR, { recursive: true, force: true });
    fs.mkdirSync(CDK_DIR, { recursive: true });
    fs.copyFileSync(path.join(CDK_SRC, 'package.json'), path.join(CDK_DIR, 'package.json'));
    fs.copyFileSync(path.join(CDK_SRC, 'package-lock.json'), path.join(CDK_DIR, 'package-lock.json'));
    const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: CDK_DIR, encoding: 'utf8' });
    if (r.status !== 0) {
      fs.rmSync(path.join(CDK_DIR, 'package-lock.json'), { force: true });
      const reason = `npm ci of bench/cdk failed: ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-3).join(' ')}`;
      process.stderr.write('failed\n');
      return { ok: false, reason, info: { measured: false, reason, versions } };
    }
    process.stderr.write('done\n');
  }
  return { ok: true, info: { measured: true, versions, program: 'bench/cdk/synth.js' } };
}

/** The VMs of rendered/<env>/terraform as the plain settings bench/cdk/synth.js builds constructs from. */
function cdkSpec(envDir, env) {
  const dir = path.join(envDir, 'terraform');
  const main = JSON.parse(fs.readFileSync(path.join(dir, 'main.tf.json'), 'utf8'));
  const ref = (text) => /^\$\{data\.vsphere_network\.([^.]+)\.id\}$/.exec(text)?.[1];
  const spec = {
    env,
    server: main.provider?.vsphere?.vsphere_server,
    datacenter: main.data.vsphere_datacenter.datacenter.name,
    datastore: main.data.vsphere_datastore.datastore.name,
    cluster: main.data.vsphere_compute_cluster.cluster.name,
    template: main.data.vsphere_virtual_machine.stemcell.name,
    networks: Object.fromEntries(Object.entries(main.data.vsphere_network).map(([id, d]) => [id, d.name])),
    userData: {},
    vms: [],
  };
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.tf.json')).sort()) {
    const j = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    for (const [k, v] of Object.entries(j.locals ?? {})) if (k.startsWith('userdata_')) spec.userData[k.slice('userdata_'.length)] = v;
    for (const r of Object.values(j.resource?.vsphere_virtual_machine ?? {})) {
      const c = r.clone.customize;
      const userData = /^\$\{local\.userdata_(.+)\}$/.exec(r.extra_config?.['guestinfo.userdata'] ?? '')?.[1];
      spec.vms.push({
        name: r.name, annotation: r.annotation, folder: r.folder, cpus: r.num_cpus, memory: r.memory,
        network: ref(r.network_interface.network_id),
        disks: [r.disk].flat().map((d) => ({ label: d.label, size: d.size, unitNumber: d.unit_number, attach: d.attach, path: d.path })),
        dnsServers: c.dns_server_list, dnsSuffixes: c.dns_suffix_list, gateway: c.ipv4_gateway, domain: c.linux_options.domain,
        ip: c.network_interface.ipv4_address, netmask: c.network_interface.ipv4_netmask,
        userData, replaceTrigger: r.replace_trigger, ignoreChanges: r.lifecycle?.ignore_changes,
      });
    }
  }
  return spec;
}

/** How many vsphere_virtual_machine resources CDK synthesised into OUTDIR. */
function cdkVmCount(outDir) {
  const stacks = path.join(outDir, 'stacks');
  if (!fs.existsSync(stacks)) return 0;
  let count = 0;
  for (const s of fs.readdirSync(stacks)) {
    const j = JSON.parse(fs.readFileSync(path.join(stacks, s, 'cdk.tf.json'), 'utf8'));
    count += Object.keys(j.resource?.vsphere_virtual_machine ?? {}).length;
  }
  return count;
}

function prepare(n, cdk) {
  const root = workspace(n);
  const rendered = path.join(root, 'rendered');
  const floorOut = path.join(SPACE, `vms-${n}-floor`);
  const floorBlob = path.join(SPACE, `vms-${n}-floor.json`);
  const env = { INFRA_ROOT: root };
  const commits = diffCommits(n, root);
  // The floor's input: every file render wrote (all kinds and the manifests), packed once, here,
  // outside any timed window.
  fs.writeFileSync(floorBlob, JSON.stringify(packTree(rendered)));
  // CDK's input, the same VMs' settings, likewise prepared outside the timed window.
  const cdkSpecFile = path.join(SPACE, `vms-${n}-cdk-spec.json`);
  const cdkOut = path.join(SPACE, `vms-${n}-cdk`);
  const spec = cdkSpec(path.join(rendered, 'synth'), 'synth');
  fs.writeFileSync(cdkSpecFile, JSON.stringify(spec));
  // A timed write starts from an empty directory whose old tree was renamed aside before the
  // clock starts and is deleted after it stops: the delete's work never lands in the measure.
  let aside = 0;
  const moveAside = (dir) => () => { if (fs.existsSync(dir)) fs.renameSync(dir, `${dir}.aside-${++aside}`); };
  const dropAside = (dir) => () => { for (let k = aside; k > 0; k--) fs.rmSync(`${dir}.aside-${k}`, { recursive: true, force: true }); };
  const measures = [
    { key: 'render', label: 'render (clean)', before: moveAside(rendered), after: dropAside(rendered), args: [BIN, 'render'], env },
    { key: 'unchanged', label: 'render (unchanged)', args: [BIN, 'render'], env },
    { key: 'check', label: 'check', args: [BIN, 'check'], env },
    { key: 'check_full', label: 'check --full', args: [BIN, 'check', '--full'], env },
    { key: 'floor', label: 'floor', before: moveAside(floorOut), after: dropAside(floorOut), args: [FLOOR, floorBlob, floorOut] },
    { key: 'diff', label: 'diff', args: [BIN, 'diff', '--base', commits.a, '--head', commits.b, '--format', 'json'], env },
  ];
  if (cdk.ok) measures.push({ key: 'cdk', label: 'CDK for Terraform synth', before: moveAside(cdkOut), after: dropAside(cdkOut), args: [CDK_SYNTH, CDK_DIR, cdkSpecFile, cdkOut] });
  const warm = {};
  for (const m of measures) {
    m.before?.();
    warm[m.key] = measure(`${m.label} (warm-up)`, n, m.args, root, m.env).seconds;
    m.after?.();
  }
  return {
    n, root, floorOut, floorBlob, cdkSpecFile, cdkOut, measures, runs: defaultRuns(n),
    cdkVms: cdk.ok ? cdkVmCount(cdkOut) : null,
    specVms: spec.vms.length,
    costOfRun: Object.values(warm).reduce((a, b) => a + b, 0),
    diffFiles: commits.files,
    output: treeBytes(rendered),
    floorMatch: sameTree(rendered, floorOut),
  };
}

/** Every directory and file under `dir` (relative paths, sorted), file contents as UTF-8 text. */
function packTree(dir) {
  const dirs = [];
  const files = [];
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const abs = path.join(e.parentPath ?? e.path, e.name);
    const rel = path.relative(dir, abs);
    if (e.isDirectory()) dirs.push(rel);
    else if (e.isFile()) files.push([rel, fs.readFileSync(abs, 'utf8')]);
  }
  dirs.sort();
  files.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  // mkdir -p of the leaves only, as a writer would.
  return { dirs: dirs.filter((d) => !dirs.some((o) => o.startsWith(d + path.sep))), files };
}

/** Whether two trees hold the same files with the same bytes. */
function sameTree(a, b) {
  const list = (d) => fs.readdirSync(d, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
    .map((e) => path.relative(d, path.join(e.parentPath ?? e.path, e.name))).sort();
  const la = list(a);
  const lb = list(b);
  if (la.join('\n') !== lb.join('\n')) return `different file sets: ${la.length} rendered / ${lb.length} floor`;
  const differing = la.filter((f) => !fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f))));
  return differing.length ? `bytes differ in ${differing.length} file(s), e.g. ${differing[0]}` : 'identical';
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
      m.after?.();
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
    fs.rmSync(plan.floorOut, { recursive: true, force: true });
    fs.rmSync(plan.floorBlob, { force: true });
    fs.rmSync(plan.cdkOut, { recursive: true, force: true });
    fs.rmSync(plan.cdkSpecFile, { force: true });
  }

  const s = (key) => median(samples[key].map((r) => r.seconds));
  const mib = (key) => median(samples[key].map((r) => r.mib));
  const cpu = (key) => median(samples[key].map((r) => r.cpu));
  const round = (x, d) => Number(x.toFixed(d));
  return {
    vms: n,
    render_s: round(s('render'), 3),
    render_unchanged_s: round(s('unchanged'), 3),
    check_s: round(s('check'), 3),
    render_peak_mib: round(mib('render'), 1),
    // Extra fields (after the ones issue 5 fixes):
    check_full_s: round(s('check_full'), 3),
    render_unchanged_peak_mib: round(mib('unchanged'), 1),
    check_peak_mib: round(mib('check'), 1),
    check_full_peak_mib: round(mib('check_full'), 1),
    render_ms_per_vm: round((s('render') * 1000) / n, 4),
    runs,
    rendered_files: plan.output.files,
    rendered_mib: round(plan.output.bytes / 2 ** 20, 2),
    unchanged_render_files_written: rewrites,
    diff_s: round(s('diff'), 3),
    diff_peak_mib: round(mib('diff'), 1),
    diff_rendered_files_changed: plan.diffFiles,
    // Issue 15: the floor (the same file set as render, from one blob, plain fs), CPU time (user +
    // sys of the process and its children) beside wall time, on tmpfs when there is one.
    floor_s: round(s('floor'), 3),
    floor_peak_mib: round(mib('floor'), 1),
    floor_vs_rendered: plan.floorMatch,
    render_cpu_s: round(cpu('render'), 3),
    render_unchanged_cpu_s: round(cpu('unchanged'), 3),
    check_cpu_s: round(cpu('check'), 3),
    check_full_cpu_s: round(cpu('check_full'), 3),
    floor_cpu_s: round(cpu('floor'), 3),
    diff_cpu_s: round(cpu('diff'), 3),
    render_vs_floor_cpu: round(cpu('render') / cpu('floor'), 2),
    render_vs_floor_wall: round(s('render') / s('floor'), 2),
    check_full_vs_floor_cpu: round(cpu('check_full') / cpu('floor'), 2),
    check_full_vs_floor_wall: round(s('check_full') / s('floor'), 2),
    render_cpu_ms_per_vm: round((cpu('render') * 1000) / n, 4),
    workspace_fs: SHM ? 'tmpfs (/dev/shm)' : 'disk (bench/work)',
    rendered_vms: plan.specVms,
    ...(samples.cdk ? {
      cdk_s: round(s('cdk'), 3),
      cdk_cpu_s: round(cpu('cdk'), 3),
      cdk_peak_mib: round(mib('cdk'), 1),
      cdk_vms: plan.cdkVms,
      cdk_vs_render_cpu: round(cpu('cdk') / cpu('render'), 2),
      cdk_vs_render_wall: round(s('cdk') / s('render'), 2),
    } : { cdk_s: null, cdk_cpu_s: null, cdk_vs_render_cpu: null }),
  };
}

// ---- report --------------------------------------------------------------------------------------

function table(rows) {
  const x = (v) => `${v.toFixed(2)}x`;
  const cols = [
    ['N', (r) => String(r.vms)],
    ['render_s', (r) => r.render_s.toFixed(3)],
    ['render_cpu', (r) => r.render_cpu_s.toFixed(3)],
    ['full_s', (r) => r.check_full_s.toFixed(3)],
    ['full_cpu', (r) => r.check_full_cpu_s.toFixed(3)],
    ['floor_s', (r) => r.floor_s.toFixed(3)],
    ['floor_cpu', (r) => r.floor_cpu_s.toFixed(3)],
    ['render/floor', (r) => `${x(r.render_vs_floor_cpu)} cpu ${x(r.render_vs_floor_wall)} wall`],
    ['full/floor', (r) => `${x(r.check_full_vs_floor_cpu)} cpu ${x(r.check_full_vs_floor_wall)} wall`],
    ['cdk_s', (r) => (r.cdk_s == null ? 'n/m' : r.cdk_s.toFixed(3))],
    ['cdk/render', (r) => (r.cdk_vs_render_cpu == null ? 'n/m' : `${x(r.cdk_vs_render_cpu)} cpu`)],
    ['unch_s', (r) => r.render_unchanged_s.toFixed(3)],
    ['check_s', (r) => r.check_s.toFixed(3)],
    ['peak_MiB', (r) => peakOf(r).toFixed(1)],
    ['cpu_ms/VM', (r) => r.render_cpu_ms_per_vm.toFixed(3)],
    ['diff_s', (r) => r.diff_s.toFixed(3)],
  ];
  const cells = [cols.map(([h]) => h), ...rows.map((r) => cols.map(([, f]) => f(r)))];
  const widths = cols.map((_, i) => Math.max(...cells.map((c) => c[i].length)));
  const line = (c) => c.map((v, i) => v.padStart(widths[i])).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** The largest peak RSS of render, unchanged render, check and check --full at one N. */
const peakOf = (r) => Math.max(r.render_peak_mib, r.render_unchanged_peak_mib, r.check_peak_mib, r.check_full_peak_mib);

/**
 * The targets of issue 15 (CPU medians; each judged at 5,000 VMs when measured, else at the
 * largest N measured, and said so): { lines, missed }. The issue 5/12 lines that remain are
 * reported for continuity and do not set the exit code.
 */
function targets(rows, cdk) {
  const at = (n) => rows.find((r) => r.vms === n);
  const lines = [];
  let missed = 0;
  const judge = (ok) => { if (!ok) missed++; return ok ? 'met' : 'NOT met'; };
  const big = at(5000) ?? rows[rows.length - 1];
  const where = `at N=${big.vms}${big.vms === 5000 ? '' : ' (5000 not measured)'}`;
  lines.push(`render <= ${TARGETS.vsFloor}x the floor (CPU) ${where}: ${big.render_vs_floor_cpu.toFixed(2)}x (wall ${big.render_vs_floor_wall.toFixed(2)}x) -> ${judge(big.render_vs_floor_cpu <= TARGETS.vsFloor)}`);
  lines.push(`check --full <= ${TARGETS.vsFloor}x the floor (CPU) ${where}: ${big.check_full_vs_floor_cpu.toFixed(2)}x (wall ${big.check_full_vs_floor_wall.toFixed(2)}x) -> ${judge(big.check_full_vs_floor_cpu <= TARGETS.vsFloor)}`);
  if (big.cdk_cpu_s != null) {
    const others = rows.filter((r) => r !== big && r.cdk_cpu_s != null).map((r) => `${r.vms}: ${r.cdk_vs_render_cpu.toFixed(2)}x`);
    lines.push(`CDK for Terraform >= ${TARGETS.fasterThanCdk}x render's CPU ${where}: CDK ${big.cdk_cpu_s.toFixed(3)} s / render ${big.render_cpu_s.toFixed(3)} s = ${big.cdk_vs_render_cpu.toFixed(2)}x (wall ${big.cdk_vs_render_wall.toFixed(2)}x; ${others.join(', ')}) -> ${judge(big.cdk_vs_render_cpu >= TARGETS.fasterThanCdk)}`);
  } else {
    missed++;
    lines.push(`CDK for Terraform >= ${TARGETS.fasterThanCdk}x render: not measured (${cdk.reason}) -> NOT met`);
  }
  const peak = peakOf(big);
  const peaks = rows.filter((r) => r !== big).map((r) => `${r.vms}: ${peakOf(r).toFixed(1)}`);
  lines.push(`peak memory <= ${TARGETS.peakMiB} MiB ${where} (largest of render, unchanged, check, check --full): ${peak.toFixed(1)} MiB (${peaks.join(', ')}) -> ${judge(peak <= TARGETS.peakMiB)}`);
  // Per-VM cost: total/N hides growth behind the fixed cost (it falls with N), so the target is
  // judged on the marginal cost, the slope of render CPU between two sizes: 100 -> 1000 against
  // 5000 -> 10000 (or the nearest sizes measured). total/N is printed beside it.
  const slope = (lo, hi) => ((hi.render_cpu_s - lo.render_cpu_s) * 1000) / (hi.vms - lo.vms);
  const r1 = at(1000);
  const r10 = at(10000);
  const below1 = rows.filter((r) => r.vms < 1000).pop();
  const below10 = rows.filter((r) => r.vms < 10000 && r.vms > 1000).pop();
  if (r1 && r10 && below1 && below10) {
    const s1 = slope(below1, r1);
    const s10 = slope(below10, r10);
    const g = s10 / s1;
    lines.push(`render CPU per added VM at 10000 <= ${TARGETS.perVmGrowth}x that at 1000: ${s1.toFixed(3)} ms/VM (${below1.vms}->1000) -> ${s10.toFixed(3)} ms/VM (${below10.vms}->10000), ${g.toFixed(2)}x (total/N: ${r1.render_cpu_ms_per_vm.toFixed(3)} -> ${r10.render_cpu_ms_per_vm.toFixed(3)} ms/VM) -> ${judge(g <= TARGETS.perVmGrowth)}`);
  } else {
    lines.push(`render CPU per added VM at 10000 <= ${TARGETS.perVmGrowth}x that at 1000: not measured (needs N=1000 and N=10000 and a size below each)`);
  }
  const info = [];
  const r5 = at(5000);
  for (const [key, name] of [['render_unchanged_s', 'render unchanged'], ['check_s', 'check']]) {
    const each = rows.map((r) => `${r.vms}: ${(r[key] / r.floor_s).toFixed(2)}x`);
    info.push(`${name} against the floor (wall; issue 5 asked <= 1.5x its Terraform-only baseline, which the floor supersedes): ${each.join(', ')}`);
  }
  if (r5) info.push(`diff 5000 < 1 s and <= 2x check --full (issue 12): ${r5.diff_s.toFixed(3)} s, ${(r5.diff_s / r5.check_full_s).toFixed(2)}x`);
  return { lines, info, missed };
}

function machine() {
  const cpus = os.cpus();
  return `${cpus[0]?.model.trim() || 'unknown CPU'}, ${cpus.length} cores, Node ${process.version}, ${os.platform()} ${os.arch()}`;
}

// ---- main ----------------------------------------------------------------------------------------

function main() {
  fs.mkdirSync(WORK, { recursive: true });
  fs.mkdirSync(SPACE, { recursive: true });
  const loadBefore = os.loadavg().map((l) => Number(l.toFixed(2)));
  const started = Date.now();
  const cdk = ensureCdk();
  const rows = [];
  process.stderr.write(`bench: N = ${sizes.join(', ')}${smoke ? ' (smoke)' : ''}\n`);
  const plans = [];
  for (const n of sizes) {
    process.stderr.write(`  warm-up N=${n}: `);
    const plan = prepare(n, cdk);
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
  const own = ownCheck();
  const result = { machine: machine(), load_before: loadBefore, load_after: os.loadavg().map((l) => Number(l.toFixed(2))), workspace_fs: SHM ? 'tmpfs (/dev/shm)' : 'disk (bench/work)', cdk: cdk.info, own_environments_check: own, rows };
  fs.writeFileSync(resultsFile, JSON.stringify(result, null, 2) + '\n');
  if (SPACE !== WORK && !process.env.BENCH_KEEP) fs.rmSync(SPACE, { recursive: true, force: true });

  console.log(`\nMachine: ${result.machine}; load average before ${loadBefore.join(' ')}, after ${result.load_after.join(' ')}.`);
  console.log(`Medians of ${[...new Set(rows.map((r) => r.runs))].join('/')} run(s), whole processes; wall time and CPU time (user + sys with children), workspaces on ${result.workspace_fs}.\n`);
  console.log(table(rows));
  console.log(`\ninfra check on the repository's own environments: ${own.check_s.toFixed(3)} s wall, ${own.check_cpu_s.toFixed(3)} s CPU; node -e 0: ${own.node_s.toFixed(3)} s wall, ${own.node_cpu_s.toFixed(3)} s CPU (medians of ${own.runs}).`);
  const t = targets(rows, cdk);
  console.log('\nTargets (issue 15):');
  for (const line of t.lines) console.log(`  ${line}`);
  console.log('For continuity (not judged):');
  for (const line of t.info) console.log(`  ${line}`);
  const notes = [];
  for (const r of rows) {
    if (r.unchanged_render_files_written > 0) notes.push(`N=${r.vms}: the unchanged render rewrote ${r.unchanged_render_files_written} file(s)`);
    if (r.cdk_vms != null && r.cdk_vms !== r.rendered_vms) notes.push(`N=${r.vms}: CDK synthesised ${r.cdk_vms} VMs, render ${r.rendered_vms}`);
    if (r.floor_vs_rendered !== 'identical') notes.push(`N=${r.vms}: floor vs rendered: ${r.floor_vs_rendered}`);
  }
  if (notes.length) console.log(`\nNotes:\n${notes.map((n) => `  ${n}`).join('\n')}`);
  const total = (Date.now() - started) / 1000;
  // The apply bench (issue 13) runs on its own: its own process and results file.
  if (!smoke && !process.env.BENCH_SIZES) spawnSync(process.execPath, [path.join(__dirname, 'apply.js')], { stdio: 'inherit' });
  console.log(`\nWrote ${path.relative(REPO, resultsFile)} in ${total.toFixed(1)} s${total > BUDGET_S ? ` (over the ${BUDGET_S} s budget)` : ''}.`);
  // The smoke run (N=100, one run) proves the bench works; its ratios judge nothing.
  if (smoke) return 0;
  if (t.missed) console.log(`${t.missed} target(s) of issue 15 missed: exit code 1.`);
  return t.missed ? 1 : 0;
}

/**
 * `infra check` on the repository's own environments (what users run on every edit; a warm cache,
 * one untimed run first) next to `node -e 0`, interleaved, medians.
 */
function ownCheck() {
  const runs = smoke ? 1 : 5;
  const checks = [];
  const nodes = [];
  measure('own check (warm-up)', 0, [BIN, 'check'], REPO);
  for (let i = 0; i < runs; i++) {
    checks.push(measure('own check', 0, [BIN, 'check'], REPO));
    nodes.push(measure('node -e 0', 0, ['-e', '0'], REPO));
  }
  const m = (xs, k) => Number(median(xs.map((r) => r[k])).toFixed(3));
  return { check_s: m(checks, 'seconds'), check_cpu_s: m(checks, 'cpu'), node_s: m(nodes, 'seconds'), node_cpu_s: m(nodes, 'cpu'), runs };
}

const code = main();
// The sidecar's figures (issue 16): bench/sidecar.js (BENCH_SIDECAR=0 leaves them out).
if (process.env.BENCH_SIDECAR === '0') process.exit(code);
require('./sidecar').main({ smoke }).then(() => process.exit(code), (err) => {
  process.stderr.write(`sidecar bench FAILED: ${err.stack || err.message}\n`);
  process.exit(1);
});
