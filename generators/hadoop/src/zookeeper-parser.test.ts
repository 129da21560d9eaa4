// Every rendered ZooKeeper configuration, read by ZooKeeper's own parser (QuorumPeerConfig, from
// Debian's zookeeper package; .ci/run installs it with a JDK): the Hadoop clusters' zoo.cfg from
// this kind, and the Mesos masters' from their rendered user-data. Each member is parsed with its
// own myid, as it would be at start-up. Only dataDir is pointed at a scratch directory holding
// that myid; names resolve from a hosts file of the rendered addresses (no DNS query leaves).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import YAML from 'yaml';
import lenexa from '@infra/env-lenexa';
import awsDr from '@infra/env-aws-dr';
import type { Environment } from '@infra/model';
import { hadoopGenerator } from './index';

const ZOOKEEPER_JAR = '/usr/share/java/zookeeper.jar';
const REPO = path.resolve(__dirname, '../../..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'zoo-cfg-'));

function parserClasses(): string {
  const missing = ['java', 'javac'].filter((bin) => spawnSync(bin, ['-version']).error !== undefined);
  if (missing.length > 0 || !fs.existsSync(ZOOKEEPER_JAR)) {
    throw new Error(`ZooKeeper's parser is not installed (${[...missing, ...(fs.existsSync(ZOOKEEPER_JAR) ? [] : [ZOOKEEPER_JAR])].join(', ')} missing): `
      + 'apt-get install zookeeper default-jdk-headless (what .ci/run does)');
  }
  const out = path.join(work, 'classes');
  const r = spawnSync('javac', ['-cp', ZOOKEEPER_JAR, '-d', out, path.join(__dirname, 'testing', 'ParseZooCfg.java')], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  return out;
}
const classes = parserClasses();

interface Ensemble { where: string; cfg: string; myids: Map<string, number>; hosts: string }

/** Parses `cfg` as the member with `myid` would; returns the parser's one-line verdict. */
function parse(cfg: string, myid: number | undefined, hosts: string): { status: number | null; out: string } {
  const dir = fs.mkdtempSync(path.join(work, 'member-'));
  const data = path.join(dir, 'data');
  fs.mkdirSync(data);
  if (myid !== undefined) fs.writeFileSync(path.join(data, 'myid'), `${myid}\n`);
  const file = path.join(dir, 'zoo.cfg');
  fs.writeFileSync(file, cfg.replace(/^dataDir=.*$/m, `dataDir=${data}`));
  fs.writeFileSync(path.join(dir, 'hosts'), hosts);
  const r = spawnSync('java', [`-Djdk.net.hosts.file=${path.join(dir, 'hosts')}`, '-cp', `${ZOOKEEPER_JAR}:${classes}`, 'ParseZooCfg', file], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout.trim() };
}

function hadoopEnsembles(env: Environment): Ensemble[] {
  const files = hadoopGenerator.generate(env, { environment: () => undefined });
  return env.hadoop.map((c) => {
    const cfg = files.get(`hadoop/${c.name}/zoo.cfg`)!;
    const myids = new Map<string, number>();
    for (const [file, text] of files) {
      const m = new RegExp(`^hadoop/${c.name}/zookeeper/myid\\.(.+)$`).exec(file);
      if (m) myids.set(m[1], Number(text.trim()));
    }
    const hosts = c.hosts.map((h) => `${h.ip} ${h.name}.${env.network.domain}\n`).join('');
    return { where: `${env.name} hadoop/${c.name}`, cfg, myids, hosts };
  });
}

/** The masters' ensemble from their committed user-data (kept current by `infra check`). */
function masterEnsemble(env: string): Ensemble {
  const doc = YAML.parse(fs.readFileSync(path.join(REPO, 'rendered', env, 'cloud-init', 'mesos-master.yaml'), 'utf8'), { version: '1.1' });
  const file = (p: string) => doc.write_files.find((f: { path: string }) => f.path === p).content as string;
  const rows = file('/etc/infra/zookeeper/myid-by-host').trim().split('\n').map((l) => l.split(' '));
  const domain = /server\.\d+=[^.]+\.([^:]+):/.exec(file('/etc/infra/zookeeper/zoo.cfg'))![1];
  return {
    where: `${env} mesos-master`,
    cfg: file('/etc/infra/zookeeper/zoo.cfg'),
    myids: new Map(rows.map(([host, , id]) => [host, Number(id)])),
    hosts: rows.map(([host, address]) => `${address} ${host}.${domain}\n`).join(''),
  };
}

const ENSEMBLES = [...hadoopEnsembles(lenexa), ...hadoopEnsembles(awsDr), masterEnsemble('lenexa'), masterEnsemble('aws-dr')];

test('every rendered zoo.cfg is accepted by ZooKeeper\'s parser for each member, with its own myid', () => {
  let parsed = 0;
  for (const e of ENSEMBLES) {
    assert.ok(e.myids.size >= 3, `${e.where}: ${e.myids.size} members`);
    for (const [host, id] of e.myids) {
      const r = parse(e.cfg, id, e.hosts);
      assert.is(r.out, `ok myid=${id} servers=${e.myids.size} clientPort=2181`, `${e.where} as ${host}`);
      assert.is(r.status, 0);
      parsed++;
    }
  }
  assert.is(parsed, 3 + 3 + 3 + 3);
});

test('the parser is real: the server lines alone fail as the issue found, and a member without its myid fails', () => {
  const e = ENSEMBLES[0];
  const serversOnly = e.cfg.split('\n').filter((l) => l.startsWith('#') || l.startsWith('server.')).join('\n');
  const old = parse(serversOnly, 11, e.hosts);
  assert.is(old.status, 2);
  assert.match(old.out, /^invalid: Error processing .*zoo\.cfg \(dataDir is not set\)$/);
  const noMyid = parse(e.cfg, undefined, e.hosts);
  assert.is(noMyid.status, 2);
  assert.match(noMyid.out, /myid file is missing/);
});

test.after(() => fs.rmSync(work, { recursive: true, force: true }));

test.run();
