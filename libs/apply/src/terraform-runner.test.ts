import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StepFailed } from './errors';
import { TerraformRunner } from './terraform-runner';
import { standinWorld } from './testing/standins';
import { editJson, renderedTree } from './testing/trees';

const lenexa = renderedTree('lenexa');

function setup() {
  const world = standinWorld();
  const lines: string[] = [];
  const runner = new TerraformRunner({ workDir: path.join(world.dir, 'work'), env: world.env, log: (l) => lines.push(l) });
  return { world, lines, runner };
}

test('a first plan of lenexa creates every resource; apply from the file; then no changes', async () => {
  const { world, lines, runner } = setup();
  try {
    const files = runner.prepare(lenexa);
    assert.ok(files.includes('vm-db-ledger.tf.json'));
    await runner.init();
    assert.ok(fs.existsSync(path.join(runner.configDir, '.terraform.lock.hcl')), 'init writes the lock file beside the configuration');
    assert.ok(fs.existsSync(runner.dataDir));
    assert.ok(await runner.plan('full.plan'));
    const changes = await runner.show('full.plan');
    const vms = changes.filter((c) => c.type === 'vsphere_virtual_machine');
    assert.is(vms.length, 23);
    assert.ok(vms.every((c) => c.change.actions.join() === 'create'));
    await runner.apply('full.plan');
    assert.is(await runner.plan('again.plan'), false);
    const calls = world.calls();
    assert.ok(calls.every((c) => c.TF_IN_AUTOMATION === '1' && c.TF_DATA_DIR === runner.dataDir && !c.cwd.includes('rendered')));
    assert.ok(calls.filter((c) => c.args[0] !== 'show').every((c) => c.args.includes('-input=false') && c.args.some((a) => a.startsWith('-lock-timeout='))));
    assert.ok(lines.some((l) => l.startsWith('terraform: Plan: ')), 'output streamed line by line with a prefix');
  } finally {
    world.cleanup();
  }
});

test('a stemcell bump replaces every stateless VM ["delete","create"], no database; -target limits a plan', async () => {
  const { world, runner } = setup();
  try {
    runner.prepare(lenexa);
    await runner.init();
    await runner.plan('p');
    await runner.apply('p');
    const bumped = editJson(lenexa, 'terraform/main.tf.json', (doc) => {
      const stemcell = (doc.data as Record<string, Record<string, Record<string, unknown>>>).vsphere_virtual_machine.stemcell;
      stemcell.name = String(stemcell.name).replace('3468.21', '3468.22');
    });
    runner.prepare(bumped);
    await runner.plan('full');
    const all = (await runner.show('full')).filter((c) => c.change.actions[0] !== 'no-op');
    assert.is(all.length, 19);
    assert.ok(all.every((c) => c.change.actions.join() === 'delete,create'));
    assert.not.ok(all.some((c) => c.address.includes('.db-')), 'databases ignore the template: they are patched in place');
    await runner.plan('one', ['vsphere_virtual_machine.mesos-agent-01']);
    const one = (await runner.show('one')).filter((c) => c.change.actions[0] !== 'no-op');
    assert.equal(one.map((c) => c.address), ['vsphere_virtual_machine.mesos-agent-01']);
  } finally {
    world.cleanup();
  }
});

test('"Saved plan is stale" when the state moved after the plan; failures name the step', async () => {
  const { world, runner } = setup();
  try {
    runner.prepare(lenexa);
    await runner.init();
    await runner.plan('p');
    world.editState((s) => { s.resources['vsphere_virtual_machine.x'] = { type: 'vsphere_virtual_machine', values: {} }; });
    const err = await runner.apply('p').catch((e) => e);
    assert.instance(err, StepFailed);
    assert.match(err.message, 'Saved plan is stale');
    assert.match(err.message, 'terraform apply failed');
  } finally {
    world.cleanup();
  }
});

test('the stand-in honours lifecycle: ignore_changes hides a drifted attribute, prevent_destroy stops a plan', async () => {
  const { world, runner } = setup();
  try {
    const tf = (disk: Record<string, unknown>) => new Map([['terraform/main.tf.json', JSON.stringify({ resource: {
      vsphere_virtual_machine: { db: { name: 'db', annotation: 'role: database', lifecycle: { ignore_changes: ['annotation'] }, clone: { template_uuid: 'a' } } },
      vsphere_virtual_disk: { data: { size: 100, vmdk_path: 'db/data.vmdk', datastore: 'ds', lifecycle: { prevent_destroy: true }, ...disk } },
    } })]]);
    runner.prepare(tf({}));
    await runner.init();
    await runner.plan('p');
    await runner.apply('p');
    world.editState((st) => { st.resources['vsphere_virtual_machine.db'].values.annotation = 'edited in vCenter'; });
    assert.is(await runner.plan('q'), false, 'an ignored attribute is no change');
    runner.prepare(tf({ size: 200 }));
    await runner.plan('r');
    assert.equal((await runner.show('r')).filter((c) => c.change.actions[0] !== 'no-op').map((c) => `${c.address} ${c.change.actions.join()}`), ['vsphere_virtual_disk.data update']);
    runner.prepare(tf({ vmdk_path: 'db/other.vmdk' }));
    const err = await runner.plan('s').catch((e) => e);
    assert.instance(err, StepFailed);
    assert.match(err.message, 'Instance cannot be destroyed');
  } finally {
    world.cleanup();
  }
});

test('INFRA_TERRAFORM overrides the binary; a missing one says what to do', async () => {
  const world = standinWorld();
  try {
    const runner = new TerraformRunner({ workDir: path.join(world.dir, 'w'), env: { ...world.env, INFRA_TERRAFORM: path.join(world.dir, 'nope') } });
    runner.prepare(lenexa);
    const err = await runner.init().catch((e) => e);
    assert.match(err.message, 'INFRA_TERRAFORM');
    assert.match(err.message, `${path.join(world.dir, 'nope')}" was not found`);
  } finally {
    world.cleanup();
  }
});

test('the work directory may not be inside rendered/', () => {
  const runner = new TerraformRunner({ workDir: '/repo/rendered/lenexa/tf' });
  assert.throws(() => runner.prepare(lenexa), /inside rendered/);
});

test.run();
