// The single executable, built as `npm test` runs (skipped when its inputs are unchanged), run
// as a container would run it: it wraps a storefront-like HTTP app that calls its dependency
// through the local port, and keeps serving while that dependency's task moves.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, until } from './testing/backends';
import { httpBackend, httpGet } from './testing/http-backend';
import { LoopbackMarathon } from './testing/marathon';
import { runSidecar } from './testing/run';
import { VERSION } from './version';

const { build } = require('../scripts/build.js') as { build(o?: object): Promise<string> };
let exe = '';

test.before(async () => {
  exe = await build();
});

test('the executable is versioned: its path and --version', async () => {
  assert.ok(exe.endsWith(path.join('dist', VERSION, `infra-sidecar-${process.platform}-${process.arch}`)), exe);
  const v = runSidecar([exe, '--version'], {});
  assert.equal(await v.exit, { code: 0, signal: null });
  assert.is(v.stdout(), `infra-sidecar ${VERSION}\n`);
});

test('the executable wraps an HTTP app that reaches its dependency through the local port, across a move', async () => {
  const m = await new LoopbackMarathon().start();
  const [one, two] = await Promise.all([httpBackend('customers on agent-1'), httpBackend('customers on agent-2')]);
  const [appPort, local, status] = [await freePort(), await freePort(), await freePort()];
  m.addApp({ id: '/customers/api', ports: ['http'], healthChecks: true });
  const t1 = m.runTask('/customers/api', '127.0.0.1', [one.port], [true]);
  // PATH is cleared: the executable needs no node of its own (the app here is a node script,
  // started by absolute path).
  const sc = runSidecar([exe, '--', process.execPath, path.join(__dirname, 'testing/storefront.js')], {
    PATH: '',
    APP_PORT: String(appPort),
    SIDECAR_MARATHON: m.url,
    SIDECAR_DEPS: JSON.stringify([{ name: 'customers-api', app: '/customers/api', portName: 'http', localPort: local }]),
    SIDECAR_PORT: String(status),
    SIDECAR_WAIT_SECONDS: '10',
  });
  try {
    await until(() => sc.stdout().includes(`storefront listening on ${appPort}`), 5000, `app up; stderr: ${sc.stderr()}`);
    assert.equal(await httpGet(appPort), { status: 200, body: 'storefront via customers-api: customers on agent-1' });
    m.killTask(t1.id);
    const t2 = m.runTask('/customers/api', '127.0.0.1', [two.port], undefined);
    m.setHealth(t2.id, [true]);
    await until(async () => (await httpGet(appPort)).body.endsWith('agent-2'), 1000, 'the app follows the move');
    assert.equal(await httpGet(appPort), { status: 200, body: 'storefront via customers-api: customers on agent-2' });
    assert.match(sc.stderr(), `customers-api: -127.0.0.1:${one.port} (0 backends: new connections are refused)`);
    sc.process.kill('SIGTERM');
    assert.equal(await sc.exit, { code: 0, signal: null });
  } finally {
    sc.process.kill('SIGKILL');
    await Promise.all([one.close(), two.close(), m.stop()]);
  }
});

/**
 * A self-signed certificate for 127.0.0.1, made by the openssl command line (Node cannot make
 * one); .ci/run installs openssl where it is missing.
 */
function selfSigned(): { key: string; cert: string; certFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-tls-'));
  const [keyFile, certFile] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1',
    '-subj', '/CN=marathon.test', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'pipe' });
  return { key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(certFile, 'utf8'), certFile };
}

test('an https Marathon: its certificate is verified, and trusted through NODE_EXTRA_CA_CERTS', async () => {
  const tls = selfSigned();
  const m = await new LoopbackMarathon({ tls }).start();
  const backend = await httpBackend('customers on agent-1');
  m.addApp({ id: '/customers/api', ports: ['http'], healthChecks: true });
  m.runTask('/customers/api', '127.0.0.1', [backend.port], [true]);
  // Every port chosen before either sidecar starts: a port freePort() gave may be given again
  // until someone binds it.
  const chosen = new Set<number>();
  while (chosen.size < 4) chosen.add(await freePort());
  const ports = [...chosen];
  const run = (extra: Record<string, string>) => {
    const [local, status] = ports.splice(0, 2);
    const sc = runSidecar([exe, '--', process.execPath, '-e', 'setInterval(() => {}, 1000)'], {
      SIDECAR_MARATHON: m.url,
      SIDECAR_DEPS: JSON.stringify([{ name: 'customers-api', app: '/customers/api', portName: 'http', localPort: local }]),
      SIDECAR_PORT: String(status),
      SIDECAR_WAIT_SECONDS: '0',
      ...extra,
    });
    return { sc, local, status };
  };
  const untrusted = run({});
  const trusted = run({ NODE_EXTRA_CA_CERTS: tls.certFile });
  try {
    // Without the CA the sidecar refuses the certificate and says why; it never falls back to
    // trusting it.
    // The status port may open after the first attempt on Marathon: ask until it answers.
    const backends = async (port: number) => {
      try {
        return JSON.parse((await httpGet(port, '/backends')).body) as { dependencies: { resolved: boolean }[] };
      } catch {
        return undefined;
      }
    };
    await until(() => /self[- ]signed certificate/.test(untrusted.sc.stderr()), 10_000, `untrusted refused; stderr: ${untrusted.sc.stderr()}`);
    await until(async () => (await backends(untrusted.status)) !== undefined, 10_000, `status port of the untrusted sidecar; stderr: ${untrusted.sc.stderr()}`);
    assert.is((await backends(untrusted.status))!.dependencies[0].resolved, false);
    // With it, the dependency resolves over https and the local port reaches the task.
    await until(async () => (await backends(trusted.status))?.dependencies[0].resolved === true, 10_000, `trusted resolves; stderr: ${trusted.sc.stderr()}`);
    assert.equal(await httpGet(trusted.local), { status: 200, body: 'customers on agent-1' });
  } finally {
    for (const { sc } of [untrusted, trusted]) sc.process.kill('SIGTERM');
    await Promise.all([untrusted.sc.exit, trusted.sc.exit]);
    await Promise.all([backend.close(), m.stop()]);
  }
});

test.run();
