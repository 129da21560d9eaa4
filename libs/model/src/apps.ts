import type { SecretRef } from './secret';

/** What an app needs running before it can serve: another Marathon app, or a database host. */
export type Dependency = { app: string } | { database: string };

export const dependsOnApp = (id: string): Dependency => ({ app: id });
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
  /** @minimum 0 */
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
  /**
   * The image's own command line, its ENTRYPOINT followed by its CMD (e.g. `["node",
   * "server.js"]`). Required for every app with the sidecar: the sidecar becomes the
   * container's entrypoint and starts this as its child. Not used by JVM apps.
   * @minItems 1
   */
  command?: string[];
}

/**
 * The sidecar that runs in every non-JVM app's container (libs/sidecar): a single executable
 * that Marathon fetches into the task's sandbox and starts as the container's entrypoint. It
 * resolves the app's dependencies through Marathon, serves each on a local port, and starts the
 * app's `command` as its child.
 */
export interface Sidecar {
  /**
   * Version of the sidecar executable, part of the URL fetched: changing it restarts every
   * task of every sidecar app.
   * @pattern ^[0-9]+\.[0-9]+\.[0-9]+$
   */
  version: string;
  /**
   * Where the executables are published, e.g. "https://artifacts.example.net/infra-sidecar":
   * Marathon fetches `<url>/<version>/infra-sidecar-linux-x64`.
   * @pattern ^https?://[^\s]+[^/\s]$
   */
  url: string;
  /** @exclusiveMinimum 0 */
  cpus: number;
  /**
   * Memory in MiB.
   * @minimum 16
   */
  mem: number;
  /**
   * Status port of the sidecar on 127.0.0.1 inside the container; the dependencies' local
   * ports follow it (port + 1, + 2, … in the order of their names).
   * @minimum 1
   * @maximum 65535
   */
  port: number;
  /**
   * Longest wait, in seconds, for the dependencies to resolve before the app starts anyway;
   * 0 starts the app at once.
   * @minimum 0
   */
  waitSeconds: number;
}
