// The loopback Marathon's command, as the README runs it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as path from 'node:path';
import { freePort, until } from './backends';
import { httpGet } from './http-backend';
import { parseCli } from './marathon-cli';
import { runSidecar } from './run';

test('arguments', () => {
  assert.equal(parseCli(['--port', '9', '--app', '/a/b:http,admin', '--task', '/a/b=127.0.0.1:9001']), {
    port: 9, apps: [{ id: '/a/b', ports: ['http', 'admin'] }], tasks: [{ appId: '/a/b', host: '127.0.0.1', port: 9001 }],
  });
  assert.equal(parseCli(['--task', '/a=h:1']), { error: '--task /a=h:1: give --app /a before its tasks' });
  assert.equal(parseCli(['--port']), { error: '--port needs a value' });
});

test('it serves the apps and healthy tasks it was given', async () => {
  const port = await freePort();
  const m = runSidecar([process.execPath, '-r', 'tsx/cjs', path.join(__dirname, 'marathon-cli.ts'), '--port', String(port), '--app', '/customers/api', '--task', '/customers/api=127.0.0.1:9001'], {});
  try {
    await until(() => m.stdout().includes(`loopback marathon listening on http://127.0.0.1:${port}`), 5000, 'listening');
    assert.match(m.stdout(), 'task customers_api.marathon-0001: /customers/api on 127.0.0.1:9001\n');
    const tasks = JSON.parse((await httpGet(port, '/v2/apps/customers/api/tasks')).body).tasks;
    assert.equal(tasks.map((t: { host: string; ports: number[]; state: string; healthCheckResults: { alive: boolean }[] }) => [t.host, t.ports, t.state, t.healthCheckResults[0].alive]), [['127.0.0.1', [9001], 'TASK_RUNNING', true]]);
  } finally {
    m.process.kill('SIGTERM');
    await m.exit;
  }
});

test.run();
