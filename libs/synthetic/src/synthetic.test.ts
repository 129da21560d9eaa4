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

test.run();
