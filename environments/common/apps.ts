import { dependsOnApp, dependsOnDatabase, secret as vaultSecret, type Environment, type MarathonApp, type Sidecar } from '@infra/model';

const REGISTRY = 'registry.lenexa.example.net';

/**
 * The sidecar of every non-JVM app (libs/sidecar), fetched by Marathon from the artifact store
 * (`npm run sidecar:build`, then publish libs/sidecar/dist/<version>/ under `url`).
 */
export const sidecar: Sidecar = {
  version: '1.0.0', url: 'https://artifacts.lenexa.example.net/infra-sidecar', cpus: 0.1, mem: 64, port: 9901, waitSeconds: 30,
};

const http = (containerPort = 8080) => [{ name: 'http', containerPort }];
const health = { path: '/health', port: 'http', intervalSeconds: 10, timeoutSeconds: 5, gracePeriodSeconds: 60, maxConsecutiveFailures: 3 };

/**
 * What the app catalogue varies per environment. Required, so a new environment states its own
 * values instead of inheriting production's public vhosts and Vault paths.
 */
export interface CatalogueValues {
  /** Public DNS domains served; the first is where the apps' vhosts go. Not network.domain. */
  publicDomains: [string, ...string[]];
  /** Vault prefix of the environment's secrets, e.g. "kv" (production) or "kv/staging". */
  secretPrefix: string;
  /** Instances of every app relative to production's (0.5: half, at least one each). */
  scale: number;
}

/** The production values of the catalogue. A derived environment (aws-dr) inherits them. */
export const PRODUCTION: CatalogueValues = { publicDomains: ['lenexa.example.net'], secretPrefix: 'kv', scale: 1 };

/**
 * The Marathon apps every site runs, with the values of one environment, and those values as
 * the environment's own fields (spread into defineEnvironment) so validation can hold every
 * vhost and secret to them. Databases are named by their host.
 */
export function appCatalogue(values: CatalogueValues): Pick<Environment, 'apps' | 'publicDomains' | 'secretPrefix'> {
  const [domain] = values.publicDomains;
  return { apps: catalogue(domain, values.secretPrefix, values.scale), publicDomains: [...values.publicDomains], secretPrefix: values.secretPrefix };
}

function catalogue(domain: string, secretPrefix: string, scale: number): MarathonApp[] {
  const secret = (pathAndKey: string) => vaultSecret(`${secretPrefix}/${pathAndKey}`);
  const vhost = (name: string) => `${name}.${domain}`;
  const n = (production: number) => Math.max(1, Math.round(production * scale));
  return [
    {
      id: '/ledger/api', image: `${REGISTRY}/ledger/api:4.12.0`, runtime: 'jvm',
      cpus: 2, mem: 4096, disk: 512, instances: n(4), ports: http(), healthCheck: health,
      dependsOn: [dependsOnDatabase('db-ledger-01')],
      env: { JAVA_OPTS: '-Xmx3g', LEDGER_DB_NAME: 'ledger' },
      secrets: { LEDGER_DB_PASSWORD: secret('ledger/db#password') },
      expose: { vhost: vhost('ledger'), port: 'http' },
    },
    {
      id: '/ledger/reconciler', image: `${REGISTRY}/ledger/reconciler:4.12.0`, runtime: 'jvm',
      cpus: 1, mem: 2048, disk: 256, instances: n(2), ports: http(), healthCheck: health,
      dependsOn: [dependsOnApp('/ledger/api'), dependsOnDatabase('db-ledger-01')],
      secrets: { LEDGER_DB_PASSWORD: secret('ledger/db#password') },
    },
    {
      id: '/customers/api', image: `${REGISTRY}/customers/api:2.8.3`, runtime: 'jvm',
      cpus: 2, mem: 3072, disk: 512, instances: n(3), ports: http(), healthCheck: health,
      dependsOn: [dependsOnDatabase('db-customer-01')],
      secrets: { CUSTOMER_DB_PASSWORD: secret('customers/db#password') },
      expose: { vhost: vhost('customers'), port: 'http' },
    },
    {
      command: ['node', 'server.js'],
      id: '/web/storefront', image: `${REGISTRY}/web/storefront:7.1.4`, runtime: 'node',
      cpus: 1, mem: 1024, disk: 256, instances: n(6), ports: http(3000), healthCheck: { ...health, path: '/healthz' },
      dependsOn: [dependsOnApp('/customers/api'), dependsOnApp('/catalog/search'), dependsOnApp('/sessions/store')],
      env: { NODE_ENV: 'production' },
      expose: { vhost: vhost('www'), port: 'http' },
    },
    {
      command: ['/usr/local/bin/catalog-search', '--listen', ':8080'],
      id: '/catalog/search', image: `${REGISTRY}/catalog/search:3.0.9`, runtime: 'go',
      cpus: 1, mem: 1024, disk: 1024, instances: n(4), ports: http(), healthCheck: health,
      dependsOn: [dependsOnDatabase('db-catalog-01')],
      secrets: { CATALOG_DB_PASSWORD: secret('catalog/db#password') },
    },
    {
      command: ['redis-server', '/etc/redis/redis.conf'],
      id: '/sessions/store', image: `${REGISTRY}/sessions/store:1.4.0`, runtime: 'native',
      cpus: 0.5, mem: 2048, disk: 128, instances: n(3), ports: [{ name: 'redis', containerPort: 6379 }],
    },
    {
      command: ['gunicorn', '--bind', '0.0.0.0:8000', 'gateway.wsgi:application'],
      id: '/payments/gateway', image: `${REGISTRY}/payments/gateway@sha256:3b1f9c0e5d2a4f6b8c7e9d0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e`, runtime: 'python',
      cpus: 1, mem: 1024, disk: 256, instances: n(3), ports: http(8000), healthCheck: health,
      dependsOn: [dependsOnApp('/ledger/api'), dependsOnApp('/customers/api')],
      secrets: { PROCESSOR_API_KEY: secret('payments/processor#api-key') },
      expose: { vhost: vhost('pay'), port: 'http' },
    },
    {
      command: ['bundle', 'exec', 'puma', '--port', '9292'],
      id: '/notifications/mailer', image: `${REGISTRY}/notifications/mailer:0.19.2`, runtime: 'ruby',
      cpus: 0.5, mem: 512, disk: 128, instances: n(2), ports: http(9292), healthCheck: health,
      dependsOn: [dependsOnApp('/customers/api')],
      secrets: { SMTP_PASSWORD: secret('notifications/smtp#password') },
    },
    {
      id: '/reports/builder', image: `${REGISTRY}/reports/builder:5.2.0`, runtime: 'jvm',
      cpus: 2, mem: 6144, disk: 2048, instances: n(1), ports: http(), healthCheck: health,
      dependsOn: [dependsOnApp('/ledger/api'), dependsOnDatabase('db-reporting-01')],
      secrets: { REPORTING_DB_PASSWORD: secret('reporting/db#password') },
    },
  ];
}
