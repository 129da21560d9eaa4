import { compare, resolve, type Environment, type MarathonApp, type Sidecar } from '@infra/model';
import { perObject } from '@infra/render';
import { resolveDependencies } from './dependencies';
import { envToken, serviceName } from './names';

/** Where a Docker task's sandbox is mounted inside its container (the agent's `--sandbox_directory` default; `$MESOS_SANDBOX`). */
export const MESOS_SANDBOX = '/mnt/mesos/sandbox';
/** The published executable's file name; the fetcher names its copy by the URI's basename. */
export const SIDECAR_EXECUTABLE = 'infra-sidecar-linux-x64';
/** Marathon's HTTP port on the masters (its `--http_port` default). */
export const MARATHON_PORT = 8080;

/** The versioned URL Marathon fetches the sidecar from. */
export function sidecarUri(sidecar: Sidecar): string {
  return `${sidecar.url}/${sidecar.version}/${SIDECAR_EXECUTABLE}`;
}

/** One entry of SIDECAR_DEPS, in the key order the sidecar documents. */
export type SidecarDependency =
  | { name: string; app: string; portName: string; localPort: number }
  | { name: string; host: string; port: number; localPort: number }
  | { name: string; hosts: string[]; localPort: number };

const appsById = perObject((apps: readonly MarathonApp[]) => new Map(apps.map((a) => [a.id, a])));

/**
 * What the sidecar of `app` serves, sorted by name: a dependency on an app by its
 * service-discovery name and first port (the one its clients use), a database by its host name
 * and fixed address in this environment, a hosted app by its name and every server of its group. Local ports follow the status port in that order.
 * An app dependency without ports is left out (check() reports it).
 */
export function sidecarDependencies(env: Environment, app: MarathonApp): readonly SidecarDependency[] {
  return sidecarDependenciesOf(env)(app);
}

// Check and the app definition (its env) both ask: derived once per environment and app.
const sidecarDependenciesOf = perObject((env: Environment) => perObject((app: MarathonApp) => Object.freeze(sidecarDependenciesOnce(env, app))));

function sidecarDependenciesOnce(env: Environment, app: MarathonApp): SidecarDependency[] {
  const deps = resolveDependencies(env, app);
  const byId = appsById(env.apps);
  const entries: ({ name: string; app: string; portName: string } | { name: string; host: string; port: number } | { name: string; hosts: string[] })[] = [];
  for (const id of deps.apps) {
    const port = byId.get(id)?.ports[0];
    if (port !== undefined) entries.push({ name: serviceName(id), app: id, portName: port.name });
  }
  for (const db of deps.databases) entries.push({ name: db.host, host: db.ip, port: db.port });
  // An app still on an app-server group: every server of the group, spread over by the sidecar.
  for (const h of deps.hosted) entries.push({ name: h.name, hosts: h.addresses });
  entries.sort((a, b) => compare(a.name, b.name));
  return entries.map((e, i) => ({ ...e, localPort: env.sidecar.port + 1 + i }) as SidecarDependency);
}

/** The Marathon instances of the environment (every master runs one), by host name. */
export const marathonUrls = perObject((env: Environment): string[] =>
  resolve(env).withRole('mesos-master')
    .filter((h) => h.ip !== undefined)
    .map((h) => `http://${h.ip}:${MARATHON_PORT}`));

/**
 * The sidecar's interface (libs/sidecar, README "The sidecar"): where the app finds each
 * dependency (`<NAME>_HOST`/`_PORT`, always the local port: a move needs no restart), and how
 * the sidecar is configured. Credentials are never rendered: MARATHON_USERNAME/PASSWORD or
 * MARATHON_TOKEN come from the app's secrets when Marathon needs them.
 */
export function sidecarEnv(env: Environment, app: MarathonApp): Record<string, string> {
  const deps = sidecarDependencies(env, app);
  const out: Record<string, string> = {};
  for (const d of deps) {
    out[`${envToken(d.name)}_HOST`] = '127.0.0.1';
    out[`${envToken(d.name)}_PORT`] = String(d.localPort);
  }
  out.SIDECAR_DEPS = JSON.stringify(deps);
  out.SIDECAR_MARATHON = marathonUrls(env).join(',');
  out.SIDECAR_PORT = String(env.sidecar.port);
  out.SIDECAR_WAIT_SECONDS = String(env.sidecar.waitSeconds);
  return out;
}

/** The parts of the app definition that make the sidecar the container's entrypoint. */
export interface SidecarLaunch {
  fetch: { uri: string; executable: true; cache: true }[];
  parameters: { key: string; value: string }[];
  args: string[];
}

/**
 * Marathon fetches the executable into the sandbox (`executable` sets its mode, `cache` keeps
 * one copy per agent and URL), Docker runs it as the entrypoint with an init process as PID 1
 * that reaps orphans, and `args` (the app's command) become its arguments. Never `cmd`: Marathon
 * wraps it in `/bin/sh -c` and sets its own entrypoint, so an entrypoint parameter is passed
 * twice (Marathon #2373); `args` keeps the image's environment and signals intact.
 */
export function sidecarLaunch(env: Environment, app: MarathonApp): SidecarLaunch {
  return {
    fetch: [{ uri: sidecarUri(env.sidecar), executable: true, cache: true }],
    parameters: [
      { key: 'entrypoint', value: `${MESOS_SANDBOX}/${SIDECAR_EXECUTABLE}` },
      { key: 'init', value: 'true' },
    ],
    args: [...(app.command ?? [])],
  };
}
