// A VM is replaced when its user-data changes, so each change must touch exactly the groups it
// concerns: the stemcell (version, patches) every group; a group's own mutation only that group.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Environment, HostGroup } from '@infra/model';
import lenexa from '@infra/env-lenexa';
import { cloudInitGenerator, userDataHash } from './index';
import { everyRole } from './testing/fixtures';

const ctx = { environment: () => undefined };

function changedFiles(before: Environment, after: Environment): string[] {
  const a = cloudInitGenerator.generate(before, ctx);
  const b = cloudInitGenerator.generate(after, ctx);
  assert.equal([...a.keys()].sort(), [...b.keys()].sort());
  return [...a.keys()].filter((k) => a.get(k) !== b.get(k)).sort();
}
const allFiles = (env: Environment) => env.hostGroups.map((g) => `cloud-init/${g.name}.yaml`).sort();

test('a new stemcell version changes every group\'s user-data', () => {
  const next = { ...lenexa, stemcell: { ...lenexa.stemcell, version: '3468.22' } };
  assert.equal(changedFiles(lenexa, next), allFiles(lenexa));
});

test('a new patch, or a changed pin, changes every group\'s user-data', () => {
  const added = { ...lenexa, stemcell: { ...lenexa.stemcell, patches: [...lenexa.stemcell.patches, { id: 'USN-4100-1', packages: [{ name: 'bash', version: '4.3-7ubuntu1.8' }] }] } };
  assert.equal(changedFiles(lenexa, added), allFiles(lenexa));
  const repinned = {
    ...lenexa,
    stemcell: { ...lenexa.stemcell, patches: lenexa.stemcell.patches.map((p) => (p.id === 'USN-3880-2' ? { ...p, packages: [{ name: 'openssh-server', version: '1:6.6p1-2ubuntu2.14' }] } : p)) },
  };
  assert.equal(changedFiles(lenexa, repinned), allFiles(lenexa));
});

test('changing one database group\'s engine changes only that group\'s file', () => {
  const next = {
    ...lenexa,
    hostGroups: lenexa.hostGroups.map((g): HostGroup => (g.name === 'db-reporting' && g.role === 'database'
      ? { ...g, engine: 'mysql', engineVersion: '5.7', port: 3306, dataDir: '/var/lib/mysql' } : g)),
  };
  assert.equal(changedFiles(lenexa, next), ['cloud-init/db-reporting.yaml']);
  const before = lenexa.hostGroups.find((g) => g.name === 'db-reporting')!;
  const after = next.hostGroups.find((g) => g.name === 'db-reporting')!;
  assert.is.not(userDataHash(next, after), userDataHash(lenexa, before));
  const other = lenexa.hostGroups.find((g) => g.name === 'db-ledger')!;
  assert.is(userDataHash(next, other), userDataHash(lenexa, other));
});

test('an app version on one application server changes only that group', () => {
  const next = {
    ...lenexa,
    hostGroups: lenexa.hostGroups.map((g): HostGroup => (g.name === 'crm-app' && g.role === 'app-server'
      ? { ...g, apps: g.apps.map((a) => (a.name === 'crm-batch' ? { ...a, version: '6.0.5' } : a)) } : g)),
  };
  assert.equal(changedFiles(lenexa, next), ['cloud-init/crm-app.yaml']);
});

test('adding an agent to a group whose agents share a rack (or have none) changes no user-data', () => {
  const env = everyRole();
  const grown = { ...env, hostGroups: env.hostGroups.map((g): HostGroup => (g.name === 'edge' && g.role === 'mesos-agent'
    ? { ...g, hosts: 3, racks: { ...g.racks, 'edge-03': 'rack-e' } } : g)) };
  assert.equal(changedFiles(env, grown), []);
  const unracked = { ...lenexa, hostGroups: lenexa.hostGroups.map((g): HostGroup => (g.role === 'mesos-agent' ? { ...g, hosts: 13 } : g)) };
  assert.equal(changedFiles(lenexa, unracked), []);
});

// Known limitation, kept visible: a group whose agents are in different racks carries a table
// naming every agent, so a new racked agent changes the whole group's user-data. That is why
// lenexa has one agent group per rack (the test above).
test('adding a racked agent to a mixed-rack group changes that group\'s user-data, and only it', () => {
  const env = everyRole();
  const mixed = env.hostGroups.find((g) => g.role === 'mesos-agent' && g.name !== 'edge')!;
  const grown = { ...env, hostGroups: env.hostGroups.map((g): HostGroup => (g === mixed && g.role === 'mesos-agent'
    ? { ...g, hosts: 4, racks: { ...g.racks, [`${g.name}-04`]: 'rack-c' } } : g)) };
  assert.equal(changedFiles(env, grown), [`cloud-init/${mixed.name}.yaml`]);
});

test('adding a master changes the Mesos groups only (ensemble, quorum and zk URL)', () => {
  const moreMasters = { ...lenexa, hostGroups: lenexa.hostGroups.map((g): HostGroup => (g.role === 'mesos-master' ? { ...g, hosts: 5 } : g)) };
  assert.equal(changedFiles(lenexa, moreMasters), ['cloud-init/mesos-agent-a.yaml', 'cloud-init/mesos-agent-b.yaml', 'cloud-init/mesos-agent-c.yaml', 'cloud-init/mesos-master.yaml']);
});

test.run();
