import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hostsOf } from '@infra/model';
import { validateEnvironment } from '@infra/validate';
import { syntheticEnvironment } from './index';

for (const vms of [100, 1000]) {
  test(`a synthetic datacenter of ${vms} VMs is valid and has apps and Hadoop hosts in proportion`, () => {
    const env = syntheticEnvironment({ name: 'synth', vms });
    assert.equal(validateEnvironment(env), []);
    assert.is(hostsOf(env).length, vms);
    assert.is(env.apps.length, vms / 5);
    assert.is(env.hadoop[0].hosts.length, Math.max(6, vms / 20), 'at least 6, for a namenode pair and an odd ZooKeeper');
  });
}

test('agents are dealt round-robin over the racks: agent i in rack (i - 1) % racks, each rack in name order', () => {
  for (const vms of [10, 137, 1000]) {
    const env = syntheticEnvironment({ name: 'synth', vms });
    const racks = env.hostGroups.filter((g) => g.role === 'mesos-agent');
    const all = racks.flatMap((g) => g.hosts as string[]);
    assert.is(new Set(all).size, all.length, 'no agent in two racks');
    racks.forEach((g, r) => {
      for (const name of g.hosts as string[]) assert.is((Number(name.slice('agent-'.length)) - 1) % racks.length, r, `${name} in ${g.name}`);
      const numbers = (g.hosts as string[]).map((h) => Number(h.slice('agent-'.length)));
      assert.equal(numbers, [...numbers].sort((a, b) => a - b));
    });
    assert.is(Math.max(...all.map((h) => Number(h.slice('agent-'.length)))), all.length, 'agents numbered 1..count without a gap');
  }
});

test.run();
