import { compare, needsSidecar, type Environment, type MarathonApp, type Problem } from '@infra/model';
import { capacityProblems } from './capacity';
import { appConfiguration } from './configuration';
import { resolveDependencies } from './dependencies';
import { imageProblem } from './image';
import { appPath, isValidPortName, serviceName } from './names';
import { sidecarDependencies } from './sidecar';

/**
 * Everything that would make Marathon refuse an app, run it unpinned, or leave it unplaceable:
 * every problem at once, located by app id and port name.
 */
export function checkMarathon(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const report = (path: string, message: string) => problems.push({ env: env.name, path, message });

  const apps = [...env.apps].sort((a, b) => compare(a.id, b.id));
  const services = new Map<string, string>();
  // The first app of each id, as a search of env.apps would find it: one lookup per dependency.
  const byId = new Map<string, MarathonApp>();
  for (const app of env.apps) if (!byId.has(app.id)) byId.set(app.id, app);
  for (const app of apps) {
    const image = imageProblem(app.image);
    if (image !== undefined) report(appPath(app.id, 'image'), image);
    checkPorts(app, report);
    for (const clash of appConfiguration(env, app).clashes) report(appPath(app.id, 'env', clash.name), clash.message);

    const service = serviceName(app.id);
    const other = services.get(service);
    if (other !== undefined) report(appPath(app.id, 'id'), `service-discovery name "${service}" is also the name of ${other}: rename one of them`);
    else services.set(service, app.id);

    if (needsSidecar(app)) {
      // The sidecar listens inside the app's container: the app cannot have its ports too.
      const taken = app.ports.find((p) => p.containerPort === env.sidecar.port);
      if (taken !== undefined) {
        report(appPath(app.id, 'ports', taken.name, 'containerPort'), `${taken.containerPort} is the sidecar's port (sidecar/port) inside the container: choose another`);
      }
      for (const d of sidecarDependencies(env, app)) {
        const clash = app.ports.find((p) => p.containerPort === d.localPort);
        if (clash !== undefined) {
          report(appPath(app.id, 'ports', clash.name, 'containerPort'), `${clash.containerPort} is the sidecar's local port for ${d.name} inside the container (sidecar/port + ${d.localPort - env.sidecar.port}): choose another`);
        }
      }
      // The sidecar is the entrypoint: it must be told what to start.
      if (app.command === undefined || app.command.length === 0) {
        report(appPath(app.id, 'command'), `a ${app.runtime} app runs with the sidecar, which starts the app's command: set command to the image's ENTRYPOINT followed by its CMD, e.g. ["node", "server.js"]`);
      }
      if (app.args !== undefined) {
        report(appPath(app.id, 'args'), 'a sidecar app\'s arguments go at the end of command (the sidecar starts the command with them): move them there');
      }
      const deps = resolveDependencies(env, app);
      for (const id of deps.apps) {
        if (byId.get(id)?.ports.length === 0) {
          report(appPath(app.id, 'dependsOn'), `${id} has no port for the sidecar to serve: give it a port or drop the dependency`);
        }
      }
      const names = [...deps.apps.map(serviceName), ...deps.databases.map((d) => d.host), ...deps.hosted.map((h) => h.name)];
      for (const name of names.filter((n, i) => names.indexOf(n) !== i)) {
        report(appPath(app.id, 'dependsOn'), `the sidecar would resolve "${name}" as two different dependencies (app, hosted app or database): rename one of them`);
      }
    } else if (app.command !== undefined) {
      report(appPath(app.id, 'command'), 'a JVM app runs without the sidecar and keeps its image\'s entrypoint: put its arguments in args instead');
    }
  }
  return [...problems, ...capacityProblems(env)];
}

function checkPorts(app: MarathonApp, report: (path: string, message: string) => void): void {
  const names = new Set<string>();
  for (const port of app.ports) {
    if (!isValidPortName(port.name)) {
      report(
        appPath(app.id, 'ports', port.name, 'name'),
        `port name "${port.name}" is refused by Marathon: use lowercase letters, digits and dashes, starting with a letter and not ending with a dash`,
      );
    }
    if (names.has(port.name)) report(appPath(app.id, 'ports', port.name), `port name "${port.name}" is used twice; Marathon needs each port name once per app`);
    names.add(port.name);
  }
  const known = app.ports.length === 0 ? 'the app has no ports' : `ports: ${app.ports.map((p) => p.name).join(', ')}`;
  if (app.healthCheck !== undefined && !names.has(app.healthCheck.port)) {
    report(appPath(app.id, 'healthCheck', 'port'), `"${app.healthCheck.port}" is not a port of ${app.id} (${known})`);
  }
  if (app.expose !== undefined && !names.has(app.expose.port)) {
    report(appPath(app.id, 'expose', 'port'), `"${app.expose.port}" is not a port of ${app.id} (${known})`);
  }
}
