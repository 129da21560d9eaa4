import type { SecretRef } from './secret';

/**
 * What an app needs running before it can serve: another Marathon app (by id), an app still
 * hosted on an app-server group (by its name: resolved to the group's addresses and the app's
 * port, so an app can move onto Mesos before what it calls does), or a database host.
 */
export type Dependency = { app: string } | { hosted: string } | { database: string };

export const dependsOnApp = (id: string): Dependency => ({ app: id });
export const dependsOnHosted = (name: string): Dependency => ({ hosted: name });
export const dependsOnDatabase = (host: string): Dependency => ({ database: host });

export interface AppPort {
  /**
   * Port name, used by service discovery and health checks (Marathon: lowercase letters,
   * digits and dashes).
   * @pattern ^[a-z][a-z0-9-]*$
   */
  name: string;
  /**
   * @minimum 1
   * @maximum 65535
   */
  containerPort: number;
  protocol?: 'tcp' | 'udp';
}

export interface HttpHealthCheck {
  /** Path answered with 2xx/3xx when the app is healthy, e.g. "/health". */
  path: string;
  /** Name of the port from `ports`. */
  port: string;
  /** @minimum 1 */
  intervalSeconds?: number;
  /** @minimum 1 */
  timeoutSeconds?: number;
  /** @minimum 0 */
  gracePeriodSeconds?: number;
  /** @minimum 1 */
  maxConsecutiveFailures?: number;
}

/** A long-running Docker app that Marathon keeps alive on the Mesos agents. */
export interface MarathonApp {
  /**
   * Marathon app id: absolute path of lowercase segments, e.g. "/payments/api".
   * @pattern ^(/[a-z0-9]([a-z0-9.-]*[a-z0-9])?)+$
   */
  id: string;
  /** Docker image pinned to a tag or digest; `latest` and untagged images are refused. */
  image: string;
  /** JVM apps discover their dependencies themselves; every other app gets the sidecar. */
  runtime: 'jvm' | 'go' | 'node' | 'python' | 'ruby' | 'native';
  /** @exclusiveMinimum 0 */
  cpus: number;
  /**
   * Memory in MiB.
   * @minimum 32
   */
  mem: number;
  /**
   * Disk in MiB.
   * @minimum 0
   */
  disk: number;
  /**
   * @minimum 0
   * @asType integer
   */
  instances: number;
  ports: AppPort[];
  healthCheck?: HttpHealthCheck;
  dependsOn?: Dependency[];
  /** Plain configuration. Secrets go in `secrets`. */
  env?: Record<string, string>;
  /** Environment variable name → secret reference. */
  secrets?: Record<string, SecretRef>;
  /** Exposed through the load balancer under this virtual host. */
  expose?: { vhost: string; port: string };
  /** Command line, when the image's entrypoint needs arguments. */
  args?: string[];
}

/**
 * The service-discovery sidecar that runs beside every non-JVM app in its container. It is told
 * which services to resolve and writes their addresses where the app reads them.
 */
export interface Sidecar {
  image: string;
  /** @exclusiveMinimum 0 */
  cpus: number;
  /**
   * Memory in MiB.
   * @minimum 16
   */
  mem: number;
  /**
   * Local port the sidecar answers discovery queries on inside the container.
   * @minimum 1
   * @maximum 65535
   */
  port: number;
}
