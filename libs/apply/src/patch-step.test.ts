import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StepFailed } from './errors';
import { SshShell } from './hosts';
import { changedPatchPlans, patchPlanLines, runPatches, type PatchPlan } from './patch-step';
import { hostFile, sshLog } from './testing/hosts';
import { standinWorld } from './testing/standins';

// A patch plan in the format of the common brief (rendered by the stateful-hosts issue).
function planTree(port: number, patchLevel = 'ubuntu-trusty-hardened-3468.21+USN-2165-1') {
  const plan: PatchPlan = {
    group: 'db-ledger', source: 'vm', patchLevel,
    packages: [{ name: 'libssl1.0.0', version: '1.0.1f-1ubuntu2.27' }, { name: 'openssl', version: '1.0.1f-1ubuntu2.27' }],
    reboot: true,
    steps: ['db-ledger-01', 'db-ledger-02'].map((host) => ({ host, address: '127.0.0.1', reboot: true, health: { kind: 'tcp' as const, port } })),
  };
  return new Map([['patches/db-ledger.json', JSON.stringify({ '//': 'generated', ...plan }, null, 2) + '\n']]);
}

async function listener(): Promise<net.Server> {
  const server = net.createServer((s) => s.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const run = (world: ReturnType<typeof standinWorld>, plans: PatchPlan[], done = new Set<string>(), deadlineMs = 2000) => {
  const lines: string[] = [];
  return runPatches(plans, new SshShell(world.env), { deadlineMs, rebootSettleMs: 0, pollMs: 20, done, markDone: (i) => done.add(i), log: (l) => lines.push(l) }).then(() => ({ lines, done }));
};

test('one host at a time: packages, reboot, health check, then the next; the level recorded on the host', async () => {
  const world = standinWorld();
  const server = await listener();
  try {
    const plans = changedPatchPlans(new Map(), planTree((server.address() as AddressInfo).port));
    assert.equal(patchPlanLines(plans).length, 2);
    const { done } = await run(world, plans);
    assert.equal([...done], ['db-ledger/db-ledger-01', 'db-ledger/db-ledger-02']);
    const log = sshLog(world.env.FAKE_HOSTS!).map((e) => `${e.host} ${e.command ?? 'copy ' + e.copy}`);
    const reboot1 = log.indexOf('db-ledger-01 sudo reboot');
    const install2 = log.findIndex((l) => l.startsWith('db-ledger-02 sudo apt-get update -q && sudo apt-get install -y -q libssl1.0.0=1.0.1f-1ubuntu2.27 openssl=1.0.1f-1ubuntu2.27'));
    assert.ok(reboot1 >= 0 && reboot1 < install2, log.join('\n'));
    assert.is(hostFile(world.env.FAKE_HOSTS!, 'db-ledger-02', 'var/lib/infra/patch-level'), 'ubuntu-trusty-hardened-3468.21+USN-2165-1\n');
    // A re-run finds the hosts at that level and does nothing to them.
    const before = sshLog(world.env.FAKE_HOSTS!).length;
    await run(world, plans);
    assert.ok(sshLog(world.env.FAKE_HOSTS!).slice(before).every((e) => e.command?.startsWith('cat ')));
  } finally {
    server.close();
    world.cleanup();
  }
});

test('a host that does not come back stops the step; the next host is not patched', async () => {
  const world = standinWorld();
  const server = await listener();
  const port = (server.address() as AddressInfo).port;
  server.close();
  try {
    const err = await run(world, changedPatchPlans(new Map(), planTree(port)), new Set(), 200).catch((e) => e);
    assert.instance(err, StepFailed);
    assert.match(err.message, 'db-ledger 1/2 db-ledger-01: not healthy within');
    assert.match(err.message, 'The hosts after it were not patched');
    assert.not.ok(sshLog(world.env.FAKE_HOSTS!).some((e) => e.host === 'db-ledger-02'));
  } finally {
    world.cleanup();
  }
});

test('only plans whose packages or level changed are run (an address moved is no patch)', () => {
  const t = planTree(1);
  assert.equal(changedPatchPlans(t, t), []);
  const moved = new Map([...t].map(([p, text]) => [p, text.replace('"address": "127.0.0.1"', '"address": "127.0.0.2"')]));
  assert.equal(changedPatchPlans(t, moved), []);
  assert.is(changedPatchPlans(t, planTree(1, 'ubuntu-trusty-hardened-3468.21+USN-2165-1+USN-4100-1')).length, 1);
});

test('a VM created by the same apply boots patched: its step is left out; bare-metal Hadoop hosts never are', () => {
  const [plan] = changedPatchPlans(new Map(), planTree(1), new Set(['db-ledger-01']));
  assert.equal(plan.steps.map((s) => s.host), ['db-ledger-02']);
  assert.equal(changedPatchPlans(new Map(), planTree(1), new Set(['db-ledger-01', 'db-ledger-02'])), []);
  const hadoop = new Map([...planTree(1)].map(([p, text]) => [p, text.replace('"source": "vm"', '"source": "hadoop"')]));
  assert.is(changedPatchPlans(new Map(), hadoop, new Set(['db-ledger-01', 'db-ledger-02']))[0].steps.length, 2);
});

test.run();
