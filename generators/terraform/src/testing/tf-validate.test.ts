// The checker must catch what `terraform validate` would: each test feeds it one mistake.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateRendered } from './reference';

const AWS_MAIN = {
  terraform: {
    required_providers: { aws: { source: 'hashicorp/aws', version: '6.19.0' } },
    backend: { s3: { bucket: 'b', key: 'k', region: 'us-east-2', dynamodb_table: 'locks' } },
  },
  provider: { aws: { region: 'us-east-2' } },
  resource: { aws_vpc: { main: { cidr_block: '10.0.0.0/16' } } },
};

/** Problems of a root made of the valid AWS main file plus `doc` as a second file. */
function problemsOf(doc: Record<string, unknown>, main: Record<string, unknown> = AWS_MAIN): string[] {
  return validateRendered(new Map([
    ['terraform/main.tf.json', JSON.stringify(main)],
    ['terraform/x.tf.json', JSON.stringify(doc)],
  ]));
}

const only = (problems: string[], fragment: string) => {
  assert.is(problems.length, 1, problems.join('\n'));
  assert.ok(problems[0].includes(fragment), problems[0]);
};

test('a valid root has no problems', () => {
  assert.equal(problemsOf({ '//': 'comment', resource: { aws_subnet: { a: { vpc_id: '${aws_vpc.main.id}', cidr_block: '10.0.1.0/24' } } } }), []);
});

test('unknown attribute, unknown resource type, unknown top-level key', () => {
  only(problemsOf({ resource: { aws_subnet: { a: { vpc_id: 'v', cidr: '10.0.1.0/24' } } } }), 'aws_subnet.a.cidr: is not an attribute or block');
  only(problemsOf({ resource: { aws_subnet_group: { a: {} } } }), 'unknown resource type');
  only(problemsOf({ resources: {} }), 'resources: is not a top-level block type');
});

test('missing required attribute', () => {
  only(problemsOf({ resource: { aws_subnet: { a: { cidr_block: '10.0.1.0/24' } } } }), 'aws_subnet.a.vpc_id: is required');
});

test('nested block limits and types', () => {
  const tooMany = { resource: { aws_instance: { a: { ami: 'ami-1', root_block_device: [{ volume_size: 8 }, { volume_size: 9 }] } } } };
  only(problemsOf(tooMany), 'takes at most 1 block(s), got 2');
  only(problemsOf({ resource: { aws_instance: { a: { ami: 'ami-1', root_block_device: { volume_size: '8' } } } } }), 'root_block_device.volume_size: must be a number');
  only(problemsOf({ resource: { aws_instance: { a: { ami: 'ami-1', vpc_security_group_ids: 'sg-1' } } } }), 'must be a set');
  only(problemsOf({ resource: { aws_instance: { a: { ami: 'ami-1', tags: { Name: 1 } } } } }), 'tags["Name"]: must be a string');
});

test('computed-only attributes cannot be set', () => {
  only(problemsOf({ resource: { aws_instance: { a: { ami: 'ami-1', arn: 'x' } } } }), 'aws_instance.a.arn: is computed by the provider');
});

test('attribute-as-block objects need every member', () => {
  const ingress = { from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: ['10.0.0.0/8'] };
  const problems = problemsOf({ resource: { aws_security_group: { a: { ingress: [ingress] } } } });
  assert.ok(problems.some((p) => p.includes('ingress[0].self: must be present (use null')), problems.join('\n'));
});

test('templates: unescaped ${ and %{, unresolved references', () => {
  only(problemsOf({ resource: { aws_vpc: { b: { cidr_block: '10.1.0.0/16', tags: { Name: 'cost ${5}' } } } } }), 'is not a reference this generator renders');
  only(problemsOf({ resource: { aws_vpc: { b: { cidr_block: '10.1.0.0/16', tags: { Name: '%{if x}' } } } } }), 'unescaped template directive');
  only(problemsOf({ resource: { aws_subnet: { a: { vpc_id: '${aws_vpc.other.id}' } } } }), 'aws_vpc.other is not declared in this root');
  only(problemsOf({ resource: { aws_subnet: { a: { vpc_id: '${aws_vpc.main.vpc_identifier}' } } } }), '"vpc_identifier" is not an attribute of aws_vpc.main');
  only(problemsOf({ resource: { aws_subnet: { a: { vpc_id: '${var.vpc}' } } } }), 'no variable "vpc"');
  // Escaped sequences are literals and need no declaration.
  assert.equal(problemsOf({ resource: { aws_vpc: { b: { cidr_block: '10.1.0.0/16', tags: { Name: 'cost $${5} %%{x}' } } } } }), []);
});

test('labels must be identifiers, and declared once per root', () => {
  only(problemsOf({ resource: { aws_vpc: { '1vpc': { cidr_block: '10.1.0.0/16' } } } }), 'is not a valid label');
  only(problemsOf({ resource: { aws_vpc: { main: { cidr_block: '10.1.0.0/16' } } } }), 'is also declared in terraform/main.tf.json');
});

test('the backend must exist once and lock; providers must be pinned', () => {
  const noLock = { ...AWS_MAIN, terraform: { ...AWS_MAIN.terraform, backend: { s3: { bucket: 'b', key: 'k', region: 'us-east-2' } } } };
  only(problemsOf({}, noLock), 'terraform.backend.s3: does not lock state');
  const consulNoLock = { ...AWS_MAIN, terraform: { ...AWS_MAIN.terraform, backend: { consul: { path: 'p', lock: false } } } };
  only(problemsOf({}, consulNoLock), 'terraform.backend.consul: does not lock state');
  const none = { ...AWS_MAIN, terraform: { required_providers: AWS_MAIN.terraform.required_providers } };
  only(problemsOf({}, none), 'the root needs exactly one backend, found 0');
  const loose = { ...AWS_MAIN, terraform: { ...AWS_MAIN.terraform, required_providers: { aws: { source: 'hashicorp/aws', version: '~> 6.0' } } } };
  only(problemsOf({}, loose), 'is not pinned to one release');
});

test('files must parse and be objects', () => {
  const problems = validateRendered(new Map([['terraform/main.tf.json', JSON.stringify(AWS_MAIN)], ['terraform/bad.tf.json', '{"resource": ']]));
  only(problems, 'does not parse as JSON');
});

// vSphere: the 2.0.2 model's format (Required/MaxItems/IsBlock/ConflictsWith).
const VSPHERE_MAIN = {
  terraform: { required_providers: { vsphere: { source: 'hashicorp/vsphere', version: '2.0.2' } }, backend: { consul: { path: 'p' } } },
  provider: { vsphere: { user: 'u', password: 'p' } },
};

test('vSphere model: required attributes, block limits, conflicts, computed blocks', () => {
  const vm = (extra: Record<string, unknown>) => ({ resource: { vsphere_virtual_machine: { vm: { name: 'vm', resource_pool_id: 'rp', ...extra } } } });
  assert.equal(problemsOf(vm({ clone: { template_uuid: 't' } }), VSPHERE_MAIN), []);
  only(problemsOf({ resource: { vsphere_virtual_machine: { vm: { name: 'vm' } } } }, VSPHERE_MAIN), 'vm.resource_pool_id: is required');
  only(problemsOf(vm({ clone: [{ template_uuid: 't' }, { template_uuid: 'u' }] }), VSPHERE_MAIN), 'clone: takes at most 1 block(s), got 2');
  only(problemsOf(vm({ clone: { template_uuid: 't', customize: { linux_options: { host_name: 'vm' } } } }), VSPHERE_MAIN), 'linux_options.domain: is required');
  // Each side of the conflict names the other.
  const conflict = problemsOf(vm({ datastore_id: 'a', datastore_cluster_id: 'b' }), VSPHERE_MAIN);
  assert.equal(conflict.map((p) => p.replace(/^.*?: /, '')).sort(), [
    'vsphere_virtual_machine.vm.datastore_cluster_id: conflicts with datastore_id, which is also set',
    'vsphere_virtual_machine.vm.datastore_id: conflicts with datastore_cluster_id, which is also set',
  ]);
  only(problemsOf(vm({ default_ip_address: '10.0.0.1' }), VSPHERE_MAIN), 'vm.default_ip_address: is computed by the provider');
  const portGroup = { name: 'pg', host_system_id: 'h', virtual_switch_name: 'vs', ports: { key: 'k' } };
  only(problemsOf({ resource: { vsphere_host_port_group: { pg: portGroup } } }, VSPHERE_MAIN), 'pg.ports: is a computed block and cannot be set');
  only(problemsOf(vm({ extra_config: { a: 1 } }), VSPHERE_MAIN), 'extra_config["a"]: must be a string');
  only(problemsOf({ data: { vsphere_datastore: { d: {} } } }, VSPHERE_MAIN), 'data.vsphere_datastore.d.name: is required');
});

test.run();
