import { dependsOnApp, dependsOnDatabase, secret, type MarathonApp, type Sidecar } from '@infra/model';

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

/** The Marathon apps every site runs. Databases are named by their host. */
export const apps: MarathonApp[] = [
  {
    id: '/ledger/api', image: `${REGISTRY}/ledger/api:4.12.0`, runtime: 'jvm',
    cpus: 2, mem: 4096, disk: 512, instances: 4, ports: http(), healthCheck: health,
    dependsOn: [dependsOnDatabase('db-ledger-01')],
    env: { JAVA_OPTS: '-Xmx3g', LEDGER_DB_NAME: 'ledger' },
    secrets: { LEDGER_DB_PASSWORD: secret('kv/ledger/db#password') },
    expose: { vhost: 'ledger.lenexa.example.net', port: 'http' },
  },
  {
    id: '/ledger/reconciler', image: `${REGISTRY}/ledger/reconciler:4.12.0`, runtime: 'jvm',
    cpus: 1, mem: 2048, disk: 256, instances: 2, ports: http(), healthCheck: health,
    dependsOn: [dependsOnApp('/ledger/api'), dependsOnDatabase('db-ledger-01')],
    secrets: { LEDGER_DB_PASSWORD: secret('kv/ledger/db#password') },
  },
  {
    id: '/customers/api', image: `${REGISTRY}/customers/api:2.8.3`, runtime: 'jvm',
    cpus: 2, mem: 3072, disk: 512, instances: 3, ports: http(), healthCheck: health,
    dependsOn: [dependsOnDatabase('db-customer-01')],
    secrets: { CUSTOMER_DB_PASSWORD: secret('kv/customers/db#password') },
    expose: { vhost: 'customers.lenexa.example.net', port: 'http' },
  },
  {
    id: '/web/storefront', image: `${REGISTRY}/web/storefront:7.1.4`, runtime: 'node',
    command: ['node', 'server.js'],
    cpus: 1, mem: 1024, disk: 256, instances: 6, ports: http(3000), healthCheck: { ...health, path: '/healthz' },
    dependsOn: [dependsOnApp('/customers/api'), dependsOnApp('/catalog/search'), dependsOnApp('/sessions/store')],
    env: { NODE_ENV: 'production' },
    expose: { vhost: 'www.lenexa.example.net', port: 'http' },
  },
  {
    id: '/catalog/search', image: `${REGISTRY}/catalog/search:3.0.9`, runtime: 'go',
    command: ['/usr/local/bin/catalog-search', '--listen', ':8080'],
    cpus: 1, mem: 1024, disk: 1024, instances: 4, ports: http(), healthCheck: health,
    dependsOn: [dependsOnDatabase('db-catalog-01')],
    secrets: { CATALOG_DB_PASSWORD: secret('kv/catalog/db#password') },
  },
  {
    id: '/sessions/store', image: `${REGISTRY}/sessions/store:1.4.0`, runtime: 'native',
    command: ['redis-server', '/etc/redis/redis.conf'],
    cpus: 0.5, mem: 2048, disk: 128, instances: 3, ports: [{ name: 'redis', containerPort: 6379 }],
  },
  {
    id: '/payments/gateway', image: `${REGISTRY}/payments/gateway@sha256:3b1f9c0e5d2a4f6b8c7e9d0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e`, runtime: 'python',
    command: ['gunicorn', '--bind', '0.0.0.0:8000', 'gateway.wsgi:application'],
    cpus: 1, mem: 1024, disk: 256, instances: 3, ports: http(8000), healthCheck: health,
    dependsOn: [dependsOnApp('/ledger/api'), dependsOnApp('/customers/api')],
    secrets: { PROCESSOR_API_KEY: secret('kv/payments/processor#api-key') },
    expose: { vhost: 'pay.lenexa.example.net', port: 'http' },
  },
  {
    id: '/notifications/mailer', image: `${REGISTRY}/notifications/mailer:0.19.2`, runtime: 'ruby',
    command: ['bundle', 'exec', 'puma', '--port', '9292'],
    cpus: 0.5, mem: 512, disk: 128, instances: 2, ports: http(9292), healthCheck: health,
    dependsOn: [dependsOnApp('/customers/api')],
    secrets: { SMTP_PASSWORD: secret('kv/notifications/smtp#password') },
  },
  {
    id: '/reports/builder', image: `${REGISTRY}/reports/builder:5.2.0`, runtime: 'jvm',
    cpus: 2, mem: 6144, disk: 2048, instances: 1, ports: http(), healthCheck: health,
    dependsOn: [dependsOnApp('/ledger/api'), dependsOnDatabase('db-reporting-01')],
    secrets: { REPORTING_DB_PASSWORD: secret('kv/reporting/db#password') },
  },
];
