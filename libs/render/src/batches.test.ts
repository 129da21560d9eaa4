import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { downVms, partitionBatches, roleBatching, vmBatches, type DownVm, type RolloutFile } from './batches';
import type { TerraformChange } from './changes';

// The one batching rule of a VM rollout (apply runs it, the review shows it). Every case either
// caller relied on, on small trees: the rule reads only rollout/<group>.json.

const tree = (...files: RolloutFile[]) => new Map(files.map((f) => [`rollout/${f.group}.json`, JSON.stringify(f)]));
const policy = (canaries: number, maxInFlight: number) => ({ canaries, maxInFlight, canaryWatchSeconds: 60, updateWatchSeconds: 30 });
const vm = (host: string, group: string, role?: string, failureDomain?: string, destroyed = false): DownVm =>
  ({ address: `vsphere_virtual_machine.${host}`, host, group, ...(role ? { role } : {}), ...(failureDomain ? { failureDomain } : {}), destroyed });
/** "group:[C ]host+host@domain" per batch. */
const show = (down: DownVm[], before: Map<string, string>, after = before) =>
  vmBatches(down, before, after).map((b) => `${b.group}:${b.canary ? 'C ' : ''}${b.members.map((m) => m.host).join('+')}${b.failureDomain ? `@${b.failureDomain}` : ''}`);

test('groups roll masters, agents, app servers, databases, Hadoop, then the rest; by name within a role', () => {
  const down = [
    vm('x-01', 'other', 'unknown'), vm('hdp-01', 'hbase', 'hadoop'), vm('db-01', 'db-a', 'database'),
    vm('crm-01', 'crm', 'app-server'), vm('bill-01', 'billing', 'app-server'), vm('agent-01', 'agents', 'mesos-agent', 'rack-a'),
    vm('master-01', 'masters', 'mesos-master'), vm('nameless-01', 'nameless'),
  ];
  assert.equal(show(down, new Map()), [
    'masters:C master-01', 'agents:C agent-01@rack-a', 'billing:C bill-01', 'crm:C crm-01', 'db-a:C db-01', 'hbase:C hdp-01',
    'nameless:C nameless-01', 'other:C x-01',
  ]);
});

test('without a rollout file: one canary, then one host at a time; agents a whole failure domain at a time', () => {
  const apps = ['03', '01', '02'].map((n) => vm(`crm-${n}`, 'crm', 'app-server'));
  assert.equal(show(apps, new Map()), ['crm:C crm-01', 'crm:crm-02', 'crm:crm-03']);
  const agents = [vm('a-04', 'agents', 'mesos-agent', 'rack-b'), vm('a-01', 'agents', 'mesos-agent', 'rack-a'), vm('a-02', 'agents', 'mesos-agent', 'rack-a'), vm('a-03', 'agents', 'mesos-agent', 'rack-b'), vm('a-05', 'agents', 'mesos-agent', 'rack-a')];
  assert.equal(show(agents, new Map()), ['agents:C a-01@rack-a', 'agents:a-02+a-05@rack-a', 'agents:a-03+a-04@rack-b']);
});

test('the file\'s policy: its canaries one at a time (none when 0), then maxInFlight at a time, in the file\'s order', () => {
  const hosts = ['05', '01', '02', '03', '04'].map((n) => ({ host: `bill-${n}` }));
  const file = { group: 'billing', update: policy(2, 2), batches: [{ hosts }] };
  const down = ['01', '02', '03', '04', '05'].map((n) => vm(`bill-${n}`, 'billing', 'app-server'));
  assert.equal(show(down, tree(file)), ['billing:C bill-05', 'billing:C bill-01', 'billing:bill-02+bill-03', 'billing:bill-04']);
  assert.equal(show(down, tree({ ...file, update: policy(0, 3) })), ['billing:bill-05+bill-01+bill-02', 'billing:bill-03+bill-04']);
  // Only the hosts taken down roll: the canary is the first of them in the file's order.
  assert.equal(show(down.slice(0, 4), tree(file)), ['billing:C bill-01', 'billing:C bill-02', 'billing:bill-03+bill-04']);
  // A host the file does not list (added since it was rendered) goes last, hosts by name.
  assert.equal(show([...down, vm('bill-00', 'billing', 'app-server')], tree({ ...file, update: policy(1, 4) })), ['billing:C bill-05', 'billing:bill-01+bill-02+bill-03+bill-04', 'billing:bill-00']);
});

test('an older file without `update`: one canary, then its batchSize', () => {
  const down = ['01', '02', '03', '04'].map((n) => vm(`crm-${n}`, 'crm', 'app-server'));
  assert.equal(show(down, tree({ group: 'crm', batchSize: 2, batches: [] })), ['crm:C crm-01', 'crm:crm-02+crm-03', 'crm:crm-04']);
});

test('masters one at a time, whatever a file says; a maxInFlight below one or not whole counts as one', () => {
  const masters = ['01', '02', '03'].map((n) => vm(`m-${n}`, 'masters', 'mesos-master'));
  assert.equal(show(masters, tree({ group: 'masters', update: policy(0, 3), batches: [] })), ['masters:m-01', 'masters:m-02', 'masters:m-03']);
  const apps = ['01', '02', '03'].map((n) => vm(`a-${n}`, 'apps', 'app-server'));
  assert.equal(show(apps, tree({ group: 'apps', update: policy(0, 0), batches: [] })), ['apps:a-01', 'apps:a-02', 'apps:a-03']);
  assert.equal(show(apps, tree({ group: 'apps', update: policy(0, 2.7), batches: [] })), ['apps:a-01+a-02', 'apps:a-03']);
});

test('agents never two failure domains in one batch, however many are in flight; a domain the VM lacks is the file\'s', () => {
  const file: RolloutFile = {
    group: 'agents', update: policy(1, 8),
    batches: [{ hosts: [{ host: 'a-01', failureDomain: 'rack-a' }, { host: 'a-03', failureDomain: 'rack-a' }, { host: 'a-02', failureDomain: 'rack-b' }, { host: 'a-04', failureDomain: 'rack-b' }] }],
  };
  const down = ['01', '02', '03', '04'].map((n) => vm(`a-${n}`, 'agents', 'mesos-agent'));
  assert.equal(show(down, tree(file)), ['agents:C a-01@rack-a', 'agents:a-03@rack-a', 'agents:a-02+a-04@rack-b']);
  // The VM's own domain (from the inventory) wins over the file's.
  down[2] = { ...down[2], failureDomain: 'rack-c' };
  assert.equal(show(down, tree(file)), ['agents:C a-01@rack-a', 'agents:a-03@rack-c', 'agents:a-02+a-04@rack-b']);
  // Neither knows one: a run of its own, without a domain.
  assert.equal(show([vm('z-01', 'agents', 'mesos-agent'), vm('z-02', 'agents', 'mesos-agent')], new Map()), ['agents:C z-01', 'agents:z-02']);
});

test('a group removed from the definition is taken down at the pace its base file declared, not all at once', () => {
  const base = tree({ group: 'agents-c', update: policy(1, 2), batches: [{ hosts: ['09', '10', '11', '12'].map((n) => ({ host: `a-${n}`, failureDomain: 'rack-c' })) }] });
  const down = ['09', '10', '11', '12'].map((n) => vm(`a-${n}`, 'agents-c', 'mesos-agent', undefined, true));
  assert.equal(show(down, base, new Map()), ['agents-c:C a-09@rack-c', 'agents-c:a-10+a-11@rack-c', 'agents-c:a-12@rack-c']);
  // The target's file wins when the group is still there (its policy, its hosts' domains).
  const after = tree({ group: 'agents-c', update: policy(1, 1), batches: [] });
  assert.equal(show(down, base, after), ['agents-c:C a-09', 'agents-c:a-10', 'agents-c:a-11', 'agents-c:a-12']);
  assert.equal(vmBatches(down, base, after)[0].file, JSON.parse(after.get('rollout/agents-c.json')!));
});

test('order of the input does not matter', () => {
  const down = [vm('a-02', 'agents', 'mesos-agent', 'rack-a'), vm('m-01', 'masters', 'mesos-master'), vm('a-01', 'agents', 'mesos-agent', 'rack-a'), vm('c-01', 'crm', 'app-server')];
  assert.equal(show(down, new Map()), show([...down].reverse(), new Map()));
});

test('the role table: agents one failure domain a batch, masters one at a time (the model\'s fixed maxInFlight); a role no table knows neither', () => {
  assert.equal(roleBatching('mesos-agent'), { oneDomainPerBatch: true });
  assert.equal(roleBatching('mesos-master'), { oneDomainPerBatch: false, fixedMaxInFlight: 1 });
  assert.equal(roleBatching('hadoop'), { oneDomainPerBatch: false });
  assert.equal(roleBatching('toString'), { oneDomainPerBatch: false }, 'no prototype key is a row');
  assert.equal(roleBatching(undefined), { oneDomainPerBatch: false });
});

test('partitionBatches, the rule the rollout file is cut with too: canaries, then runs per domain in first-seen order, maxInFlight each', () => {
  const hosts = ['a1', 'b1', 'a2', 'b2', 'a3', 'c1'];
  const domain = (h: string) => h[0];
  assert.equal(partitionBatches(hosts, { canaries: 1, maxInFlight: 2, oneDomainPerBatch: true }, domain).map((b) => `${b.canary ? '*' : ''}${b.domain}:${b.members.join(',')}`),
    ['*a:a1', 'b:b1,b2', 'a:a2,a3', 'c:c1']);
  assert.equal(partitionBatches(hosts, { canaries: 0, maxInFlight: 4, oneDomainPerBatch: false }, domain).map((b) => b.members.join(',')), ['a1,b1,a2,b2', 'a3,c1']);
  assert.equal(partitionBatches(hosts, { canaries: 9, maxInFlight: 0.5, oneDomainPerBatch: false }, domain).map((b) => b.canary), [true, true, true, true, true, true]);
});

test('downVms: the VMs a reviewed diff replaces or destroys, with the facts the terraform kind gave them', () => {
  const c = (address: string, action: TerraformChange['action'], extra: Partial<TerraformChange> = {}): TerraformChange => ({ address, action, reasons: [], attributes: [], dataHolding: 'none', ...extra });
  const down = downVms([
    c('vsphere_virtual_machine.m-01', 'replace', { group: 'masters', role: 'mesos-master', host: 'm-01', failureDomain: 'rack-a' }),
    c('aws_instance.hdp-01', 'delete', { group: 'hbase', role: 'hadoop', host: 'hdp-01' }),
    c('aws_instance.lone', 'replace'),
    c('vsphere_virtual_machine.new-01', 'create', { group: 'g', host: 'new-01' }),
    c('vsphere_virtual_machine.upd-01', 'update', { group: 'g', host: 'upd-01' }),
    c('vsphere_virtual_disk.m-01-data', 'replace'),
  ]);
  assert.equal(down, [
    { address: 'vsphere_virtual_machine.m-01', host: 'm-01', group: 'masters', role: 'mesos-master', failureDomain: 'rack-a', destroyed: false },
    { address: 'aws_instance.hdp-01', host: 'hdp-01', group: 'hbase', role: 'hadoop', destroyed: true },
    { address: 'aws_instance.lone', host: 'lone', group: 'lone', destroyed: false },
  ]);
});

test.run();
