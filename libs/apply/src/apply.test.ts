import * as net from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dataHolding, vmMarks } from '@infra/generator-terraform';
import { manifestHash } from './apply';
import type { ApplyKinds } from './kinds';
import { sameApp, type AppJson } from './marathon-client';
import { hostFile, sshLog } from './testing/hosts';
import { EMPTY, gitStatus, scenario, type Scenario } from './testing/scenario';
import { editJson, marathonApps, renderedTree, resourceCount } from './testing/trees';

// The real patch plans address lenexa's real hosts, which no test can reach: the patch cases
// add a plan of their own whose health check is a loopback port.
const full = new Map([...renderedTree('lenexa')].filter(([p]) => !p.startsWith('patches/')));
// Most cases are about terraform and Marathon: without the Hadoop files they skip the ssh step
// (a first push to nine stand-in hosts costs seconds); the clean first apply has everything.
const lenexa = new Map([...full].filter(([p]) => !p.startsWith('hadoop/')));
const C1 = { commit: 'c1'.padEnd(40, '0'), tree: lenexa };
const statusBefore = gitStatus();
// The kinds as the cli's registry hands them in: the terraform kind's predicate, and how the
// marathon kind's files name their dependencies.
const KINDS: ApplyKinds = { dataHolding, vmMarks, marathonDependencies: (app) => (app.dependencies ?? []) as string[] };

async function withScenario(fn: (s: Scenario) => Promise<void>) {
  const s = await scenario(KINDS);
  try {
    await fn(s);
  } catch (err) {
    console.error(s.lines.slice(-40).join('\n'));
    throw err;
  } finally {
    await s.stop();
  }
  assert.is(gitStatus(), statusBefore, 'rendered/ and git status unchanged by an apply');
}

const vms = (s: Scenario) => Object.keys(s.world.state().resources).filter((a) => a.startsWith('vsphere_virtual_machine.')).sort();
const liveEqualsRendered = (s: Scenario, tree: Map<string, string>) => {
  const apps = marathonApps(tree) as AppJson[];
  assert.is(s.marathon.apps.size, apps.length);
  for (const app of apps) assert.ok(sameApp(app, s.marathon.apps.get(app.id)), `${app.id} is as rendered`);
};
const targeted = (s: Scenario, since = 0) => s.world.calls().slice(since).filter((c) => c.args[0] === 'plan' && c.args.some((a) => a.startsWith('-target='))).map((c) => c.args.filter((a) => a.startsWith('-target=')).map((a) => a.slice('-target=vsphere_virtual_machine.'.length)));

/** The tree with every VM's replace_trigger changed (a new mutation of every group), except `keep`. */
function remutate(tree: Map<string, string>, keep: (file: string) => boolean = () => false) {
  let out = tree;
  for (const file of [...tree.keys()].filter((p) => /^terraform\/vm-.*\.tf\.json$/.test(p) && !keep(p))) {
    out = editJson(out, file, (doc) => {
      for (const vm of Object.values((doc.resource as Record<string, Record<string, Record<string, unknown>>>).vsphere_virtual_machine)) vm.replace_trigger = `${String(vm.replace_trigger)} mutation=2`;
    });
  }
  return out;
}

test('a clean first apply: every VM, then every app in dependency order, then Hadoop; recorded', async () => {
  await withScenario(async (s) => {
    const out = await s.apply(EMPTY, { commit: C1.commit, tree: full });
    assert.is(out.exit, 0, s.lines.join('\n'));
    assert.equal(out.completed, ['terraform', 'marathon', 'hadoop']);
    const lastPut = Math.max(...s.marathon.requests.filter((r) => r.method === 'PUT').map((r) => r.at));
    const ssh = sshLog(s.world.env.FAKE_HOSTS!);
    assert.ok(ssh.length > 0 && ssh[0].at >= lastPut, 'Hadoop after Marathon');
    assert.is(hostFile(s.world.env.FAKE_HOSTS!, 'hdp-nn-01.lenexa.example.net', 'etc/hadoop/conf/dfs.hosts'), full.get('hadoop/hbase-lenexa/dfs.hosts'));
    assert.is(vms(s).length, 23);
    liveEqualsRendered(s, lenexa);
    for (const id of s.marathon.apps.keys()) assert.is(s.marathon.puts(id), 1);
    const rec = await s.record.read('lenexa');
    assert.is(rec.applied?.commit, C1.commit);
    assert.is(rec.attempt, undefined);
    // Applying the same target again does nothing.
    const again = await s.apply(EMPTY, { commit: C1.commit, tree: full });
    assert.is(again.exit, 0);
    assert.ok(s.lines.some((l) => l.includes('nothing to apply')));
  });
});

test('patches come last: after Hadoop, one host at a time; a VM created by the same apply is not patched again; a re-run patches nothing', async () => {
  const server = net.createServer((c) => c.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await withScenario(async (s) => {
      const port = (server.address() as net.AddressInfo).port;
      const planOf = (group: string, source: 'vm' | 'hadoop', host: string, patchLevel: string) => JSON.stringify({
        '//': 'generated', group, source, patchLevel, packages: [{ name: 'openssl', version: '1.0.1f-1ubuntu2.27' }], reboot: true,
        steps: [{ host, address: '127.0.0.1', reboot: true, health: { kind: 'tcp', port } }] }, null, 2) + '\n';
      const small = new Map([...full].filter(([p]) => !p.startsWith('hadoop/') || p.endsWith('/dfs.hosts') || p.endsWith('/hosts') || p.endsWith('/dfs.hosts.exclude')));
      small.set('patches/db-ledger.json', planOf('db-ledger', 'vm', 'db-ledger-01', '3468.21+USN-2165-1'));
      small.set('patches/hbase-lenexa.json', planOf('hbase-lenexa', 'hadoop', 'hdp-dn-01', '3468.21+USN-2165-1'));
      const out = await s.apply(EMPTY, { commit: C1.commit, tree: small });
      assert.is(out.exit, 0, s.lines.slice(-30).join('\n'));
      assert.equal(out.completed, ['terraform', 'marathon', 'hadoop', 'patches']);
      const log = sshLog(s.world.env.FAKE_HOSTS!);
      const firstReboot = log.findIndex((e) => e.command === 'sudo reboot');
      assert.ok(firstReboot > 0 && log.slice(0, firstReboot).every((e) => e.host.startsWith('hdp-')), 'Hadoop before patches');
      assert.ok(log.some((e) => e.host === 'hdp-dn-01' && e.command === 'sudo reboot'), 'the bare-metal host is patched');
      assert.not.ok(log.some((e) => e.host === 'db-ledger-01'), 'the database VM was just created on the patched stemcell');

      // A new patch level reaches the database, once.
      const next = new Map(small);
      next.set('patches/db-ledger.json', planOf('db-ledger', 'vm', 'db-ledger-01', '3468.21+USN-2165-1+USN-4100-1'));
      const C2 = { commit: 'c2'.padEnd(40, '0'), tree: next };
      const again = await s.apply({ commit: C1.commit, tree: small }, C2);
      assert.is(again.exit, 0, s.lines.slice(-30).join('\n'));
      const patched = sshLog(s.world.env.FAKE_HOSTS!).filter((e) => e.host === 'db-ledger-01');
      assert.ok(patched.some((e) => e.command === 'sudo reboot'));
      const rerun = await s.apply({ commit: C1.commit, tree: small }, C2);
      assert.is(rerun.exit, 0);
      assert.is(sshLog(s.world.env.FAKE_HOSTS!).filter((e) => e.host === 'db-ledger-01').length, patched.length, 'a re-run does not patch again');
    });
  } finally {
    server.close();
  }
});

test('every Marathon fault at once: final state equals rendered/, the lost reply not resent', async () => {
  await withScenario(async (s) => {
    s.marathon.inject('PUT', '/v2/apps/ledger/api', { kind: 'status', status: 503 }, 2);
    s.marathon.inject('PUT', '/v2/apps/customers/api', { kind: 'lost' });
    s.marathon.inject('PUT', '/v2/apps/web/storefront', { kind: 'reset' });
    s.marathon.inject('PUT', '/v2/apps/sessions/store', { kind: 'status', status: 500 });
    s.marathon.inject('GET', '/v2/deployments', { kind: 'reset' }, 3);
    s.marathon.inject('PUT', '/v2/apps/catalog/search', { kind: 'hold', ms: 100 });
    const out = await s.apply(EMPTY, C1);
    assert.is(out.exit, 0);
    liveEqualsRendered(s, lenexa);
    assert.is(s.marathon.puts('/customers/api'), 1, 'a lost reply: the app was made, not sent again');
    assert.is(s.marathon.puts('/ledger/api'), 3, 'two 503s, then the PUT');
    assert.is(s.marathon.puts('/web/storefront'), 2);
    assert.is(s.marathon.puts('/catalog/search'), 2, '409 once, then the PUT');
    assert.is(s.marathon.puts('/payments/gateway'), 1);
    assert.not.ok(s.marathon.requests.some((r) => r.query.includes('force')));
  });
});

test('a terraform failure: exit 1, no Marathon call; the re-run resumes and completes', async () => {
  await withScenario(async (s) => {
    const out = await s.apply(EMPTY, C1, {}, { FAKE_TF_FAIL_APPLY: 'vsphere_virtual_machine.mesos-agent-05' });
    assert.is(out.exit, 1);
    assert.is(out.failed?.step, 'terraform');
    assert.match(out.failed!.message, 'mesos-agent-05');
    assert.is(s.marathon.requests.length, 0, 'nothing after a failed step starts');
    const rec = await s.record.read('lenexa');
    assert.is(rec.attempt?.steps.terraform?.status, 'failed');
    assert.ok(rec.attempt!.steps.terraform!.tail!.some((l) => l.includes('FAKE_TF_FAIL_APPLY')));
    assert.is(rec.applied, undefined);
    const again = await s.apply(EMPTY, C1);
    assert.is(again.exit, 0, s.lines.slice(-30).join('\n'));
    assert.is(vms(s).length, 23);
    liveEqualsRendered(s, lenexa);
  });
});

test('a stuck deployment: exit 1 within its deadline; the re-run completes only what is left', async () => {
  await withScenario(async (s) => {
    assert.is((await s.apply(EMPTY, C1)).exit, 0);
    const bump = (tree: Map<string, string>, file: string) => editJson(tree, file, (app) => { (app.container as { docker: { image: string } }).docker.image += '-2'; });
    const next = bump(bump(bump(lenexa, 'marathon/ledger/api.json'), 'marathon/ledger/reconciler.json'), 'marathon/sessions/store.json');
    const C2 = { commit: 'c2'.padEnd(40, '0'), tree: next };
    s.marathon.unhealthy.add('/ledger/api');
    const t0 = Date.now();
    const out = await s.apply(C1, C2, { deadlineS: 0.5 });
    assert.is(out.exit, 1);
    assert.ok(Date.now() - t0 < 5000, 'stopped at the deadline');
    assert.match(out.failed!.message, '/ledger/api');
    assert.match(out.failed!.message, '0/4 tasks healthy');
    assert.is(s.marathon.puts('/ledger/reconciler'), 1, 'its dependent was not started');
    const rec = await s.record.read('lenexa');
    assert.equal(rec.attempt?.steps.marathon?.done, ['/sessions/store']);
    assert.is(rec.attempt?.steps.terraform?.status, 'done');
    s.marathon.heal('/ledger/api');
    const planCalls = s.world.calls().length;
    const again = await s.apply(C1, C2);
    assert.is(again.exit, 0, s.lines.slice(-30).join('\n'));
    assert.equal(again.completed, ['marathon']);
    assert.is(s.world.calls().length, planCalls, 'terraform, done, was not run again');
    assert.is(s.marathon.puts('/sessions/store'), 2, 'done before the failure: not sent again');
    assert.is(s.marathon.puts('/ledger/reconciler'), 2);
    liveEqualsRendered(s, next);
    assert.is((await s.record.read('lenexa')).applied?.commit, C2.commit);
  });
});

test('a stemcell bump: stateless VMs replaced by failure domain, canaries first; databases patched in place untouched', async () => {
  await withScenario(async (s) => {
    assert.is((await s.apply(EMPTY, C1)).exit, 0);
    const dbValues = JSON.stringify(Object.entries(s.world.state().resources).filter(([a]) => a.includes('.db-')));
    // What a bump renders: a new stemcell template, and new user-data for every group replaced on
    // it (databases ignore both: they are patched in place).
    const bumped = editJson(remutate(lenexa, (f) => f.includes('vm-db-')), 'terraform/main.tf.json', (doc) => {
      const sc = (doc.data as Record<string, Record<string, Record<string, unknown>>>).vsphere_virtual_machine.stemcell;
      sc.name = String(sc.name).replace('3468.21', '3468.22');
    });
    const since = s.world.calls().length;
    const ok = await s.apply(C1, { commit: 'c2'.padEnd(40, '0'), tree: bumped });
    assert.is(ok.exit, 0, s.lines.slice(-40).join('\n'));
    assert.equal(targeted(s, since), [
      ['mesos-master-01'], ['mesos-master-02'], ['mesos-master-03'],
      ['mesos-agent-01'], ['mesos-agent-02', 'mesos-agent-03', 'mesos-agent-04'],
      ['mesos-agent-05'], ['mesos-agent-06', 'mesos-agent-07', 'mesos-agent-08'],
      ['mesos-agent-09'], ['mesos-agent-10', 'mesos-agent-11', 'mesos-agent-12'],
      ['billing-app-01'], ['billing-app-02'], ['crm-app-01'], ['crm-app-02'],
    ]);
    assert.ok(s.lines.some((l) => /batch 5\/13 .*healthy after/.test(l)), 'a health gate after each batch');
    assert.is(JSON.stringify(Object.entries(s.world.state().resources).filter(([a]) => a.includes('.db-'))), dbValues, 'no database VM or data disk touched');
  });
});

test('a database VM replaced (its address changed): not refused, its data disk kept', async () => {
  await withScenario(async (s) => {
    assert.is((await s.apply(EMPTY, C1)).exit, 0);
    const disk = JSON.stringify(s.world.state().resources['vsphere_virtual_disk.db-ledger-01']);
    const moved = editJson(lenexa, 'terraform/vm-db-ledger.tf.json', (doc) => {
      const vm = (doc.resource as Record<string, Record<string, { clone: { customize: { network_interface: { ipv4_address: string } } } }>>).vsphere_virtual_machine['db-ledger-01'];
      vm.clone.customize.network_interface.ipv4_address = '10.20.5.11';
    });
    const since = s.world.calls().length;
    const out = await s.apply(C1, { commit: 'c2'.padEnd(40, '0'), tree: moved });
    assert.is(out.exit, 0, s.lines.slice(-30).join('\n'));
    assert.equal(targeted(s, since), [['db-ledger-01']]);
    assert.ok(disk !== undefined && disk !== 'undefined');
    assert.is(JSON.stringify(s.world.state().resources['vsphere_virtual_disk.db-ledger-01']), disk, 'the data disk is the same disk');
  });
});

test('a mutation of every stateless group: databases untouched', async () => {
  await withScenario(async (s) => {
    assert.is((await s.apply(EMPTY, C1)).exit, 0);
    const dbValues = JSON.stringify(Object.entries(s.world.state().resources).filter(([a]) => a.includes('.db-')));
    const since = s.world.calls().length;
    const out = await s.apply(C1, { commit: 'c2'.padEnd(40, '0'), tree: remutate(lenexa, (f) => f.includes('vm-db-')) });
    assert.is(out.exit, 0, s.lines.slice(-30).join('\n'));
    assert.is(targeted(s, since).length, 13);
    assert.not.ok(targeted(s, since).flat().some((h) => h.startsWith('db-')));
    assert.is(JSON.stringify(Object.entries(s.world.state().resources).filter(([a]) => a.includes('.db-'))), dbValues);
  });
});

test('an agent that does not register again stops the rollout at its gate', async () => {
  await withScenario(async (s) => {
    assert.is((await s.apply(EMPTY, C1)).exit, 0);
    s.mesos.broken.add('mesos-agent-01');
    const since = s.world.calls().length;
    const out = await s.apply(C1, { commit: 'c2'.padEnd(40, '0'), tree: remutate(lenexa, (f) => f.includes('vm-db-')) }, { deadlineS: 0.3 });
    assert.is(out.exit, 1);
    assert.match(out.failed!.message, 'agent mesos-agent-01 registered with the Mesos master');
    assert.equal(targeted(s, since), [['mesos-master-01'], ['mesos-master-02'], ['mesos-master-03'], ['mesos-agent-01']], 'no batch after the failed gate');
    // A re-run must not take the next failure domain down while agent-01 is still missing.
    const since2 = s.world.calls().length;
    const again = await s.apply(C1, { commit: 'c2'.padEnd(40, '0'), tree: remutate(lenexa, (f) => f.includes('vm-db-')) }, { deadlineS: 0.3 });
    assert.is(again.exit, 1);
    assert.match(again.failed!.message, 'before the rollout');
    assert.match(again.failed!.message, 'agent mesos-agent-01 registered');
    assert.equal(targeted(s, since2), []);
    s.mesos.broken.delete('mesos-agent-01');
    const healed = await s.apply(C1, { commit: 'c2'.padEnd(40, '0'), tree: remutate(lenexa, (f) => f.includes('vm-db-')) });
    assert.is(healed.exit, 0);
    assert.equal(targeted(s, since2).slice(0, 2), [['mesos-agent-02'], ['mesos-agent-03', 'mesos-agent-04']], 'resumed with the rest of rack-a, a canary first');
  });
});

test('an app server that never becomes healthy stops the rollout at its canary\'s gate; the re-run resumes there', async () => {
  await withScenario(async (s) => {
    assert.is((await s.apply(EMPTY, C1)).exit, 0);
    s.appServers.broken.add('crm-app');
    const C2 = { commit: 'c2'.padEnd(40, '0'), tree: remutate(lenexa, (f) => !f.includes('-app')) };
    const since = s.world.calls().length;
    const out = await s.apply(C1, C2, { deadlineS: 0.3 });
    assert.is(out.exit, 1);
    assert.match(out.failed!.message, 'crm-app-01 healthy at http://127.0.0.1:');
    assert.match(out.failed!.message, '/health (answered 503)', out.failed!.message);
    assert.match(out.failed!.message, 'run infra apply again');
    assert.equal(targeted(s, since), [['billing-app-01'], ['billing-app-02'], ['crm-app-01']], 'crm-app-02 not taken down');
    assert.ok(s.appServers.seen.includes('billing-app /status'), 'billing-app gated on its own check');
    // Still unhealthy: the re-run stops at the same gate without taking crm-app-02 down.
    const since2 = s.world.calls().length;
    const again = await s.apply(C1, C2, { deadlineS: 0.3 });
    assert.is(again.exit, 1);
    assert.match(again.failed!.message, 'before the rollout', again.failed!.message);
    assert.match(again.failed!.message, 'crm-app-01 healthy');
    assert.equal(targeted(s, since2), []);
    s.appServers.broken.delete('crm-app');
    const since3 = s.world.calls().length;
    const healed = await s.apply(C1, C2);
    assert.is(healed.exit, 0, s.lines.slice(-20).join('\n'));
    assert.equal(targeted(s, since3).slice(-1), [['crm-app-02']], 'resumed with the batch after the canary');
    assert.is((await s.record.read('lenexa')).applied?.commit, C2.commit);
  });
});

test('a batch watches as long as its group\'s update policy says; --deadline caps it', async () => {
  await withScenario(async (s) => {
    assert.is((await s.apply(EMPTY, C1)).exit, 0);
    s.appServers.broken.add('crm-app');
    const tree = editJson(remutate(lenexa, (f) => !f.includes('crm-app')), 'rollout/crm-app.json', (doc) => {
      doc.update = { ...(doc.update as object), canaryWatchSeconds: 1 };
    });
    const t0 = Date.now();
    const out = await s.apply(C1, { commit: 'c2'.padEnd(40, '0'), tree });
    assert.is(out.exit, 1);
    assert.match(out.failed!.message, 'did not pass within 1 s: crm-app-01 healthy');
    assert.ok(Date.now() - t0 < 20_000, 'not the default 900 s');
    const capped = editJson(tree, 'rollout/crm-app.json', (doc) => {
      doc.update = { ...(doc.update as object), canaryWatchSeconds: 600 };
    });
    const t1 = Date.now();
    const again = await s.apply(C1, { commit: 'c3'.padEnd(40, '0'), tree: capped }, { deadlineS: 0.5 });
    assert.is(again.exit, 1);
    assert.match(again.failed!.message, 'crm-app-01 healthy');
    assert.ok(Date.now() - t1 < 20_000, '--deadline caps the 600 s watch');
  });
});

test('a database removed from the definition: refused, then applied with a reviewed allowDestroy', async () => {
  await withScenario(async (s) => {
    assert.is((await s.apply(EMPTY, C1)).exit, 0);
    const without = new Map(lenexa);
    without.delete('terraform/vm-db-reporting.tf.json');
    const out = await s.apply(C1, { commit: 'c2'.padEnd(40, '0'), tree: without });
    assert.is(out.exit, 3);
    assert.equal(out.refusals.length, 1, 'the disk holds the data; the VM alone is a risk');
    assert.match(out.refusals[0], 'vsphere_virtual_disk.db-reporting-01 would be destroyed, and it holds data');
    assert.match(out.refusals[0], '--allow-destroy vsphere_virtual_disk.db-reporting-01');
    assert.ok(vms(s).includes('vsphere_virtual_machine.db-reporting-01'));
    const allowed = editJson(without, 'manifest.json', (m) => { m.allowDestroy = [{ address: 'vsphere_virtual_disk.db-reporting-01', reason: 'reporting moved to the warehouse' }]; });
    const ok = await s.apply(C1, { commit: 'c3'.padEnd(40, '0'), tree: allowed });
    assert.is(ok.exit, 0, s.lines.slice(-30).join('\n'));
    assert.not.ok(vms(s).includes('vsphere_virtual_machine.db-reporting-01'));
  });
});

test('--allow-destroy by hand allows the same', async () => {
  await withScenario(async (s) => {
    assert.is((await s.apply(EMPTY, C1)).exit, 0);
    const without = new Map(lenexa);
    without.delete('terraform/vm-db-reporting.tf.json');
    const ok = await s.apply(C1, { commit: 'c2'.padEnd(40, '0'), tree: without }, { allowDestroy: ['vsphere_virtual_disk.db-reporting-01'] });
    assert.is(ok.exit, 0);
  });
});

test('a VM changed outside the tool: refused as unreviewed, then applied with --allow-unreviewed', async () => {
  await withScenario(async (s) => {
    assert.is((await s.apply(EMPTY, C1)).exit, 0);
    const memory = s.world.state().resources['vsphere_virtual_machine.mesos-agent-07'].values.memory;
    s.world.editState((st) => { st.resources['vsphere_virtual_machine.mesos-agent-07'].values.memory = 999; });
    const C2 = { commit: 'c2'.padEnd(40, '0'), tree: editJson(lenexa, 'marathon/web/storefront.json', (a) => { a.instances = 7; }) };
    const out = await s.apply(C1, C2);
    assert.is(out.exit, 3);
    assert.equal(out.refusals.length, 1);
    assert.match(out.refusals[0], 'vsphere_virtual_machine.mesos-agent-07 would be updated, but the reviewed diff does not list it');
    assert.match(out.refusals[0], 'infra drift lenexa');
    assert.match(out.refusals[0], '--allow-unreviewed vsphere_virtual_machine.mesos-agent-07');
    assert.is(s.marathon.puts('/web/storefront'), 1, 'nothing applied: not even the reviewed app');
    const ok = await s.apply(C1, C2, { allowUnreviewed: ['vsphere_virtual_machine.mesos-agent-07'] });
    assert.is(ok.exit, 0);
    assert.is(s.world.state().resources['vsphere_virtual_machine.mesos-agent-07'].values.memory, memory);
    assert.is(s.marathon.apps.get('/web/storefront')!.instances, 7);
  });
});

test('the reviewed hash: a different one is refused, none is refused where required', async () => {
  await withScenario(async (s) => {
    const wrong = await s.apply(EMPTY, C1, { reviewed: 'ab'.repeat(32) });
    assert.is(wrong.exit, 3);
    assert.match(wrong.refusals[0], 'this is not what was reviewed');
    const none = await s.apply(EMPTY, C1, { requireReviewed: true });
    assert.is(none.exit, 3);
    assert.match(none.refusals[0], 'no reviewed hash');
    assert.is(vms(s).length, 0);
    // A target without manifest.json has no reviewed hash ('' from the one rule): nothing matches it.
    const bare = await s.apply(EMPTY, { commit: C1.commit, tree: new Map([...C1.tree].filter(([p]) => p !== 'manifest.json')) }, { reviewed: '', dryRun: true });
    assert.is(bare.exit, 3);
    assert.match(bare.refusals[0], 'has sha256 none (no manifest.json), but the review approved');
    assert.is((await s.apply(EMPTY, C1, { reviewed: manifestHash(lenexa), requireReviewed: true })).exit, 0);
  });
});

test('--dry-run prints the plan and changes nothing; exits 3 when the real run would be refused', async () => {
  await withScenario(async (s) => {
    const out = await s.apply(EMPTY, C1, { dryRun: true });
    assert.is(out.exit, 0);
    const resources = resourceCount(lenexa);
    assert.ok(s.lines.some((l) => l.includes(`terraform: ${resources} to create, 0 to update, 0 to replace, 0 to destroy, in 1 batch(es)`)), s.lines.filter((l) => l.includes('to create')).join('\n'));
    assert.ok(s.lines.some((l) => l.includes('deploy /payments/gateway')));
    assert.is(vms(s).length, 0);
    assert.is(s.marathon.requests.filter((r) => r.method !== 'GET').length, 0);
    const refused = await s.apply(EMPTY, C1, { dryRun: true, reviewed: '00'.repeat(32) });
    assert.is(refused.exit, 3);
    assert.ok(s.lines.some((l) => l.includes('The real run would be refused')));
  });
});

test('a rendered app without the MANAGED_BY label is refused before anything is applied', async () => {
  await withScenario(async (s) => {
    const unlabelled = editJson(lenexa, 'marathon/sessions/store.json', (a) => { delete (a.labels as Record<string, string>).MANAGED_BY; });
    const out = await s.apply(EMPTY, { commit: C1.commit, tree: unlabelled });
    assert.is(out.exit, 3);
    assert.equal(out.refusals, ['marathon: /sessions/store: the rendered app has no label MANAGED_BY=infra; nothing was sent. Render it with the current infra (npx infra render) and merge the result.']);
    assert.is(vms(s).length, 0);
    assert.is(s.marathon.requests.length, 0);
  });
});

test('no Marathon or Mesos configured: a dry run says what to set; a real run exits 2 before anything', async () => {
  await withScenario(async (s) => {
    assert.is((await s.apply(EMPTY, C1)).exit, 0);
    const C2 = { commit: 'c2'.padEnd(40, '0'), tree: editJson(remutate(lenexa, (f) => !f.includes('mesos-agent-a')), 'marathon/web/storefront.json', (a) => { a.instances = 7; }) };
    const dry = await s.apply(C1, C2, { dryRun: true }, {}, { marathon: undefined, mesosUrl: undefined });
    assert.is(dry.exit, 0);
    assert.ok(s.lines.some((l) => l.includes('Before the real run, configure')));
    const serial = s.world.state().serial;
    const out = await s.apply(C1, C2, {}, {}, { marathon: undefined, mesosUrl: undefined });
    assert.is(out.exit, 2);
    assert.equal(out.missing!.map((m) => m.split(':')[0]), ['terraform', 'terraform', 'marathon']);
    assert.match(out.missing![0], 'set INFRA_MARATHON_URL');
    assert.match(out.missing![1], 'set INFRA_MESOS_URL');
    assert.is(s.world.state().serial, serial, 'nothing applied');
  });
});

test.run();
