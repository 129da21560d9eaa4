import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gateRequirements, reregisteringAgents, roleGate, ROLE_GATES } from './health-gate';
import { MarathonClient } from './marathon-client';
import type { Batch } from './terraform-plan';

const vm = (hostname: string, role: string, destroyed = false): Batch['hosts'][number] =>
  ({ hostname, role, group: `${role}-g`, failureDomain: 'rack-a', ...(destroyed ? { destroyed: true as const } : {}) });
const batch = (...hosts: Batch['hosts']): Batch => ({ name: 'b', addresses: hosts.map((h) => `vsphere_virtual_machine.${h.hostname}`), hosts, canary: false });
const marathon = new MarathonClient({ url: 'http://127.0.0.1:9' });

test('only a replaced agent needs INFRA_MESOS_URL: agents only destroyed never register again', () => {
  const destroyedOnly = [batch(vm('mesos-agent-05', 'mesos-agent', true)), batch(vm('mesos-agent-06', 'mesos-agent', true))];
  assert.equal(gateRequirements(destroyedOnly, { marathon }), []);
  const replaced = [batch(vm('mesos-agent-05', 'mesos-agent', true)), batch(vm('mesos-agent-06', 'mesos-agent'))];
  assert.equal(gateRequirements(replaced, { marathon }), [
    'terraform: the rollout replaces 1 Mesos agent(s) and waits for them to register again: set INFRA_MESOS_URL to the Mesos master, then run again.',
  ]);
  assert.equal(gateRequirements(replaced, { marathon, mesosUrl: 'http://127.0.0.1:5050' }), []);
});

test('no role but the agents asks for the Mesos master; every VM taken down asks for Marathon', () => {
  const others = [batch(vm('mesos-master-01', 'mesos-master')), batch(vm('crm-app-01', 'app-server'), vm('db-ledger-01', 'database'))];
  assert.equal(gateRequirements(others, {}), [
    'terraform: the rollout takes 3 VM(s) down and its health gates need Marathon: set INFRA_MARATHON_URL (and MARATHON_USERNAME/MARATHON_PASSWORD or MARATHON_TOKEN), then run again.',
  ]);
  assert.equal(gateRequirements([batch()], {}), [], 'nothing taken down, nothing to gate');
});

test('the role table: agents re-register, a role no table knows (a Hadoop instance) waits for the apps only', () => {
  assert.equal(Object.keys(ROLE_GATES).sort(), ['app-server', 'database', 'mesos-agent', 'mesos-master']);
  assert.equal(reregisteringAgents(batch(vm('a1', 'mesos-agent'), vm('a2', 'mesos-agent', true), vm('m1', 'mesos-master'), vm('h1', 'hadoop'))), ['a1']);
  assert.equal(roleGate('hadoop'), { marathonApps: true, registersWithMesos: false });
  assert.equal(roleGate('constructor'), { marathonApps: true, registersWithMesos: false }, 'no prototype key is a row');
});

test.run();
