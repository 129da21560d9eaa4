import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SshShell } from '../hosts';
import { MarathonClient } from '../marathon-client';
import { LoopbackMarathon } from '../testing/loopback-marathon';
import { standinWorld } from '../testing/standins';
import { marathonApps, renderedTree } from '../testing/trees';
import { readiness, readinessMarkdown, readinessText } from './readiness';
import { driftPath } from '../testing/drift-world';

const dr = renderedTree('aws-dr');

test('the DR readiness report: hosts over ssh, apps at their healthy count, NameNodes out of safe mode; the manual steps from the definitions', async () => {
  const world = standinWorld();
  const marathon = new LoopbackMarathon();
  await marathon.start();
  try {
    const env = driftPath(world.env);
    const client = new MarathonClient({ url: marathon.url, pollMs: 5, backoff: { baseMs: 1, maxMs: 2, attempts: 2 } });
    for (const app of marathonApps(dr)) await client.deploy(app as { id: string }, Date.now() + 5000);
    const ready = await readiness('aws-dr', dr, new SshShell(env), client);
    assert.ok(ready.ready, readinessText(ready));
    assert.is(ready.checks.filter((c) => c.what.startsWith('host ')).length, 23 + 8);
    assert.match(readinessText(ready), 'ok   app /web/storefront: healthy 6/6');
    assert.match(readinessText(ready), 'ok   namenode hdp-nn-01: out of safe mode');
    assert.ok(ready.manual.some((m) => m.startsWith('Restore the most recent data of db-ledger-01 (10.120.5.10)')));
    assert.ok(ready.manual.some((m) => m.startsWith('Load the HBase/HDFS data of hbase-lenexa')));
    assert.match(ready.manual[ready.manual.length - 1], /^Move the traffic: point the load balancers and DNS of .*storefront.* at aws-dr/);

    // A host down, an app unhealthy, a NameNode in safe mode: each named.
    marathon.unhealthy.add('/web/storefront');
    fs.mkdirSync(path.join(env.FAKE_HOSTS!, '10.120.8.11', 'var/lib'), { recursive: true });
    fs.writeFileSync(path.join(env.FAKE_HOSTS!, '10.120.8.11', 'var/lib/fake-safemode'), '');
    const down = { ...env, FAKE_SSH_DOWN: '10.120.5.10' };
    const not = await readiness('aws-dr', dr, new SshShell(down), client);
    assert.not.ok(not.ready);
    const text = readinessText(not);
    assert.match(text, 'aws-dr: not ready (3 of');
    assert.match(text, 'FAIL host db-ledger-01: 10.120.5.10 does not answer over ssh (exit 255)');
    assert.match(text, 'FAIL app /web/storefront: healthy 0/6');
    assert.match(text, 'FAIL namenode hdp-nn-01: Safe mode is ON');
    assert.match(readinessMarkdown(not), '| app /web/storefront | **FAIL** | healthy 0/6 |');
  } finally {
    await marathon.stop();
    world.cleanup();
  }
});

test.run();
