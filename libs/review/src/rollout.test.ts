import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RolloutGroup } from '@infra/render';
import { rolloutLine } from './rollout';

const agents = (group: string, domain: string, hosts: number): RolloutGroup => ({
  group, role: 'mesos-agent',
  batches: [
    { hosts: [`${group}-1`], canary: true, failureDomain: domain },
    { hosts: Array.from({ length: hosts - 1 }, (_, i) => `${group}-${i + 2}`), canary: false, failureDomain: domain },
  ],
});

test('one line: masters one at a time, each agent group its canary then the rest of its domain', () => {
  const masters: RolloutGroup = { group: 'mesos-master', role: 'mesos-master', batches: [1, 2, 3].map((i) => ({ hosts: [`m${i}`], canary: i === 1 })) };
  assert.is(rolloutLine([masters, agents('agent-a', 'rack-a', 4)]), '5 batches: mesos-master 3 batches of 1; agent-a rack-a canary 1 then 3');
});

test('a hundred groups: the line names twelve and counts the rest; the batch total is all of them', () => {
  const groups = Array.from({ length: 100 }, (_, i) => agents(`agent-${String(i).padStart(3, '0')}`, `rack-${i}`, 40));
  const line = rolloutLine(groups);
  assert.match(line, /^200 batches: agent-000 rack-0 canary 1 then 39; /);
  assert.match(line, /; agent-011 rack-11 canary 1 then 39; and 88 more groups$/);
  assert.not.match(line, /agent-012/);
});

test.run();
