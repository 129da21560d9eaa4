import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StepFailed } from './errors';
import { decommissionStatus, hadoopPlan, hadoopPlanLines, runHadoop } from './hadoop-step';
import { SshShell } from './hosts';
import { hostFile, sshLog } from './testing/hosts';
import { standinWorld } from './testing/standins';
import { renderedTree } from './testing/trees';

const lenexa = renderedTree('lenexa');
const NN = 'hdp-nn-01.lenexa.example.net';
const HM = 'hdp-hm-01.lenexa.example.net';
const opts = (lines: string[], deadlineMs = 3000) => ({ deadlineMs, pollMs: 20, progressMs: 100, log: (l: string) => lines.push(l) });

function edit(tree: Map<string, string>, file: string, fn: (text: string) => string) {
  const out = new Map(tree);
  out.set(file, fn(out.get(file)!));
  return out;
}
const dropLine = (host: string) => (t: string) => t.split('\n').filter((l) => l !== host).join('\n');

test('a first push: every file where it is read, written atomically; the excluded host waited for', async () => {
  const world = standinWorld();
  try {
    const lines: string[] = [];
    const plans = hadoopPlan(new Map(), lenexa);
    assert.equal(plans.map((p) => p.namenodes), [[NN, 'hdp-nn-02.lenexa.example.net']]);
    await runHadoop(plans, new SshShell(world.env), opts(lines));
    const dir = world.env.FAKE_HOSTS!;
    assert.is(hostFile(dir, NN, 'etc/hadoop/conf/dfs.hosts'), lenexa.get('hadoop/hbase-lenexa/dfs.hosts'));
    assert.is(hostFile(dir, NN, 'etc/hadoop/conf/dfs.hosts.exclude'), lenexa.get('hadoop/hbase-lenexa/dfs.hosts.exclude'));
    assert.is(hostFile(dir, HM, 'etc/hbase/conf/regionservers'), lenexa.get('hadoop/hbase-lenexa/regionservers'));
    assert.is(hostFile(dir, HM, 'var/lib/zookeeper/myid'), lenexa.get('hadoop/hbase-lenexa/zookeeper/myid.hdp-hm-01'));
    assert.is(hostFile(dir, 'hdp-dn-03.lenexa.example.net', 'etc/hadoop/conf/hosts'), lenexa.get('hadoop/hbase-lenexa/hosts'));
    const log = sshLog(dir);
    assert.ok(log.filter((e) => e.copy).every((e) => e.copy!.endsWith('.infra-tmp')), 'copied beside, then renamed');
    assert.ok(log.some((e) => e.command === 'mv -f /etc/hadoop/conf/dfs.hosts.infra-tmp /etc/hadoop/conf/dfs.hosts'));
    assert.ok(lines.some((l) => l.includes('hdp-dn-06.lenexa.example.net decommissioned')));
  } finally {
    world.cleanup();
  }
});

test('a DataNode removed from the definition: excluded, decommissioned, only then dropped from dfs.hosts', async () => {
  const world = standinWorld();
  try {
    const shell = new SshShell(world.env);
    await runHadoop(hadoopPlan(new Map(), lenexa), shell, opts([]));
    const dn5 = 'hdp-dn-05.lenexa.example.net';
    const next = edit(lenexa, 'hadoop/hbase-lenexa/dfs.hosts', dropLine(dn5));
    const plans = hadoopPlan(lenexa, next);
    assert.ok(hadoopPlanLines(plans).some((l) => l.includes(`keeps ${dn5}`) || l.includes(dn5)));
    const dir = world.env.FAKE_HOSTS!;
    const before = sshLog(dir).length;
    await runHadoop(plans, shell, opts([]));
    const log = sshLog(dir).slice(before).filter((e) => e.host === NN).map((e) => e.command ?? `copy ${e.copy}`);
    const firstRefresh = log.indexOf('hdfs dfsadmin -refreshNodes');
    const report = log.indexOf('hdfs dfsadmin -report');
    const finalInclude = log.lastIndexOf('mv -f /etc/hadoop/conf/dfs.hosts.infra-tmp /etc/hadoop/conf/dfs.hosts');
    assert.ok(firstRefresh >= 0 && firstRefresh < report && report < finalInclude, log.join('\n'));
    assert.not.ok(hostFile(dir, NN, 'etc/hadoop/conf/dfs.hosts')!.includes(dn5));
    const status = decommissionStatus(await shell.run(NN, 'hdfs dfsadmin -report').then((r) => r.stdout));
    assert.is(status.get(dn5), undefined, 'no longer a DataNode of the NameNode');
  } finally {
    world.cleanup();
  }
});

test('decommissioning that does not finish: fails at its deadline, the host still included', async () => {
  const world = standinWorld();
  try {
    const env = { ...world.env, FAKE_DECOMMISSION_MS: '600000' };
    const err = await runHadoop(hadoopPlan(new Map(), lenexa), new SshShell(env), opts([], 200)).catch((e) => e);
    assert.instance(err, StepFailed);
    assert.match(err.message, 'hdp-dn-06.lenexa.example.net (Decommission In Progress) not Decommissioned');
    assert.match(err.message, 'run infra apply again');
    assert.ok(hostFile(world.env.FAKE_HOSTS!, NN, 'etc/hadoop/conf/dfs.hosts')!.includes('hdp-dn-06'));
  } finally {
    world.cleanup();
  }
});

test('a leaving regionserver is stopped gracefully before the regionservers file drops it', async () => {
  const world = standinWorld();
  try {
    const shell = new SshShell(world.env);
    await runHadoop(hadoopPlan(new Map(), lenexa), shell, opts([]));
    const dn4 = 'hdp-dn-04.lenexa.example.net';
    const next = edit(lenexa, 'hadoop/hbase-lenexa/regionservers', dropLine(dn4));
    const dir = world.env.FAKE_HOSTS!;
    const before = sshLog(dir).length;
    await runHadoop(hadoopPlan(lenexa, next), shell, opts([]));
    const log = sshLog(dir).slice(before).filter((e) => e.host === HM).map((e) => e.command ?? `copy ${e.copy}`);
    assert.ok(log.indexOf(`graceful_stop.sh ${dn4}`) >= 0);
    assert.ok(log.indexOf(`graceful_stop.sh ${dn4}`) < log.indexOf('copy /etc/hbase/conf/regionservers.infra-tmp'));
  } finally {
    world.cleanup();
  }
});

test('an unreachable host fails the step naming it', async () => {
  const world = standinWorld();
  try {
    const err = await runHadoop(hadoopPlan(new Map(), lenexa), new SshShell({ ...world.env, FAKE_SSH_DOWN: NN }), opts([])).catch((e) => e);
    assert.instance(err, StepFailed);
    assert.match(err.message, `${NN}: \`mkdir -p /etc/hadoop/conf\` failed (exit 255)`);
  } finally {
    world.cleanup();
  }
});

test('nothing changed: no plan', () => {
  assert.equal(hadoopPlan(lenexa, lenexa), []);
});

test.run();
