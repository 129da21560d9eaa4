import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gunzipSync } from 'node:zlib';
import lenexa from '@infra/env-lenexa';
import dr from '@infra/env-aws-dr';
import { terraformGenerator } from './index';
import { contextOf } from './testing/fixtures';
import { validateRendered } from './testing/reference';

const ctx = contextOf(lenexa, dr);
const files = terraformGenerator.generate(dr, ctx);
const doc = (file: string) => JSON.parse(files.get(file)!);
const resources = (type: string): Record<string, any> => {
  const out: Record<string, any> = {};
  for (const file of files.keys()) Object.assign(out, doc(file).resource?.[type]);
  return out;
};

test('aws-dr: every file validates against the AWS 6.19.0 schema and the JSON syntax rules', () => {
  assert.equal(terraformGenerator.check!(dr, ctx), []);
  assert.equal(validateRendered(files), []);
  assert.equal([...files.keys()], [
    'terraform/hadoop-hbase-lenexa.tf.json', 'terraform/main.tf.json', 'terraform/network.tf.json', 'terraform/security-groups.tf.json',
    'terraform/vm-billing-app.tf.json', 'terraform/vm-crm-app.tf.json', 'terraform/vm-db-catalog.tf.json', 'terraform/vm-db-customer.tf.json',
    'terraform/vm-db-ledger.tf.json', 'terraform/vm-db-reporting.tf.json', 'terraform/vm-mesos-agent-a.tf.json', 'terraform/vm-mesos-agent-b.tf.json', 'terraform/vm-mesos-agent-c.tf.json',
    'terraform/vm-mesos-master.tf.json',
  ]);
});

test('aws-dr: pinned provider, s3 backend locked by DynamoDB', () => {
  const main = doc('terraform/main.tf.json');
  assert.equal(main.terraform.required_providers, { aws: { source: 'hashicorp/aws', version: '6.19.0' } });
  assert.equal(main.terraform.backend, { s3: { bucket: 'lenexa-dr-terraform-state', key: 'aws-dr/terraform.tfstate', region: 'us-east-2', dynamodb_table: 'terraform-locks', encrypt: true } });
  assert.is(main.provider.aws.region, 'us-east-2');
});

test('aws-dr: one subnet per network subnet, in its zone; a compute subnet per zone, one rack in each', () => {
  const subnets = resources('aws_subnet');
  assert.equal(Object.keys(subnets).sort(), ['apps', 'compute-a', 'compute-b', 'compute-c', 'control', 'data', 'hadoop']);
  assert.equal(subnets['compute-b'], {
    vpc_id: '${aws_vpc.main.id}', cidr_block: '10.120.11.0/24', availability_zone: 'us-east-2b', map_public_ip_on_launch: false, tags: { Name: 'aws-dr-compute-b' },
  });
  assert.equal(new Set(Object.values(subnets).map((s) => s.availability_zone)), new Set(['us-east-2a', 'us-east-2b', 'us-east-2c']));
  // Each rack's agents run in its own zone: losing a zone loses one rack, as the capacity check assumes.
  const zoneOfAgent = (n: string) => subnets[resources('aws_instance')[`mesos-agent-${n}`].subnet_id.replace(/^\$\{aws_subnet\.(.*)\.id\}$/, '$1')].availability_zone;
  assert.equal(['01', '05', '09', '12'].map(zoneOfAgent), ['us-east-2a', 'us-east-2b', 'us-east-2c', 'us-east-2c']);
  assert.is(resources('aws_vpc').main.cidr_block, '10.120.0.0/16');
});

test('aws-dr: security groups open what each role listens on, to the VPC only', () => {
  const ingress = Object.values(resources('aws_vpc_security_group_ingress_rule'));
  const open = (sg: string) => ingress
    .filter((r) => r.security_group_id === `\${aws_security_group.${sg}.id}`)
    .map((r) => (r.from_port === r.to_port ? `${r.from_port}` : `${r.from_port}-${r.to_port}`))
    .sort();
  assert.equal(open('mesos-master'), ['2181', '22', '2888', '3888', '5050', '8080']);
  for (const rack of ['a', 'b', 'c']) assert.equal(open(`mesos-agent-${rack}`), ['22', '31000-32000', '5051']);
  assert.equal(open('db-catalog'), ['22', '3306']);
  assert.equal(open('db-ledger'), ['22', '5432']);
  assert.equal(open('crm-app'), ['22', '8080', '8081']);
  assert.equal(open('billing-app'), ['22', '8443']);
  assert.equal(open('hadoop-hbase-lenexa-namenode'), ['22', '50070', '8020']);
  for (const rule of [...ingress, ...Object.values(resources('aws_vpc_security_group_egress_rule'))]) {
    assert.is(rule.cidr_ipv4, '10.120.0.0/16');
  }
  for (const [file, text] of files) assert.not.ok(text.includes('0.0.0.0/0'), `${file} opens something to the internet`);
});

test('aws-dr: one instance per host, Hadoop hosts included, excluded ones left out', () => {
  const instances = resources('aws_instance');
  assert.is(Object.keys(instances).length, 23 + 8);
  assert.not.ok('hdp-dn-06' in instances);
  const db = instances['db-ledger-01'];
  assert.equal([db.ami, db.instance_type, db.private_ip, db.subnet_id], ['ami-0a3f2c7d9e41b6a85', 'm5.4xlarge', '10.120.5.10', '${aws_subnet.data.id}']);
  assert.equal(db.vpc_security_group_ids, ['${aws_security_group.db-ledger.id}']);
  assert.equal(db.tags.role, 'database');
  assert.equal(db.tags.stemcell, 'ubuntu-trusty-hardened 3468.21');
  assert.is(db.metadata_options.http_tokens, 'optional'); // cloud-init 0.7.5 speaks IMDSv1 only
  const nn = instances['hdp-nn-02'];
  assert.equal([nn.instance_type, nn.private_ip, nn.root_block_device.volume_size], ['i3en.6xlarge', '10.120.8.12', 100]);
  assert.equal(nn.vpc_security_group_ids, [
    '${aws_security_group.hadoop-hbase-lenexa-hmaster.id}', '${aws_security_group.hadoop-hbase-lenexa-namenode.id}', '${aws_security_group.hadoop-hbase-lenexa-zookeeper.id}',
  ]);
  // The DR Hadoop hosts become Hadoop hosts: user-data that names them and mounts their data volume.
  assert.is(nn.user_data_base64, '${local.userdata_hadoop_hbase-lenexa}');
  const file = doc('terraform/hadoop-hbase-lenexa.tf.json');
  const text = gunzipSync(Buffer.from(file.locals['userdata_hadoop_hbase-lenexa'], 'base64')).toString('utf8');
  assert.is(text, ctx.needs['cloud-init'].hadoopUserData(dr, dr.hadoop[0]));
  assert.match(text, "/usr/local/sbin/infra-data-disk 'infra-data' 'ext4' '/data' '/dev/nvme1n1' '/dev/xvdf'");
  assert.match(text, '      hdp-nn-02 10.120.8.12 hdp-nn-02\n');
  assert.equal(file.resource.aws_ebs_volume['hdp-nn-02'], {
    availability_zone: 'us-east-2a', size: 4000, type: 'gp3', encrypted: true, final_snapshot: true,
    tags: { Name: 'hdp-nn-02-data', host: 'hdp-nn-02', role: 'hadoop', data: 'own-disk' }, lifecycle: { prevent_destroy: true },
  });
  assert.equal(file.resource.aws_volume_attachment['hdp-nn-02'], {
    device_name: '/dev/xvdf', volume_id: '${aws_ebs_volume.hdp-nn-02.id}', instance_id: '${aws_instance.hdp-nn-02.id}', stop_instance_before_detaching: true,
  });
  assert.is(nn.tags.data, 'own-disk');
});

test('aws-dr: user_data_base64 is the group\'s cloud-config, gzipped, within 16 KB', () => {
  for (const group of dr.hostGroups) {
    const file = doc(`terraform/vm-${group.name}.tf.json`);
    const gz = Buffer.from(file.locals[`userdata_${group.name}`], 'base64');
    assert.ok(gz.length <= 16384);
    assert.is(gunzipSync(gz).toString('utf8'), ctx.needs['cloud-init'].userData(dr, group));
    for (const vm of Object.values<any>(file.resource.aws_instance)) {
      assert.is(vm.user_data_base64, `\${local.userdata_${group.name}}`);
      // A new mutation replaces a stateless instance; a database is kept and patched in place.
      assert.is(vm.user_data_replace_on_change, group.role !== 'database');
    }
  }
});

test.run();
