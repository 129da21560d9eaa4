import { instanceResources, needsSidecar, resolve, type Agent, type Environment, type MarathonApp } from '@infra/model';
import { appConfiguration, type EnvValue } from './configuration';
import { resolveDependencies } from './dependencies';
import { appLabels } from './labels';
import { constraintsFor, upgradeStrategyFor, type Constraint, type UpgradeStrategy } from './placement';
import { sidecarLaunch } from './sidecar';

/** The part of Marathon's app definition this generator writes (1.5+ canonical networking). */
export interface MarathonAppDefinition {
  id: string;
  instances: number;
  cpus: number;
  mem: number;
  disk: number;
  args?: string[];
  /** Sidecar apps only: the sidecar executable, fetched into the task's sandbox. */
  fetch?: { uri: string; executable: true; cache: true }[];
  container: {
    type: 'DOCKER';
    /** `parameters` (sidecar apps only): docker run's --entrypoint and --init. */
    docker: { image: string; parameters?: { key: string; value: string }[] };
    portMappings: { name: string; containerPort: number; hostPort: 0; protocol: 'tcp' | 'udp' }[];
  };
  networks: [{ mode: 'container/bridge' }];
  healthChecks?: MesosHttpHealthCheck[];
  upgradeStrategy: UpgradeStrategy;
  constraints: Constraint[];
  dependencies?: string[];
  labels: Record<string, string>;
  env?: Record<string, EnvValue>;
  secrets?: Record<string, { source: string }>;
}

interface MesosHttpHealthCheck {
  protocol: 'MESOS_HTTP';
  path: string;
  portIndex: number;
  gracePeriodSeconds: number;
  intervalSeconds: number;
  timeoutSeconds: number;
  maxConsecutiveFailures: number;
}

// Marathon's own defaults (raml/types/healthCheck.raml), written out so the file is the whole app.
const HEALTH_DEFAULTS = { gracePeriodSeconds: 300, intervalSeconds: 60, timeoutSeconds: 20, maxConsecutiveFailures: 3 };

/**
 * The complete app as Marathon should hold it: apply PUTs it with partialUpdate=false, so
 * anything left out here is reset to Marathon's default.
 *
 * - Bridge networking in the 1.5+ form (`networks` + `container.portMappings`): Marathon 1.6
 *   accepts the older `docker.network: BRIDGE` but answers only in this form.
 * - hostPort 0 (any free port of the agent); servicePort left out: Marathon assigns one and
 *   keeps it across updates of the same app (AssignDynamicServiceLogic reuses the old app's
 *   service ports when the new definition says 0), and guarantees it is unique in the cluster,
 *   which no port derived here could.
 * - MESOS_HTTP health checks run on the agent, not from Marathon, and address the port by index.
 */
export function renderApp(env: Environment, app: MarathonApp, agents: readonly Agent[] = resolve(env).agents): MarathonAppDefinition {
  const resources = instanceResources(app, env.sidecar);
  const config = appConfiguration(env, app);
  const deps = resolveDependencies(env, app);
  const healthIndex = app.healthCheck === undefined ? -1 : app.ports.findIndex((p) => p.name === app.healthCheck!.port);
  const def: MarathonAppDefinition = {
    id: app.id,
    instances: app.instances,
    ...resources,
    container: {
      type: 'DOCKER',
      docker: { image: app.image },
      portMappings: app.ports.map((p) => ({ name: p.name, containerPort: p.containerPort, hostPort: 0, protocol: p.protocol ?? 'tcp' })),
    },
    networks: [{ mode: 'container/bridge' }],
    upgradeStrategy: upgradeStrategyFor(),
    constraints: constraintsFor(app, agents),
    labels: appLabels(app),
  };
  // Marathon omits empty lists and maps in its answers (RAML `omitEmpty`); so do we.
  if (needsSidecar(app)) {
    // The sidecar is the entrypoint and the app's command its arguments (see sidecar.ts).
    const launch = sidecarLaunch(env, app);
    def.fetch = launch.fetch;
    def.container.docker.parameters = launch.parameters;
    if (launch.args.length > 0) def.args = launch.args;
  } else if (app.args !== undefined && app.args.length > 0) def.args = [...app.args];
  if (app.healthCheck !== undefined && healthIndex >= 0) {
    const hc = app.healthCheck;
    def.healthChecks = [{
      protocol: 'MESOS_HTTP',
      path: hc.path,
      portIndex: healthIndex,
      gracePeriodSeconds: hc.gracePeriodSeconds ?? HEALTH_DEFAULTS.gracePeriodSeconds,
      intervalSeconds: hc.intervalSeconds ?? HEALTH_DEFAULTS.intervalSeconds,
      timeoutSeconds: hc.timeoutSeconds ?? HEALTH_DEFAULTS.timeoutSeconds,
      maxConsecutiveFailures: hc.maxConsecutiveFailures ?? HEALTH_DEFAULTS.maxConsecutiveFailures,
    }];
  }
  if (deps.apps.length > 0) def.dependencies = deps.apps;
  if (Object.keys(config.env).length > 0) def.env = config.env;
  if (Object.keys(config.secrets).length > 0) def.secrets = config.secrets;
  return def;
}
