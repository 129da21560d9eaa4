import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dataHolding, vmMarks } from '@infra/generator-terraform';
import type { ApplyKinds } from '../kinds';
import { MarathonClient } from '../marathon-client';
import { SshShell } from '../hosts';
import { EMPTY, scenario, type Scenario } from '../testing/scenario';
import { renderedTree } from '../testing/trees';
import { environmentDrift, type DriftWorld } from './drift';
import { driftJson, driftMarkdown, driftText } from './report';
import { driftExit, type DriftReport, type EnvironmentDrift } from './types';
import { driftPath } from '../testing/drift-world';

// Drift against the world apply leaves: the stand-in terraform's state, the loopback Marathon,
// the stand-in hosts — first right after a clean apply (nothing to report), then after each kind
// of change made by hand, one at a time, each undone before the next.

const KINDS: ApplyKinds = { dataHolding, vmMarks, marathonDependencies: (app) => (app.dependencies ?? []) as string[] };
const C1 = 'c1'.padEnd(40, '0');
// The real patch plans address lenexa's real hosts, which no test can reach: this test's own
// plan (below) stands for them.
const lenexa = new Map([...renderedTree('lenexa')].filter(([p]) => !p.startsWith('patches/')));
const NN = 'hdp-nn-01.lenexa.example.net';
const PATCH_HOSTS = ['db-ledger-01', 'db-customer-01'];
// A patch plan in the format of the stateful-hosts issue; apply's patch step probes real
// addresses, so the hosts are set up as patched and the plan is part of the applied rendering.
const PLAN = { '//': 'generated', group: 'db', source: 'vm', patchLevel: 'stemcell-1+p1', packages: [{ name: 'libssl1.0.0', version: '1.0.1f-1ubuntu2.27' }, { name: 'openssl', version: '1.0.1f-1ubuntu2.27' }], reboot: false,
  steps: PATCH_HOSTS.map((host, i) => ({ host, address: `10.20.5.${10 + i}`, reboot: false, health: { kind: 'tcp', port: 5432 } })) };
const applied = new Map([...lenexa, ['patches/db.json', JSON.stringify(PLAN, null, 2) + '\n']]);

interface Ctx { s: Scenario; world: DriftWorld; lines: string[] }
const Drift = suite<Ctx>('drift');

Drift.before(async (ctx) => {
  ctx.s = await scenario(KINDS);
  const out = await ctx.s.apply(EMPTY, { commit: C1, tree: lenexa });
  assert.is(out.exit, 0, ctx.s.lines.join('\n'));
  const hosts = ctx.s.world.env.FAKE_HOSTS!;
  for (const h of PATCH_HOSTS) {
    fs.mkdirSync(path.join(hosts, h, 'var/lib/dpkg'), { recursive: true });
    fs.writeFileSync(path.join(hosts, h, 'var/lib/dpkg/installed'), PLAN.packages.map((p) => `${p.name}=${p.version}\n`).join(''));
  }
  ctx.lines = [];
  const env = driftPath(ctx.s.world.env);
  ctx.world = {
    workDir: path.join(ctx.s.world.dir, 'work'), env, shell: new SshShell(env), log: (l) => ctx.lines.push(l),
    marathon: new MarathonClient({ url: ctx.s.marathon.url, backoff: { baseMs: 5, maxMs: 10, attempts: 2 } }),
  };
});
Drift.after(async (ctx) => ctx.s.stop());

async function drift(ctx: Ctx, world: Partial<DriftWorld> = {}, head = applied): Promise<{ e: EnvironmentDrift; report: DriftReport; text: string }> {
  const record = await ctx.s.record.read('lenexa');
  const e = await environmentDrift({ env: 'lenexa', record, applied, head }, { ...ctx.world, ...world });
  const report: DriftReport = { schema: 'infra.drift/v1', base: { ref: 'applied', sha: C1 }, head: { ref: 'HEAD', sha: C1 }, environments: [e] };
  return { e, report, text: driftText(report) };
}

const app = (ctx: Ctx, id: string) => ctx.s.marathon.apps.get(id) as Record<string, unknown> & { env: Record<string, unknown> };

Drift('right after a clean apply: no drift in any system (Marathon defaults, versions, assigned ports set aside)', async (ctx) => {
  const { e, report, text } = await drift(ctx);
  assert.is(e.status, 'in-sync', text);
  assert.equal(Object.values(e.systems).map((s) => s.status), ['in-sync', 'in-sync', 'in-sync', 'in-sync'], text);
  assert.is(driftExit(report), 0);
  assert.match(text, /lenexa: no drift \(applied c1000000000/);
  // The loopback GET really did fill things in: the comparison had work to do.
  const live = await ctx.world.marathon!.getApp('/web/storefront');
  assert.ok(live && 'version' in live && 'backoffSeconds' in live && (live.container as { portMappings: { servicePort?: number }[] }).portMappings[0].servicePort !== undefined);
});

Drift('an app scaled by hand: the app and the field named, exit 1', async (ctx) => {
  app(ctx, '/web/storefront').instances = 9;
  try {
    const { e, report, text } = await drift(ctx);
    assert.is(e.status, 'drift');
    assert.is(driftExit(report), 1);
    assert.equal(e.drift.marathon, [{ id: '/web/storefront', kind: 'changed', fields: [{ path: 'instances', applied: 6, live: 9 }] }]);
    assert.match(text, '/web/storefront: instances: 6 → 9');
    assert.equal(e.drift.terraform, []);
  } finally {
    app(ctx, '/web/storefront').instances = 6;
  }
});

Drift('an env var changed and one added by hand: both named', async (ctx) => {
  const env = app(ctx, '/catalog/search').env;
  const before = { ...env };
  env.SIDECAR_WAIT_SECONDS = '300';
  env.DEBUG = '1';
  try {
    const { e } = await drift(ctx);
    assert.equal(e.drift.marathon, [{ id: '/catalog/search', kind: 'changed', fields: [{ path: 'env.DEBUG', live: '1' }, { path: 'env.SIDECAR_WAIT_SECONDS', applied: '30', live: '300' }] }]);
  } finally {
    app(ctx, '/catalog/search').env = before;
  }
});

Drift('an app added by hand is listed apart and left alone; a managed app deleted by hand is missing', async (ctx) => {
  ctx.s.marathon.apps.set('/ops/debug-shell', { id: '/ops/debug-shell', cmd: 'sleep 3600', instances: 1, labels: { OWNER: 'ops' } });
  const gone = ctx.s.marathon.apps.get('/reports/builder')!;
  ctx.s.marathon.apps.delete('/reports/builder');
  const puts = ctx.s.marathon.requests.filter((r) => r.method !== 'GET').length;
  try {
    const { e, text } = await drift(ctx);
    assert.equal(e.unmanaged, ['/ops/debug-shell']);
    assert.equal(e.drift.marathon.map((d) => [d.id, d.kind]), [['/reports/builder', 'missing']]);
    assert.match(text, 'not managed by infra (listed, not drift): /ops/debug-shell');
    assert.is(ctx.s.marathon.requests.filter((r) => r.method !== 'GET').length, puts, 'drift only reads');
    // Unmanaged alone is not drift.
    ctx.s.marathon.apps.set('/reports/builder', gone);
    const again = await drift(ctx);
    assert.is(again.e.status, 'in-sync', again.text);
    assert.is(again.e.counts.unmanagedApps, 1);
  } finally {
    ctx.s.marathon.apps.delete('/ops/debug-shell');
    ctx.s.marathon.apps.set('/reports/builder', gone);
  }
});

Drift('a host file edited on the NameNode, and a host meant to be decommissioned back in service', async (ctx) => {
  const hosts = ctx.s.world.env.FAKE_HOSTS!;
  const exclude = path.join(hosts, NN, 'etc/hadoop/conf/dfs.hosts.exclude');
  const nnState = path.join(hosts, NN, 'var/lib/fake-namenode.json');
  const [file, state] = [fs.readFileSync(exclude, 'utf8'), fs.readFileSync(nnState, 'utf8')];
  fs.writeFileSync(exclude, file.replace('hdp-dn-06.lenexa.example.net\n', 'hdp-dn-05.lenexa.example.net\n'));
  const s = JSON.parse(state);
  s.nodes['hdp-dn-06.lenexa.example.net'] = { status: 'Normal' };
  fs.writeFileSync(nnState, JSON.stringify(s));
  try {
    const { e, text } = await drift(ctx);
    assert.is(e.systems.hadoop.status, 'drift');
    assert.equal(e.drift.hadoop, [
      { cluster: 'hbase-lenexa', host: NN, kind: 'file', file: '/etc/hadoop/conf/dfs.hosts.exclude', missing: ['hdp-dn-06.lenexa.example.net'], extra: ['hdp-dn-05.lenexa.example.net'] },
      { cluster: 'hbase-lenexa', host: NN, kind: 'namenode', datanode: 'hdp-dn-06.lenexa.example.net', expected: 'Decommission In Progress or Decommissioned', reported: 'Normal' },
    ]);
    assert.match(text, `${NN}:/etc/hadoop/conf/dfs.hosts.exclude differs from its rendering; lacks: hdp-dn-06.lenexa.example.net; has besides: hdp-dn-05.lenexa.example.net`);
  } finally {
    fs.writeFileSync(exclude, file);
    fs.writeFileSync(nnState, state);
  }
});

Drift('a VM changed in vCenter and one deleted: terraform plan -refresh-only names them; nothing applied', async (ctx) => {
  const before = fs.readFileSync(ctx.s.world.statePath, 'utf8');
  ctx.s.world.editState((st) => {
    st.resources['vsphere_virtual_machine.crm-app-01'].values.num_cpus = 8;
    delete st.resources['vsphere_virtual_machine.billing-app-01'];
  });
  const edited = fs.readFileSync(ctx.s.world.statePath, 'utf8');
  try {
    const { e, text } = await drift(ctx);
    assert.equal(e.drift.terraform, [
      { address: 'vsphere_virtual_machine.billing-app-01', action: 'delete', attributes: [] },
      { address: 'vsphere_virtual_machine.crm-app-01', action: 'update', attributes: [{ path: 'num_cpus', applied: 4, live: 8 }] },
    ]);
    assert.match(text, 'vsphere_virtual_machine.crm-app-01: changed outside the tool (num_cpus: 4 → 8)');
    assert.is(fs.readFileSync(ctx.s.world.statePath, 'utf8'), edited, 'the state was not written');
    const plans = ctx.s.world.calls().filter((c) => c.args.includes('-refresh-only'));
    assert.ok(plans.length >= 1 && plans.every((c) => c.args.includes('-detailed-exitcode') && c.args.includes('-lock=false') && !c.cwd.includes(`${path.sep}rendered${path.sep}`) && c.TF_IN_AUTOMATION === '1'));
    assert.not.ok(ctx.s.world.calls().some((c) => c.args[0] === 'apply' && c.cwd.includes('terraform-drift')));
  } finally {
    fs.writeFileSync(ctx.s.world.statePath, before);
  }
});

Drift('a patch that never reached a host, and a package changed by hand', async (ctx) => {
  const file = path.join(ctx.s.world.env.FAKE_HOSTS!, 'db-customer-01', 'var/lib/dpkg/installed');
  const before = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, 'openssl=1.0.1f-1ubuntu2.26\n');
  try {
    const { e, text } = await drift(ctx);
    assert.equal(e.drift.patches, [
      { group: 'db', host: 'db-customer-01', package: 'libssl1.0.0', expected: '1.0.1f-1ubuntu2.27', installed: null },
      { group: 'db', host: 'db-customer-01', package: 'openssl', expected: '1.0.1f-1ubuntu2.27', installed: '1.0.1f-1ubuntu2.26' },
    ]);
    assert.match(text, 'db-customer-01 (db): openssl 1.0.1f-1ubuntu2.26, the patch plan says 1.0.1f-1ubuntu2.27');
  } finally {
    fs.writeFileSync(file, before);
  }
});

Drift('a system that cannot be read is unreachable, not drift (exit 1, no finding)', async (ctx) => {
  const env = { ...ctx.world.env, FAKE_SSH_DOWN: NN, FAKE_TF_FAIL: 'plan' };
  const { e, report, text } = await drift(ctx, {
    env, shell: new SshShell(env),
    marathon: new MarathonClient({ url: 'http://127.0.0.1:9', backoff: { baseMs: 1, maxMs: 2, attempts: 2 } }),
  });
  assert.is(e.status, 'unreachable', text);
  assert.is(e.systems.terraform.status, 'unreachable');
  assert.is(e.systems.marathon.status, 'unreachable');
  assert.is(e.systems.hadoop.status, 'unreachable');
  assert.equal([e.counts.terraform, e.counts.marathon, e.counts.hadoop], [0, 0, 0]);
  assert.is(driftExit(report), 1);
  assert.match(text, `hadoop: unreachable: ${NN}: unreachable over ssh`);
  assert.match(text, 'terraform: unreachable: terraform plan -refresh-only failed (exit 1)');
  const none = await drift(ctx, { marathon: undefined, skip: ['terraform', 'hadoop', 'patches'] });
  assert.match(none.text, 'INFRA_MARATHON_URL is not set: set it to the Marathon of lenexa');
});

Drift('merged but not applied is pending, apart; never applied is skipped with a note', async (ctx) => {
  const head = new Map(applied);
  head.set('marathon/web/storefront.json', head.get('marathon/web/storefront.json')!.replace('"instances": 6', '"instances": 8'));
  head.set('marathon/ops/new.json', '{}');
  const { e, text } = await drift(ctx, { skip: ['terraform', 'hadoop', 'patches'] }, head);
  assert.is(e.status, 'in-sync', 'compared with what was applied, not with head');
  assert.equal(e.pending, [{ path: 'marathon/ops/new.json', change: 'added' }, { path: 'marathon/web/storefront.json', change: 'changed' }]);
  assert.match(text, 'pending (merged after c10000000000, not applied yet; not drift):\n    added marathon/ops/new.json');
  const never = await environmentDrift({ env: 'aws-dr', record: {}, applied: new Map(), head: lenexa }, ctx.world);
  assert.is(never.status, 'never-applied');
  const report: DriftReport = { schema: 'infra.drift/v1', base: { ref: 'applied', sha: '' }, head: { ref: 'HEAD', sha: C1 }, environments: [never] };
  assert.is(driftExit(report), 0);
  assert.match(driftText(report), 'aws-dr: never applied — skipped\n  note: aws-dr has never been applied: nothing live to compare.');
});

Drift('the outputs are deterministic, and md and json carry the findings', async (ctx) => {
  app(ctx, '/web/storefront').instances = 9;
  try {
    const a = await drift(ctx, { skip: ['terraform', 'hadoop'] });
    const b = await drift(ctx, { skip: ['terraform', 'hadoop'] });
    assert.is(driftJson(a.report), driftJson(b.report));
    const json = JSON.parse(driftJson(a.report));
    assert.is(json.schema, 'infra.drift/v1');
    assert.equal(json.environments[0].drift.marathon[0].fields, [{ applied: 6, live: 9, path: 'instances' }]);
    const md = driftMarkdown(a.report);
    assert.match(md, '| marathon | drift | 1 |');
    assert.match(md, '- `/web/storefront`: instances: 6 → 9');
  } finally {
    app(ctx, '/web/storefront').instances = 6;
  }
});

Drift.run();
