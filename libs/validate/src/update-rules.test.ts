import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Environment } from '@infra/model';
import lenexa from '@infra/env-lenexa';
import { validateEnvironment } from './index';

// A group's `update` block: whole numbers and minimums from the schema, masters one at a time
// from the rule; every problem located, all at once.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const fresh = (): any => structuredClone(lenexa);
const group = (env: { hostGroups: { name: string }[] }, name: string) => env.hostGroups.find((g) => g.name === name) as { update?: unknown };
const messages = (env: Environment) => validateEnvironment(env).map((p) => `${p.path}: ${p.message}`);

test('an update block on any group with whole numbers is valid', () => {
  const env = fresh();
  group(env, 'mesos-master').update = { canaries: 1, maxInFlight: 1, canaryWatchSeconds: 300, updateWatchSeconds: 120 };
  group(env, 'mesos-agent-a').update = { canaries: 2, maxInFlight: 2 };
  group(env, 'db-ledger').update = { updateWatchSeconds: 600 };
  assert.equal(messages(env), []);
});

test('Mesos masters more than one in flight: refused at the field, saying why and what to use', () => {
  const env = fresh();
  group(env, 'mesos-master').update = { maxInFlight: 2 };
  assert.equal(messages(env), [
    'hostGroups/mesos-master/update/maxInFlight: 2 would replace 2 of the 3 Mesos masters at once, losing the ZooKeeper quorum: masters are replaced one at a time; use 1 or leave maxInFlight out',
  ]);
});

test('fractions, zero in flight and negative watches: each refused and located, all at once', () => {
  const env = fresh();
  group(env, 'mesos-agent-a').update = { maxInFlight: 0, canaries: 1.5 };
  group(env, 'crm-app').update = { canaryWatchSeconds: -1, updateWatchSeconds: 2.5 };
  const found = messages(env);
  assert.ok(found.some((m) => m.startsWith('hostGroups/mesos-agent-a/update/maxInFlight: ')), found.join('\n'));
  assert.ok(found.includes('hostGroups/mesos-agent-a/update/canaries: 1.5 is not a whole number: a count is an integer'), found.join('\n'));
  assert.ok(found.some((m) => m.startsWith('hostGroups/crm-app/update/canaryWatchSeconds: ')), found.join('\n'));
  assert.ok(found.includes('hostGroups/crm-app/update/updateWatchSeconds: 2.5 is not a whole number: a count is an integer'), found.join('\n'));
  assert.is(found.length, 4, found.join('\n'));
});

test.run();
