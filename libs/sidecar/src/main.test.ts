// The wrapper as a real process (bin/infra-sidecar.js): when the app starts, what it sees,
// signals and exit codes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as http from 'node:http';
import { freePort, namedBackend, until } from './testing/backends';
import { LoopbackMarathon } from './testing/marathon';
import { runSidecar } from './testing/run';

const BIN = [process.execPath, path.join(__dirname, '../bin/infra-sidecar.js')];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-main-'));
let n = 0;
const file = (name: string) => path.join(tmp, `${++n}-${name}`);

/** An app (a node script) that records its start and environment, then runs until told. */
function appScript(started: string, body: string): string[] {
  const code = `const fs=require('fs');fs.writeFileSync(${JSON.stringify(started)},JSON.stringify({host:process.env.CUSTOMERS_API_HOST,port:process.env.CUSTOMERS_API_PORT,t:Date.now()}));${body}`;
  return [process.execPath, '-e', code];
}

const getJson = (port: number, p: string) => new Promise<{ status: number; body: any }>((resolve, reject) => {
  http.get({ host: '127.0.0.1', port, path: p }, (res) => {
    let t = '';
    res.setEncoding('utf8').on('data', (d: string) => (t += d)).on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(t) }));
  }).on('error', reject);
});

test('the app starts only once its dependency resolves, and sees <NAME>_HOST/_PORT', async () => {
  const m = await new LoopbackMarathon().start();
  const backend = await namedBackend('customers');
  const [local, status] = [await freePort(), await freePort()];
  const started = file('started');
  m.addApp({ id: '/customers/api', ports: ['http'], healthChecks: true });
  const t = m.runTask('/customers/api', '127.0.0.1', [backend.port], undefined); // no health result yet
  const sc = runSidecar([...BIN, '--', ...appScript(started, 'setTimeout(()=>{},60000);process.on("SIGTERM",()=>process.exit(0))')], {
    SIDECAR_MARATHON: m.url,
    SIDECAR_DEPS: JSON.stringify([{ name: 'customers-api', app: '/customers/api', portName: 'http', localPort: local }]),
    SIDECAR_PORT: String(status),
    SIDECAR_WAIT_SECONDS: '30',
  });
  try {
    await until(() => m.attachedStreams === 1, 5000, 'sidecar attached');
    assert.is((await getJson(status, '/healthz')).status, 503);
    await new Promise((r) => setTimeout(r, 500));
    assert.not.ok(fs.existsSync(started), 'the app must not start before the dependency resolves');
    const healthy = Date.now();
    m.setHealth(t.id, [true]);
    await until(() => fs.existsSync(started), 1000, 'app started after resolution');
    const seen = JSON.parse(fs.readFileSync(started, 'utf8'));
    assert.equal({ host: seen.host, port: seen.port }, { host: '127.0.0.1', port: String(local) });
    assert.ok(seen.t >= healthy);
    const healthz = await getJson(status, '/healthz');
    assert.equal(healthz, { status: 200, body: { ok: true, ready: true, marathonReachable: true } });
    const backends = await getJson(status, '/backends');
    assert.equal(backends.body.dependencies, [{ name: 'customers-api', localPort: local, target: 'marathon:/customers/api#http', resolved: true, backends: [{ host: '127.0.0.1', port: backend.port, taskId: t.id }] }]);
    sc.process.kill('SIGTERM');
    assert.equal(await sc.exit, { code: 0, signal: null });
  } finally {
    sc.process.kill('SIGKILL');
    await backend.close();
    await m.stop();
  }
});

test('the bounded wait: with no backend the app starts when SIDECAR_WAIT_SECONDS ends', async () => {
  const m = await new LoopbackMarathon().start();
  m.addApp({ id: '/customers/api', ports: ['http'], healthChecks: false });
  const started = file('started');
  const t0 = Date.now();
  const sc = runSidecar([...BIN, ...appScript(started, 'process.exit(0)')], {
    SIDECAR_MARATHON: m.url,
    SIDECAR_DEPS: JSON.stringify([{ name: 'customers-api', app: '/customers/api', portName: 'http', localPort: await freePort() }]),
    SIDECAR_PORT: String(await freePort()),
    SIDECAR_WAIT_SECONDS: '1',
  });
  try {
    assert.equal(await sc.exit, { code: 0, signal: null });
    const seen = JSON.parse(fs.readFileSync(started, 'utf8'));
    assert.ok(seen.t - t0 >= 1000, `started after ${seen.t - t0} ms`);
    assert.match(sc.stderr(), 'infra-sidecar: waited 1 s (SIDECAR_WAIT_SECONDS); starting the app without customers-api\n');
  } finally {
    await m.stop();
  }
});

test('SIGTERM reaches the app, and the sidecar ends with the app\'s exit code', async () => {
  const started = file('started');
  const termed = file('termed');
  const sc = runSidecar([...BIN, '--', ...appScript(started, `process.on('SIGTERM',()=>{fs.writeFileSync(${JSON.stringify(termed)},'TERM');process.exit(7)});setInterval(()=>{},1000)`)], {
    SIDECAR_PORT: String(await freePort()), SIDECAR_WAIT_SECONDS: '0',
  });
  await until(() => fs.existsSync(started), 5000, 'app started');
  sc.process.kill('SIGTERM');
  assert.equal(await sc.exit, { code: 7, signal: null });
  assert.is(fs.readFileSync(termed, 'utf8'), 'TERM');
});

test('exit codes: the app\'s own, 128+N when a signal ends it, 127 when the command is missing', async () => {
  const env = async () => ({ SIDECAR_PORT: String(await freePort()), SIDECAR_WAIT_SECONDS: '0' });
  assert.equal(await runSidecar([...BIN, process.execPath, '-e', 'process.exit(3)'], await env()).exit, { code: 3, signal: null });
  assert.equal(await runSidecar([...BIN, process.execPath, '-e', 'process.kill(process.pid, "SIGKILL")'], await env()).exit, { code: 137, signal: null });
  const missing = runSidecar([...BIN, '/no/such/program'], await env());
  assert.equal(await missing.exit, { code: 127, signal: null });
  assert.match(missing.stderr(), 'infra-sidecar: cannot start /no/such/program: spawn /no/such/program ENOENT');
});

test('SIGTERM while waiting for dependencies: the app never starts, exit 143', async () => {
  const m = await new LoopbackMarathon().start();
  m.addApp({ id: '/customers/api', ports: ['http'], healthChecks: false });
  const started = file('started');
  const sc = runSidecar([...BIN, ...appScript(started, '')], {
    SIDECAR_MARATHON: m.url,
    SIDECAR_DEPS: JSON.stringify([{ name: 'customers-api', app: '/customers/api', portName: 'http', localPort: await freePort() }]),
    SIDECAR_PORT: String(await freePort()),
    SIDECAR_WAIT_SECONDS: '30',
  });
  try {
    await until(() => m.attachedStreams === 1, 5000, 'attached');
    sc.process.kill('SIGTERM');
    assert.equal(await sc.exit, { code: 143, signal: null });
    assert.not.ok(fs.existsSync(started));
    assert.match(sc.stderr(), 'infra-sidecar: SIGTERM before the app started\n');
  } finally {
    await m.stop();
  }
});

test('a wrong configuration: every problem, exit 2, nothing started', async () => {
  const sc = runSidecar([...BIN], { SIDECAR_DEPS: '[{"name":"a"}]' });
  assert.equal(await sc.exit, { code: 2, signal: null });
  assert.is(sc.stderr(), [
    "infra-sidecar: no COMMAND given: infra-sidecar [--] COMMAND [ARG…] (the app's own command line)",
    'infra-sidecar: SIDECAR_DEPS[0].localPort: not set: fix the app definition and render again, or set the variable by hand',
    'infra-sidecar: SIDECAR_DEPS[0]: needs either "app" and "portName" (a Marathon app) or "host" and "port" (a fixed address): fix the app definition and render again, or set the variable by hand',
    'infra-sidecar: SIDECAR_PORT: not set: fix the app definition and render again, or set the variable by hand',
    'infra-sidecar: 4 problem(s); see infra-sidecar --help',
    '',
  ].join('\n'));
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
test.run();
