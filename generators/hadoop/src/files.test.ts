// The rendered files of both real environments, read the way Hadoop, HBase and ZooKeeper read
// them (readers.ts), against the rules in ../shared/reference/notes/hadoop-host-files.md.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Environment } from '@infra/model';
import { generatedMarker } from '@infra/render';
import lenexa from '@infra/env-lenexa';
import awsDr from '@infra/env-aws-dr';
import { hadoopGenerator } from './index';
import { noContext } from './testing/fixtures';
import { readHBaseHostList, readHostsFile, readMyid, readTopologyTable, readWorkers } from './testing/readers';

const REFERENCE = path.resolve(__dirname, '../../../reference/apache-hadoop');
const MARKER = `# ${generatedMarker('hadoop')}`;
/** Formats whose readers take every line as data: they must carry no marker or comment. */
const NO_COMMENTS = /\/(regionservers|backup-masters|zookeeper\/myid\.[^/]+)$/;

function render(env: Environment): Map<string, string> {
  return hadoopGenerator.generate(env, noContext);
}
function file(files: Map<string, string>, cluster: string, rel: string): string {
  const text = files.get(`hadoop/${cluster}/${rel}`);
  assert.type(text, 'string', `hadoop/${cluster}/${rel} is rendered`);
  return text as string;
}
const sorted = (xs: string[]) => [...xs].sort();
const ipNumber = (ip: string) => ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);

// The readers must agree with the Apache examples before they can judge our output.
test('readers parse the Apache reference files as Hadoop documents them', () => {
  const include = fs.readFileSync(path.join(REFERENCE, 'dfs-hosts-examples/dfs.hosts.hostname-only.txt'), 'utf8');
  const exclude = fs.readFileSync(path.join(REFERENCE, 'dfs-hosts-examples/dfs.hosts.exclude.hostname-only.txt'), 'utf8');
  assert.equal(readHostsFile(include), ['host1', 'host2', 'host3', 'host4']);
  assert.equal(readHostsFile(exclude), ['host3', 'host4']);
  const table = readTopologyTable(fs.readFileSync(path.join(REFERENCE, 'ozone-topology-network-config.txt'), 'utf8'));
  assert.equal(table.ignored, []);
  assert.is(table.map.size, 6);
  assert.is(table.map.get('10.5.0.7'), '/rack2');
  assert.equal(readHostsFile('a b # c d\n  # e\nf'), ['a', 'b', 'f']);
  assert.equal(readHBaseHostList('# not a comment\n'), ['#', 'not', 'a', 'comment']);
});

for (const env of [lenexa, awsDr]) {
  const files = render(env);
  const domain = env.network.domain;

  test(`${env.name}: every file is LF text with one final newline and no trailing blanks`, () => {
    for (const [p, text] of files) {
      assert.not.match(text, /\r/, `${p} has CR`);
      if (text === '') continue; // an empty host list (e.g. backup-masters with one master)
      assert.ok(text.endsWith('\n') && !text.endsWith('\n\n'), `${p} ends with exactly one newline`);
      for (const line of text.slice(0, -1).split('\n')) {
        assert.ok(line === line.trimEnd(), `${p}: trailing blank in ${JSON.stringify(line)}`);
        assert.ok(line !== '', `${p} has a blank line`);
      }
    }
  });

  test(`${env.name}: files that allow comments start with the marker; the others have no comment at all`, () => {
    for (const [p, text] of files) {
      if (NO_COMMENTS.test(p)) assert.not.match(text, /#/, `${p} must carry no comment`);
      else assert.is(text.split('\n')[0], MARKER, `${p} starts with the marker`);
    }
  });

  for (const cluster of env.hadoop) {
    const c = cluster.name;
    const fq = (name: string) => `${name}.${domain}`;
    const datanodes = cluster.hosts.filter((h) => h.roles.includes('datanode'));

    test(`${env.name}/${c}: workers and dfs.hosts list every datanode; exclude holds the decommissioning ones, all inside include`, () => {
      const workers = readWorkers(file(files, c, 'workers'));
      const include = readHostsFile(file(files, c, 'dfs.hosts'));
      const exclude = readHostsFile(file(files, c, 'dfs.hosts.exclude'));
      assert.equal(workers, sorted(datanodes.map((h) => fq(h.name))));
      assert.equal(include, workers);
      assert.equal(exclude, sorted(datanodes.filter((h) => h.state === 'decommissioning').map((h) => fq(h.name))));
      for (const h of exclude) assert.ok(include.includes(h), `${h} is excluded but missing from dfs.hosts`);
    });

    test(`${env.name}/${c}: topology table has two columns, address and FQDN of every member, racks of one depth`, () => {
      const { map, ignored } = readTopologyTable(file(files, c, 'topology.table'));
      assert.equal(ignored, [], 'TableMapping would skip these lines');
      assert.is(map.size, cluster.hosts.length * 2);
      for (const h of cluster.hosts) {
        assert.is(map.get(h.ip), h.rack, `${h.ip} (the NameNode resolves by address)`);
        assert.is(map.get(fq(h.name)), h.rack);
      }
      const depths = new Set([...map.values()].map((r) => r.split('/').length));
      assert.is(depths.size, 1, 'uniform depth');
      for (const rack of map.values()) assert.ok(rack.startsWith('/'), rack);
    });

    test(`${env.name}/${c}: hosts has "ip fqdn short" for every member, in address order`, () => {
      const entries = file(files, c, 'hosts').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
      assert.equal(
        entries,
        [...cluster.hosts]
          .sort((a, b) => ipNumber(a.ip) - ipNumber(b.ip))
          .map((h) => `${h.ip} ${fq(h.name)} ${h.name}`),
      );
    });

    test(`${env.name}/${c}: regionservers and backup-masters are bare host lists; the first hmaster by name is active`, () => {
      const rs = file(files, c, 'regionservers');
      const bm = file(files, c, 'backup-masters');
      const regionservers = cluster.hosts.filter((h) => h.roles.includes('regionserver')).map((h) => fq(h.name));
      assert.equal(readHBaseHostList(rs), sorted(regionservers));
      assert.is(rs, regionservers.length ? sorted(regionservers).join('\n') + '\n' : '', 'one host per line, nothing else');
      const masters = sorted(cluster.hosts.filter((h) => h.roles.includes('hmaster')).map((h) => h.name));
      assert.equal(readHBaseHostList(bm), masters.slice(1).map(fq));
      for (const h of cluster.hosts) {
        if (h.state === 'decommissioning') assert.not.ok(readHBaseHostList(rs).includes(fq(h.name)), `${h.name} is decommissioning`);
      }
    });

    test(`${env.name}/${c}: zoo.cfg server lines agree with each member's myid; odd ensemble`, () => {
      const zk = cluster.hosts.filter((h) => h.roles.includes('zookeeper'));
      const servers = file(files, c, 'zoo.cfg').split('\n').filter((l) => l.startsWith('server.'));
      assert.is(servers.length, zk.length);
      assert.is(servers.length % 2, 1);
      const ids = new Set<number>();
      for (const h of zk) {
        const id = readMyid(file(files, c, `zookeeper/myid.${h.name}`));
        assert.ok(id !== undefined && id >= 1 && id <= 254, `${h.name} myid ${id}`);
        assert.ok(servers.includes(`server.${id}=${fq(h.name)}:2888:3888`), `server.${id} names ${h.name}`);
        ids.add(id as number);
      }
      assert.is(ids.size, zk.length, 'ids unique');
    });
  }
}

test('aws-dr leaves out hdp-dn-06 everywhere and keeps production ZooKeeper ids', () => {
  const dr = render(awsDr);
  for (const [p, text] of dr) assert.not.match(text, /hdp-dn-06/, p);
  const prod = render(lenexa);
  for (const [p, text] of prod) {
    if (p.includes('/zookeeper/myid.')) assert.is(dr.get(p), text, p);
  }
  assert.is(dr.get('hadoop/hbase-lenexa/dfs.hosts.exclude')?.split('\n').filter((l) => l && !l.startsWith('#')).length, 0);
});

test.run();
