// The sidecar's composition: parse the interface, listen on the dependencies' local ports and
// the status port, resolve, start the app once its dependencies resolve (or the wait ends),
// and end with the app. Exit codes: the app's; 2 for a wrong configuration; 1 when the sidecar
// cannot listen (a port taken inside the container).
import * as os from 'node:os';
import { envPrefix, parseArgs, USAGE, type Config } from './config';
import { MarathonClient } from './marathon';
import { DependencyProxy } from './proxy';
import { Resolver } from './resolver';
import { startStatusServer } from './status';
import { VERSION } from './version';
import { FORWARDED_SIGNALS, startChild, type Child } from './wrapper';

export interface Io {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  log: (line: string) => void;
}

const defaultIo = (): Io => ({
  env: process.env,
  stdout: (t) => process.stdout.write(t),
  log: (line) => process.stderr.write(`infra-sidecar: ${line}\n`),
});

export async function main(argv: readonly string[], io: Io = defaultIo()): Promise<number> {
  const parsed = parseArgs(argv, io.env);
  if (parsed.kind === 'version') return io.stdout(`infra-sidecar ${VERSION}\n`), 0;
  if (parsed.kind === 'help') return io.stdout(USAGE), 0;
  if (parsed.kind === 'error') {
    for (const p of parsed.problems) io.log(p);
    io.log(`${parsed.problems.length} problem(s); see infra-sidecar --help`);
    return 2;
  }
  return run(parsed.config, io);
}

/** The environment of the app: the sidecar's, plus `<NAME>_HOST`/`_PORT` where not set already. */
export function childEnv(config: Config, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const d of config.deps) {
    out[`${envPrefix(d.name)}_HOST`] ??= '127.0.0.1';
    out[`${envPrefix(d.name)}_PORT`] ??= String(d.localPort);
  }
  return out;
}

async function run(config: Config, io: Io): Promise<number> {
  const resolver = new Resolver(config, new MarathonClient(config.marathon, config.auth), io.log);
  const proxies = resolver.deps.map((d) => new DependencyProxy(d, io.log));
  let child: Child | undefined;
  let stopping: NodeJS.Signals | undefined;
  let wake: () => void = () => {};

  const onSignal = (signal: NodeJS.Signals) => {
    if (child) {
      child.process.kill(signal);
      return;
    }
    // Stopped before the app started: nothing to pass the signal to.
    stopping = signal;
    wake();
  };
  for (const s of FORWARDED_SIGNALS) process.on(s, onSignal);
  const cleanup = async (status?: { close(): void }) => {
    for (const s of FORWARDED_SIGNALS) process.off(s, onSignal);
    resolver.stop();
    status?.close();
    await Promise.all(proxies.map((p) => p.close()));
  };

  let status;
  try {
    await Promise.all(proxies.map((p) => p.listen()));
    status = await startStatusServer(config.statusPort, { resolver, appStarted: () => child !== undefined });
  } catch (err) {
    io.log(`${(err as Error).message}: free the port or choose another in the app definition`);
    await cleanup(status);
    return 1;
  }
  io.log(`${VERSION}: ${config.deps.map((d) => `${d.name} on 127.0.0.1:${d.localPort}`).join(', ') || 'no dependencies'}; status on 127.0.0.1:${config.statusPort}`);
  resolver.start();

  if (stopping === undefined && !resolver.ready && config.waitSeconds > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        const missing = resolver.deps.filter((d) => d.backends.length === 0).map((d) => d.name);
        io.log(`waited ${config.waitSeconds} s (SIDECAR_WAIT_SECONDS); starting the app without ${missing.join(', ')}`);
        done();
      }, config.waitSeconds * 1000);
      const off = resolver.onChange(() => { if (resolver.ready) done(); });
      function done() {
        clearTimeout(timer);
        off();
        resolve();
      }
      wake = done;
    });
  }
  if (stopping !== undefined) {
    io.log(`${stopping} before the app started`);
    await cleanup(status);
    return 128 + signalNumber(stopping);
  }
  child = startChild(config.command, childEnv(config, io.env), io.log);
  const code = await child.exited;
  await cleanup(status);
  return code;
}

function signalNumber(s: NodeJS.Signals): number {
  return os.constants.signals[s] ?? 0;
}
