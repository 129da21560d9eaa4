// Bad input: each mistake gives a located problem that says what to change.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AwsSite, Environment, HostGroup, Problem } from '@infra/model';
import { shuffled } from '@infra/render/testing';
import { terraformGenerator } from './index';
import { cloudInitStub, smallAws, smallVsphere, stubContextOf, stubUserData } from './testing/fixtures';
import { encodeUserData, type UserDataSource } from './user-data';

const checkWith = (env: Environment, userData: UserDataSource = stubUserData): Problem[] =>
  terraformGenerator.check!(env, stubContextOf(cloudInitStub(userData), env));

const withSite = (env: Environment, site: Partial<AwsSite>): Environment => ({ ...env, site: { ...(env.site as AwsSite), ...site } });

test('the small fixtures are clean', () => {
  assert.equal(checkWith(smallVsphere()), []);
  assert.equal(checkWith(smallAws()), []);
});

test('a size with no instance type mapping is reported where it is used', () => {
  const env = withSite(smallAws(), { instanceTypes: { small: 't3.medium' } }); // "big" unmapped
  assert.equal(checkWith(env), [
    { env: 'small-dr', path: 'hadoop/hbase/size', message: 'size "big" has no EC2 instance type in site.instanceTypes (mapped: small): add "big": "<instance type>" to the AWS site' },
    { env: 'small-dr', path: 'hostGroups/agent/size', message: 'size "big" has no EC2 instance type in site.instanceTypes (mapped: small): add "big": "<instance type>" to the AWS site' },
    { env: 'small-dr', path: 'hostGroups/db/size', message: 'size "big" has no EC2 instance type in site.instanceTypes (mapped: small): add "big": "<instance type>" to the AWS site' },
  ]);
});

test('a site kind validation refuses: the other checks still report (every problem at once), no crash', () => {
  const env = smallVsphere();
  const odd = { ...env, site: { ...env.site, kind: 'openstack' }, network: { ...env.network, subnets: [...env.network.subnets, { name: '9bad', cidr: '10.1.9.0/24', gateway: '10.1.9.1' }] } } as unknown as Environment;
  assert.equal(checkWith(odd).map((p) => p.path), ['network/subnets/9bad/name']);
});

/** Deterministic text that gzip cannot shrink much (base64 of an LCG's bytes). */
function noise(bytes: number): string {
  let state = 12345;
  const buf = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) buf[i] = (state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 24;
  return buf.toString('base64');
}

test('user-data over 16 KB after gzip fails check on AWS, naming the group, sizes and the fix', () => {
  const text = `#cloud-config\n# ${noise(20000)}\n`;
  const big: UserDataSource = (env, group) => (group.name === 'agent' ? text : stubUserData(env, group));
  const problems = checkWith(smallAws(), big);
  assert.is(problems.length, 1, JSON.stringify(problems));
  assert.is(problems[0].path, 'hostGroups/agent');
  const gzipped = encodeUserData(text).gzipBytes;
  assert.ok(gzipped > 16384);
  assert.is(problems[0].message, `user-data of role mesos-agent is ${gzipped} bytes gzipped (${text.length} bytes raw); EC2 accepts at most 16384 bytes before base64: move large files out of the role's cloud-config (e.g. into a package)`);
  // vSphere guestinfo has no such limit.
  assert.equal(checkWith(smallVsphere(), big), []);
});

test('large but compressible user-data passes: the limit is on what EC2 receives', () => {
  const big: UserDataSource = () => `#cloud-config\n# ${'a'.repeat(40000)}\n`;
  assert.equal(checkWith(smallAws(), big), []);
});

test('user-data that cannot be rendered is reported against its group', () => {
  const failing: UserDataSource = (env, group) => {
    if (group.role === 'database') throw new Error('missing template for role database');
    return stubUserData(env, group);
  };
  assert.equal(checkWith(smallVsphere(), failing), [
    { env: 'small', path: 'hostGroups/db', message: 'its user-data could not be rendered: missing template for role database' },
  ]);
});

test('names that cannot be Terraform labels', () => {
  const env = smallAws();
  const bad: Environment = {
    ...env,
    hostGroups: env.hostGroups.map((g): HostGroup => (g.role === 'app-server' ? { ...g, hosts: ['1web', 'web.01'] } : g)),
    hadoop: env.hadoop.map((c) => ({ ...c, hosts: c.hosts.map((h) => ({ ...h, name: `9${h.name}` })) })),
  };
  const paths = checkWith(bad).map((p) => p.path);
  assert.equal(paths, ['hadoop/hbase/hosts/9hdp-01', 'hosts/1web', 'hosts/web.01']);
});

test('AWS-reserved addresses and single-zone subnets', () => {
  const env = smallAws();
  const bad: Environment = {
    ...env,
    network: { ...env.network, subnets: env.network.subnets.map((s) => ({ ...s, zone: 'us-east-2a' })) },
    hostGroups: env.hostGroups.map((g) => (g.role === 'database' ? { ...g, hosts: [{ name: 'db-01', ip: '10.2.2.3' }] } : g)),
  };
  assert.equal(checkWith(bad), [
    { env: 'small-dr', path: 'hosts/db-01/ip', message: '10.2.2.3 is reserved by AWS in subnet data (the first four and the last address are): use another address' },
    { env: 'small-dr', path: 'network/subnets', message: 'every subnet is in us-east-2a: disaster recovery must survive the loss of one zone; put subnets in at least two of us-east-2a, us-east-2b' },
  ]);
});

test('check reports the same list for a shuffled definition', () => {
  const env = withSite(smallAws(), { instanceTypes: {} });
  assert.equal(checkWith(shuffled(env, 3)), checkWith(env));
});

test('Hadoop user-data on AWS must render and fit EC2\'s limit', () => {
  const env = smallAws();
  // 40,000 characters that gzip cannot shrink below the limit (a fixed pseudo-random sequence).
  let x = 42;
  const next = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0) % 90);
  const noise = Array.from({ length: 40000 }, () => String.fromCharCode(33 + next())).join('');
  const huge = () => `#cloud-config\n# ${noise}\n`;
  const problems = terraformGenerator.check!(env, stubContextOf(cloudInitStub(stubUserData, huge), env));
  assert.equal(problems.map((p) => p.path), ['hadoop/hbase']);
  assert.match(problems[0].message, /^user-data of its hosts is \d+ bytes gzipped; EC2 accepts at most 16384 bytes before base64/);
  const broken = () => { throw new Error('no value for "data"'); };
  assert.equal(terraformGenerator.check!(env, stubContextOf(cloudInitStub(stubUserData, broken), env)), [
    { env: 'small-dr', path: 'hadoop/hbase', message: 'its user-data could not be rendered: no value for "data"' },
  ]);
});

test.run();
