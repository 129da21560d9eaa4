// Moving an app onto Mesos: a Marathon app that depends on an app still hosted on an app-server
// group reaches it at every server of the group, on the hosted app's port.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dependsOnHosted, type Environment } from '@infra/model';
import lenexa from '@infra/env-lenexa';
import { marathonGenerator } from './generator';
import { resolveDependencies } from './dependencies';

const withMovedApps = (): Environment => {
  const env = structuredClone(lenexa);
  env.apps.push(
    { id: '/crm/portal', image: 'r/crm-portal:6.1.0', runtime: 'node', command: ['node', 'portal.js'], cpus: 1, mem: 512, disk: 0, instances: 2, ports: [{ name: 'http', containerPort: 8080 }], dependsOn: [dependsOnHosted('crm-batch')] },
    { id: '/crm/reports', image: 'r/crm-reports:1.0.0', runtime: 'jvm', cpus: 1, mem: 512, disk: 0, instances: 1, ports: [{ name: 'http', containerPort: 8080 }], dependsOn: [dependsOnHosted('crm-batch'), dependsOnHosted('billing-engine')] },
  );
  return env;
};

test('a hosted dependency resolves to every server of its group and the app\'s port', () => {
  const env = withMovedApps();
  assert.equal(resolveDependencies(env, env.apps.find((a) => a.id === '/crm/reports')!).hosted, [
    { name: 'billing-engine', group: 'billing-app', port: 8443, addresses: ['10.20.4.21:8443', '10.20.4.22:8443'] },
    { name: 'crm-batch', group: 'crm-app', port: 8081, addresses: ['10.20.4.41:8081', '10.20.4.42:8081'] },
  ]);
});

test('the sidecar resolves a hosted app to its servers; a JVM app gets them as configuration', () => {
  const files = marathonGenerator.generate(withMovedApps(), { environment: () => undefined });
  const portal = JSON.parse(files.get('marathon/crm/portal.json')!);
  assert.equal(JSON.parse(portal.env.SIDECAR_DEPS), [{ name: 'crm-batch', hosts: ['10.20.4.41:8081', '10.20.4.42:8081'], localPort: lenexa.sidecar.port + 1 }]);
  assert.is(portal.env.CRM_BATCH_HOST, '127.0.0.1', 'the app reaches the hosted app through its sidecar');
  assert.is(portal.dependencies, undefined, 'Marathon orders only its own apps');
  const reports = JSON.parse(files.get('marathon/crm/reports.json')!);
  assert.is(reports.env.DEPENDENCY_CRM_BATCH_HOSTS, '10.20.4.41:8081,10.20.4.42:8081');
  assert.is(reports.env.DEPENDENCY_CRM_BATCH_PORT, '8081');
  assert.is(reports.env.DEPENDENCY_BILLING_ENGINE_HOSTS, '10.20.4.21:8443,10.20.4.22:8443');
});

test('a name resolved both as a hosted app and as a database is refused', () => {
  const env = withMovedApps();
  env.apps.find((a) => a.id === '/crm/portal')!.dependsOn!.push({ database: 'crm-batch' });
  (env.hostGroups.find((g) => g.name === 'db-ledger')!.hosts as { name: string; ip: string }[]).push({ name: 'crm-batch', ip: '10.20.5.11' });
  assert.ok(marathonGenerator.check!(env, { environment: () => undefined }).some((p) =>
    p.path === 'apps/crm/portal/dependsOn' && p.message === 'the sidecar would resolve "crm-batch" as two different dependencies (app, hosted app or database): rename one of them'));
});

test.run();
