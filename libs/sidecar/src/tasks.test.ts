import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { healthyBackends, isServing, portIndex, type MarathonAppInfo } from './tasks';
import { LoopbackMarathon } from './testing/marathon';

const fake = new LoopbackMarathon();
const appWith = (healthChecks: boolean, hostNetworking = false) =>
  fake.appJson({ id: '/customers/api', ports: ['admin', 'http'], healthChecks, hostNetworking }) as MarathonAppInfo;
const task = (over: object) => ({ id: 't', host: 'agent-1', ports: [31000, 31001], state: 'TASK_RUNNING', ...over });

test('port names map to the index of the task ports: bridge (portMappings) and host (portDefinitions)', () => {
  assert.is(portIndex(appWith(false), 'http'), 1);
  assert.is(portIndex(appWith(false, true), 'http'), 1);
  assert.is(portIndex(appWith(false), 'grpc'), -1);
  assert.is(portIndex({ id: '/a', container: { docker: { portMappings: [{ name: 'x' }, { name: 'http' }] } } }, 'http'), 1, 'Marathon < 1.5 docker.portMappings');
  assert.equal(healthyBackends(appWith(false), [task({})], 'grpc'), { error: 'app /customers/api has no port named "grpc"' });
});

test('with health checks: running and every result alive; killing, staging and no results yet are out', () => {
  const tasks = [
    task({ id: 'ok', host: 'agent-2', healthCheckResults: [{ alive: true }] }),
    task({ id: 'two-ok', host: 'agent-1', healthCheckResults: [{ alive: true }, { alive: true }] }),
    task({ id: 'one-failing', host: 'agent-3', healthCheckResults: [{ alive: true }, { alive: false }] }),
    task({ id: 'killing', host: 'agent-4', state: 'TASK_KILLING', healthCheckResults: [{ alive: true }] }),
    task({ id: 'staging', host: 'agent-5', state: 'TASK_STAGING' }),
    task({ id: 'no-results', host: 'agent-6' }),
    task({ id: 'empty-results', host: 'agent-7', healthCheckResults: [] }),
  ];
  assert.equal(healthyBackends(appWith(true), tasks, 'http'), [
    { host: 'agent-1', port: 31001, taskId: 'two-ok' },
    { host: 'agent-2', port: 31001, taskId: 'ok' },
  ]);
});

test('without health checks: every running task serves', () => {
  const tasks = [task({ id: 'a' }), task({ id: 'b', state: 'TASK_KILLING' }), task({ id: 'c', state: 'TASK_RUNNING', host: 'agent-0', ports: [1, 2] })];
  assert.equal(healthyBackends(appWith(false), tasks, 'admin'), [
    { host: 'agent-0', port: 1, taskId: 'c' },
    { host: 'agent-1', port: 31000, taskId: 'a' },
  ]);
  assert.ok(isServing(task({}), false));
  assert.not.ok(isServing(task({}), true));
});

test('a task missing the port (fewer host ports) is skipped, not sent to port undefined', () => {
  assert.equal(healthyBackends(appWith(false), [task({ ports: [31000] })], 'http'), []);
});

test.run();
