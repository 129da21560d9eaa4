import { needsSidecar, type Environment, type MarathonApp } from '@infra/model';
import { perObject } from '@infra/render';
import { resolveDependencies } from './dependencies';
import { envToken, serviceName } from './names';
import { sidecarEnv } from './sidecar';

/** A Marathon env value: plain text, or a reference to one of the app's declared secrets. */
export type EnvValue = string | { secret: string };

export interface AppConfiguration {
  env: Record<string, EnvValue>;
  /** Marathon secret declarations: name → Vault reference. Never a value. */
  secrets: Record<string, { source: string }>;
  /** Variables set by two sources (the first one wins; check() reports each). */
  clashes: { name: string; message: string }[];
}

/**
 * Everything the app's process sees in its environment, from four sources in a fixed order:
 * dependency wiring (JVM) or the sidecar contract (everything else), the app's own `env`, and
 * its secrets. A name set twice is a clash rather than a silent override.
 */
export function appConfiguration(env: Environment, app: MarathonApp): AppConfiguration {
  return configurationOf(env)(app);
}

// Check (its clashes) and the app definition (its env and secrets) both ask: derived once per
// environment and app, frozen so that no caller changes the shared answer.
const configurationOf = perObject((env: Environment) => perObject((app: MarathonApp) => Object.freeze(configurationOnce(env, app))));

function configurationOnce(env: Environment, app: MarathonApp): AppConfiguration {
  const out: Record<string, EnvValue> = {};
  const origin = new Map<string, string>();
  const clashes: AppConfiguration['clashes'] = [];
  const set = (name: string, value: EnvValue, source: string) => {
    const first = origin.get(name);
    if (first !== undefined) {
      clashes.push({ name, message: `${name} is set by ${first} and again by ${source}` });
      return;
    }
    origin.set(name, source);
    out[name] = value;
  };

  const deps = resolveDependencies(env, app);
  if (needsSidecar(app)) {
    for (const [name, value] of Object.entries(sidecarEnv(env, app))) set(name, value, 'the sidecar contract');
  } else {
    // JVM apps discover apps themselves by service-discovery name; databases sit on fixed
    // addresses, taken from this environment so that a DR app reaches the DR database.
    for (const id of deps.apps) set(`DEPENDENCY_${envToken(id)}_SERVICE`, serviceName(id), `the dependency on ${id}`);
    for (const db of deps.databases) {
      const source = `the dependency on ${db.host}`;
      set(`DEPENDENCY_${envToken(db.host)}_HOST`, db.ip, source);
      set(`DEPENDENCY_${envToken(db.host)}_PORT`, String(db.port), source);
      set(`DEPENDENCY_${envToken(db.host)}_ENGINE`, db.engine, source);
    }
    // An app still on its app servers: every server's address, and the app's port.
    for (const h of deps.hosted) {
      const source = `the dependency on ${h.name}`;
      set(`DEPENDENCY_${envToken(h.name)}_HOSTS`, h.addresses.join(','), source);
      set(`DEPENDENCY_${envToken(h.name)}_PORT`, String(h.port), source);
    }
  }
  for (const [name, value] of Object.entries(app.env ?? {})) set(name, String(value), 'env');
  const secrets: AppConfiguration['secrets'] = {};
  for (const [name, ref] of Object.entries(app.secrets ?? {})) {
    // The secret is declared under the variable's own name: unique per app by construction.
    secrets[name] = { source: ref.vault };
    set(name, { secret: name }, 'secrets');
  }
  return { env: out, secrets, clashes };
}
