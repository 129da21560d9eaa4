import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderedTree } from '../testing/trees';
import { appDrift } from './marathon-normalise';
import { splitTail } from './hadoop-drift';
import { installedVersions } from './patch-drift';

const storefront = JSON.parse(renderedTree('lenexa').get('marathon/web/storefront.json')!) as Record<string, unknown>;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

/**
 * The app as a real Marathon (1.x) answers GET /v2/apps/{id}: the rendered app with every default
 * of AppDefinition.json/the RAML types filled in, the service ports and version it assigned.
 */
function asRealMarathonReturns(app: Record<string, unknown>): Record<string, unknown> {
  const a = clone(app) as Record<string, any>;
  a.container.docker = { forcePullImage: false, privileged: false, parameters: [], ...a.container.docker };
  a.container.volumes = [];
  a.container.portMappings = a.container.portMappings.map((p: object, i: number) => ({ labels: {}, servicePort: 10101 + i, ...p }));
  a.healthChecks = (a.healthChecks ?? []).map((h: object) => ({ delaySeconds: 15, ipProtocol: 'IPv4', ignoreHttp1xx: false, ...h }));
  a.fetch = (a.fetch ?? []).map((f: object) => ({ extract: true, ...f }));
  return {
    backoffFactor: 1.15, backoffSeconds: 1, maxLaunchDelaySeconds: 3600, killSelection: 'YOUNGEST_FIRST', requirePorts: false, executor: '',
    dependencies: [], readinessChecks: [], storeUrls: [], uris: [], gpus: 0, user: null, cmd: null, ipAddress: null, residency: null,
    acceptedResourceRoles: ['*'], tty: false, role: 'slave_public', portDefinitions: [], ports: [10101],
    unreachableStrategy: { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 }, executorResources: { cpus: 0.1, mem: 32, disk: 10 },
    ...a,
    version: '2026-11-30T10:00:00.000Z', versionInfo: { lastScalingAt: '2026-11-30T10:00:00.000Z', lastConfigChangeAt: '2026-11-30T10:00:00.000Z' },
    tasksStaged: 0, tasksRunning: 6, tasksHealthy: 5, tasksUnhealthy: 1, deployments: [], tasks: [], lastTaskFailure: { message: 'x' },
  };
}

test('what a real Marathon fills in is not drift', () => {
  assert.equal(appDrift(storefront, asRealMarathonReturns(storefront)), []);
});

test('a default changed by hand, a constraint added, a label removed, a service port pinned: each named', () => {
  const live = asRealMarathonReturns(storefront) as Record<string, any>;
  live.backoffSeconds = 30;
  live.constraints = [...live.constraints, ['rack', 'LIKE', 'r1']];
  delete live.labels.SERVICE_NAME;
  live.container.docker.privileged = true;
  const drift = appDrift(storefront, live);
  assert.equal(drift.map((d) => d.path), ['backoffSeconds', 'constraints', 'container.docker.privileged', 'labels.SERVICE_NAME']);
  assert.equal(drift.find((d) => d.path === 'labels.SERVICE_NAME'), { path: 'labels.SERVICE_NAME', applied: (storefront.labels as Record<string, string>).SERVICE_NAME, live: undefined });
});

test('a changed element of a list is named by its index', () => {
  const live = asRealMarathonReturns(storefront) as Record<string, any>;
  live.healthChecks[0].path = '/ping';
  assert.equal(appDrift(storefront, live).map((d) => d.path), ['healthChecks[0].path']);
});

test('GNU tail -v output is split per file; a file it could not open is absent', () => {
  const out = '==> /a <==\nx\ny\n\n==> /c <==\nno final newline';
  assert.equal([...splitTail(out, ['/a', '/b', '/c'])], [['/a', 'x\ny\n'], ['/c', 'no final newline']]);
});

test('dpkg-query -W output, multi-arch names included', () => {
  assert.equal([...installedVersions('openssl\t1.0.1f-1ubuntu2.27\nlibssl1.0.0:amd64\t1.0.1f-1ubuntu2.26\n')], [['openssl', '1.0.1f-1ubuntu2.27'], ['libssl1.0.0', '1.0.1f-1ubuntu2.26']]);
});

test.run();
