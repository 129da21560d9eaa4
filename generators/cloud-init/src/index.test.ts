import { test } from 'uvu';
import * as assert from 'uvu/assert';
import YAML from 'yaml';
import type { Environment } from '@infra/model';
import { generatedMarker } from '@infra/render';
import { shuffled } from '@infra/render/testing';
import lenexa from '@infra/env-lenexa';
import awsDr from '@infra/env-aws-dr';
import { cloudInitGenerator, renderHadoopUserData, renderUserData, userDataHash } from './index';
import { MODULE_SETS, checkModuleSet } from './module-sets';
import { upstreamErrors } from './testing/upstream-schema';
import { everyRole, singleMasterAws } from './testing/fixtures';

const ctx = { environment: () => undefined };
const generate = (env: Environment) => cloudInitGenerator.generate(env, ctx);
const ENVIRONMENTS = [lenexa, awsDr, everyRole(), singleMasterAws()];

test('the real environments pass check()', () => {
  for (const env of [lenexa, awsDr]) assert.equal(cloudInitGenerator.check!(env, ctx), [], env.name);
});

test('one user-data per host group, named after the group, and per Hadoop cluster where its hosts are instances', () => {
  for (const env of ENVIRONMENTS) {
    const hadoop = env.site.kind === 'aws' ? env.hadoop.map((c) => `cloud-init/hadoop-${c.name}.yaml`) : [];
    assert.equal([...generate(env).keys()].sort(), [...env.hostGroups.map((g) => `cloud-init/${g.name}.yaml`), ...hadoop].sort(), env.name);
  }
});

test('every rendered cloud-config validates against the upstream schema and the 0.7.5 module set', () => {
  let checked = 0;
  for (const env of ENVIRONMENTS) {
    for (const [file, text] of generate(env)) {
      const where = `${env.name}/${file}`;
      const lines = text.split('\n');
      assert.is(lines[0], '#cloud-config', where);
      assert.is(lines[1], `# ${generatedMarker('cloud-init')}`, where);
      assert.ok(text.endsWith('\n') && !text.endsWith('\n\n'), `${where}: exactly one final newline`);
      assert.not.match(text, /\r/, where);
      // cloud-init reads YAML 1.1 (PyYAML).
      const doc = YAML.parse(text, { version: '1.1' });
      assert.equal(upstreamErrors(doc), [], where);
      assert.equal(checkModuleSet(doc, MODULE_SETS['0.7.5']), [], where);
      checked++;
    }
  }
  assert.is(checked, 10 + 11 + 6 + 2);
});

test('renderUserData is what generate writes, and the hash is its sha256', () => {
  const group = lenexa.hostGroups.find((g) => g.name === 'db-ledger')!;
  const text = renderUserData(lenexa, group);
  assert.is(generate(lenexa).get('cloud-init/db-ledger.yaml'), text);
  assert.match(userDataHash(lenexa, group), /^[0-9a-f]{64}$/);
  assert.is.not(userDataHash(lenexa, group), userDataHash(lenexa, lenexa.hostGroups.find((g) => g.name === 'db-catalog')!));
});

test('stemcell patches are pinned name=version packages, before the role', () => {
  const doc = YAML.parse(renderUserData(lenexa, lenexa.hostGroups[0]), { version: '1.1' });
  assert.equal(doc.packages, ['openssh-server=1:6.6p1-2ubuntu2.13', 'libssl1.0.0=1.0.1f-1ubuntu2.27', 'openssl=1.0.1f-1ubuntu2.27', 'linux-image-generic=3.13.0.170.181']);
  assert.is(doc.package_update, true);
});

const files = (doc: { write_files: { path: string; content: string }[] }) => new Map(doc.write_files.map((f) => [f.path, f.content]));

test('mesos masters: ensemble of every master, majority quorum, zk URL by FQDN, Marathon on the same ZooKeeper', () => {
  const doc = YAML.parse(generate(lenexa).get('cloud-init/mesos-master.yaml')!, { version: '1.1' });
  const f = files(doc);
  const zk = 'zk://mesos-master-01.lenexa.example.net:2181,mesos-master-02.lenexa.example.net:2181,mesos-master-03.lenexa.example.net:2181';
  assert.match(f.get('/etc/infra/zookeeper/zoo.cfg')!, 'server.1=mesos-master-01.lenexa.example.net:2888:3888\nserver.2=mesos-master-02.lenexa.example.net:2888:3888\nserver.3=mesos-master-03.lenexa.example.net:2888:3888\n');
  assert.is(f.get('/etc/infra/zookeeper/myid-by-host'), 'mesos-master-01 10.20.1.11 1\nmesos-master-02 10.20.1.12 2\nmesos-master-03 10.20.1.13 3\n');
  assert.is(f.get('/etc/mesos/zk'), `${zk}/mesos\n`);
  assert.is(f.get('/etc/mesos-master/quorum'), '2\n');
  assert.is(f.get('/etc/default/marathon'), `MARATHON_MASTER=${zk}/mesos\nMARATHON_ZK=${zk}/marathon\n`);
  assert.ok(doc.runcmd.some((c: string) => c.includes("zookeeper='3.4.5+dfsg-1'") && c.includes("mesos='1.4.3'") && c.includes("marathon='1.6.549'")));
  // The myid is written from the table at boot, after the package has set up /etc/zookeeper/conf.
  const install = doc.runcmd.findIndex((c: string) => c.includes('apt-get install'));
  const myid = doc.runcmd.findIndex((c: string) => c.includes('> /etc/zookeeper/conf/myid'));
  assert.ok(install >= 0 && myid > install, 'myid written after the install');
});

test('DR masters are reached by their DR domain', () => {
  const f = files(YAML.parse(generate(awsDr).get('cloud-init/mesos-master.yaml')!, { version: '1.1' }));
  assert.match(f.get('/etc/mesos/zk')!, /^zk:\/\/mesos-master-01\.dr\.lenexa\.example\.net:2181,/);
  assert.match(f.get('/etc/infra/zookeeper/myid-by-host')!, 'mesos-master-01 10.120.1.11 1\n');
});

test('mesos agents: masters\' zk URL, docker,mesos containerizers, pinned Docker, rack table', () => {
  const doc = YAML.parse(generate(everyRole()).get('cloud-init/agent.yaml')!, { version: '1.1' });
  const f = files(doc);
  assert.is(f.get('/etc/mesos/zk'), 'zk://master-01.every-role.test:2181,master-02.every-role.test:2181,master-03.every-role.test:2181/mesos\n');
  assert.is(f.get('/etc/mesos-slave/containerizers'), 'docker,mesos\n');
  // agent-03 has no rack in the definition, so it is not in the table and gets no attribute.
  assert.is(f.get('/etc/infra/mesos/rack-by-host'), 'agent-01 10.9.2.1 rack-a\nagent-02 10.9.2.2 rack-b\n');
  assert.ok(doc.runcmd.some((c: string) => c.includes("docker-ce='18.06.3~ce~3-0~ubuntu'") && c.includes("mesos='1.4.3'")));
});

test('agents sharing one rack get the attribute written directly, without a per-host table', () => {
  const doc = YAML.parse(generate(everyRole()).get('cloud-init/edge.yaml')!, { version: '1.1' });
  assert.is(files(doc).get('/etc/mesos-slave/attributes/rack'), 'rack-e\n');
  assert.not.match(JSON.stringify(doc), 'edge-01');
  assert.not.match(JSON.stringify(doc), 'infra-host-value');
});

test('agents without any rack get no rack table and no lookup', () => {
  const text = generate(singleMasterAws()).get('cloud-init/worker.yaml')!;
  assert.not.match(text, 'rack');
  assert.not.match(text, 'infra-host-value');
});

test('a single master has quorum 1', () => {
  const f = files(YAML.parse(generate(singleMasterAws()).get('cloud-init/control.yaml')!, { version: '1.1' }));
  assert.is(f.get('/etc/mesos-master/quorum'), '1\n');
  assert.is(f.get('/etc/infra/zookeeper/myid-by-host'), 'control 10.9.1.5 1\n');
});

test('two app-server groups differ by the apps they host', () => {
  const out = generate(lenexa);
  const billing = YAML.parse(out.get('cloud-init/billing-app.yaml')!, { version: '1.1' });
  const crm = YAML.parse(out.get('cloud-init/crm-app.yaml')!, { version: '1.1' });
  assert.equal([...files(billing).keys()], ['/etc/default/billing-engine']);
  assert.equal([...files(crm).entries()], [['/etc/default/crm-batch', 'PORT=8081\n'], ['/etc/default/crm-portal', 'PORT=8080\n']]);
  assert.ok(crm.runcmd[0].endsWith(" 'crm-batch'='6.0.4' 'crm-portal'='6.0.4'"), crm.runcmd[0]);
});

test('database groups carry their engine, version, data directory and port, set up on the data disk', () => {
  const out = generate(everyRole());
  const pg = YAML.parse(out.get('cloud-init/db-orders.yaml')!, { version: '1.1' });
  assert.equal(pg.runcmd, ['/usr/local/sbin/infra-database-setup']);
  const setup = files(pg).get('/usr/local/sbin/infra-database-setup')!.split('\n');
  // The disk is mounted first, by label, from the site's devices; then the engine is installed.
  assert.is(setup[2], "/usr/local/sbin/infra-data-disk 'infra-data' 'xfs' '/srv/pg' '/dev/sdb'");
  assert.ok(setup[3].endsWith(" 'postgresql-9.6'"));
  assert.ok(setup.includes("chown postgres:postgres '/srv/pg'"));
  assert.ok(setup.includes("pg_createcluster --datadir='/srv/pg/orders' --port='5433' --start '9.6' main"));
  assert.is(setup[1], 'set -eu');
  const my = YAML.parse(out.get('cloud-init/db-search.yaml')!, { version: '1.1' });
  assert.is(files(my).get('/etc/mysql/conf.d/infra.cnf'), '[mysqld]\ndatadir = /var/lib/mysql\nport = 3306\n');
  const mySetup = files(my).get('/usr/local/sbin/infra-database-setup')!;
  assert.ok(mySetup.indexOf("infra-data-disk 'infra-data' 'ext4' '/var/lib/mysql'") < mySetup.indexOf(" 'mysql-server-5.7'"));
  // On AWS the volume shows as an NVMe device on Nitro types and as xvdf on Xen ones.
  const dr = YAML.parse(generate(awsDr).get('cloud-init/db-ledger.yaml')!, { version: '1.1' });
  assert.match(files(dr).get('/usr/local/sbin/infra-database-setup')!, "'/var/lib/postgresql' '/dev/nvme1n1' '/dev/xvdf'\n");
});

test('the data disk script formats only a disk with no signature, and stops rather than touch the root disk', () => {
  const pg = YAML.parse(generate(everyRole()).get('cloud-init/db-orders.yaml')!, { version: '1.1' });
  const script = files(pg).get('/usr/local/sbin/infra-data-disk')!;
  assert.ok(script.startsWith('#!/bin/sh\n'));
  assert.ok(script.indexOf('blkid -L "$label"') < script.indexOf('mkfs'), 'a disk carrying the label is mounted, not formatted');
  assert.match(script, 'if blkid -p "$candidate" >/dev/null 2>&1; then');
  assert.match(script, 'not formatting it');
  assert.match(script, '\nmountpoint -q "$mount_point"\n');
});

test('DR Hadoop hosts get user-data (bare metal gets none): named by the host files, data volume mounted', () => {
  assert.not.ok([...generate(lenexa).keys()].some((k) => k.startsWith('cloud-init/hadoop-')));
  const text = generate(awsDr).get('cloud-init/hadoop-hbase-lenexa.yaml')!;
  assert.is(text, renderHadoopUserData(awsDr, awsDr.hadoop[0]));
  const doc = YAML.parse(text, { version: '1.1' });
  assert.equal(upstreamErrors(doc), []);
  assert.equal(checkModuleSet(doc, MODULE_SETS['0.7.5']), []);
  assert.equal(doc.runcmd, ['/usr/local/sbin/infra-hadoop-setup']);
  const setup = files(doc).get('/usr/local/sbin/infra-hadoop-setup')!.split('\n');
  assert.is(setup[2], "/usr/local/sbin/infra-data-disk 'infra-data' 'ext4' '/data' '/dev/nvme1n1' '/dev/xvdf'");
  assert.match(files(doc).get('/etc/infra/hadoop/name-by-host')!, 'hdp-nn-01 10.120.8.11 hdp-nn-01\n');
  assert.match(files(doc).get('/etc/infra/hadoop/hosts')!, '10.120.8.11 hdp-nn-01.dr.lenexa.example.net hdp-nn-01\n');
  assert.not.match(text, 'hdp-dn-06', 'a host DR excludes is not named');
  const noData = { ...awsDr, hadoop: [{ ...awsDr.hadoop[0], data: undefined }] };
  assert.equal(cloudInitGenerator.check!(noData, ctx).map((p) => `${p.path}: ${p.message}`), [
    'hadoop/hbase-lenexa/data: generators/cloud-init/templates/hadoop.yaml.hbs line 31: no value for "data"',
  ]);
});

test('deterministic: rendering twice and rendering a shuffled definition give the same bytes', () => {
  for (const env of ENVIRONMENTS) {
    const first = generate(env);
    assert.equal(generate(env), first, `${env.name}: second render`);
    for (const seed of [1, 2, 3, 42, 2024]) {
      const mixed = shuffled(env, seed);
      assert.equal([...generate(mixed).entries()].sort(), [...first.entries()].sort(), `${env.name}: seed ${seed}`);
    }
  }
});

test.run();
