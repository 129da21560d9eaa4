// Test support (imported only by *.test.ts): small environments for golden cases and bad input.
import { defineEnvironment, dependsOnApp, dependsOnDatabase, secret, type Environment, type MarathonApp } from '@infra/model';

const REGISTRY = 'registry.test.example.net';

/** One master, three agents without racks, one database, a JVM app and two sidecar apps. */
export function smallEnv(): Environment {
  return defineEnvironment({
    name: 'small',
    description: 'golden case: agents without racks',
    site: {
      kind: 'vsphere', vcenter: 'vc.test', datacenter: 'dc', cluster: 'c', datastore: 'ds', folder: 'f',
      state: { kind: 'consul', address: 'consul.test:8500', path: 'terraform/small' },
    },
    network: {
      domain: 'test.example.net', dnsServers: ['10.0.0.2'], ntpServers: ['ntp.test'],
      subnets: [
        { name: 'compute', cidr: '10.0.2.0/24', gateway: '10.0.2.1', portGroup: 'pg-compute' },
        { name: 'data', cidr: '10.0.5.0/24', gateway: '10.0.5.1', portGroup: 'pg-data' },
      ],
    },
    stemcell: { name: 'stemcell', version: '1', os: 'ubuntu-14.04', cloudInit: '0.7.5', transports: ['vmware-guestinfo'], images: { vsphere: { template: 't' } }, patches: [] },
    sizes: { agent: { cpus: 4, memoryMiB: 8192, diskGiB: 50 }, db: { cpus: 2, memoryMiB: 4096, diskGiB: 100 } },
    hostGroups: [
      { role: 'mesos-master', name: 'master', size: 'db', subnet: 'compute', hosts: 1, firstIp: '10.0.2.5', mesosVersion: '1.4.3', zookeeperVersion: '3.4.14', marathonVersion: '1.6.549' },
      { role: 'mesos-agent', name: 'agent', size: 'agent', subnet: 'compute', hosts: 3, firstIp: '10.0.2.11', mesosVersion: '1.4.3', dockerVersion: '18.06.3' },
      { role: 'database', name: 'db-orders', size: 'db', subnet: 'data', engine: 'mysql', engineVersion: '5.7', port: 3306, dataDir: '/var/lib/mysql', hosts: [{ name: 'db-orders-01', ip: '10.0.5.10' }] },
    ],
    apps: [
      {
        id: '/orders/api', image: `${REGISTRY}/orders/api:1.0.0`, runtime: 'jvm', cpus: 1, mem: 1024, disk: 128, instances: 2,
        ports: [{ name: 'http', containerPort: 8080 }],
        healthCheck: { path: '/health', port: 'http' },
        dependsOn: [dependsOnDatabase('db-orders-01')],
        secrets: { ORDERS_DB_PASSWORD: secret('kv/orders/db#password') },
        expose: { vhost: 'orders.test.example.net', port: 'http' },
      },
      {
        id: '/orders/web', image: `${REGISTRY}/orders/web:2.1.0`, runtime: 'node', cpus: 0.5, mem: 256, disk: 64, instances: 4,
        ports: [{ name: 'http', containerPort: 3000 }], command: ['node', 'server.js'],
        healthCheck: { path: '/healthz', port: 'http', intervalSeconds: 5 },
        dependsOn: [dependsOnApp('/orders/api')],
        env: { NODE_ENV: 'production' },
        expose: { vhost: 'www.test.example.net', port: 'http' },
      },
      {
        id: '/orders/worker', image: `${REGISTRY}/orders/worker:2.1.0`, runtime: 'python', cpus: 0.25, mem: 128, disk: 0, instances: 1,
        ports: [], command: ['python', '-m', 'orders.worker', '--queue', 'orders'],
        dependsOn: [dependsOnApp('/orders/api'), dependsOnDatabase('db-orders-01')],
      },
    ],
    sidecar: { version: '1.0.0', url: 'https://artifacts.test.example.net/infra-sidecar', cpus: 0.1, mem: 64, port: 9901, waitSeconds: 30 },
    hadoop: [],
  });
}

/** Six agents in two racks; a multi-port exposed app pinned by digest, spread with MAX_PER. */
export function rackedEnv(): Environment {
  const base = smallEnv();
  const apps: MarathonApp[] = [
    {
      id: '/edge/proxy', image: `${REGISTRY}/edge/proxy@sha256:${'ab'.repeat(32)}`, runtime: 'native', cpus: 0.5, mem: 128, disk: 0, instances: 4,
      ports: [{ name: 'admin', containerPort: 9000 }, { name: 'https', containerPort: 8443 }, { name: 'metrics', containerPort: 9100, protocol: 'udp' }],
      command: ['/usr/sbin/edge-proxy', '--config', '/etc/edge/proxy.yaml'],
      healthCheck: { path: '/ready', port: 'admin' },
      expose: { vhost: 'edge.test.example.net', port: 'https' },
    },
    {
      id: '/orders/api', image: `${REGISTRY}/orders/api:1.0.0`, runtime: 'jvm', cpus: 1, mem: 1024, disk: 128, instances: 1,
      ports: [{ name: 'http', containerPort: 8080 }],
      dependsOn: [dependsOnDatabase('db-orders-01')],
    },
  ];
  return {
    ...base,
    name: 'racked',
    description: 'golden case: agents in racks',
    hostGroups: [
      {
        role: 'mesos-agent', name: 'agent', size: 'agent', subnet: 'compute', hosts: 6, firstIp: '10.0.2.11', mesosVersion: '1.4.3', dockerVersion: '18.06.3',
        racks: { 'agent-01': 'r1', 'agent-02': 'r1', 'agent-03': 'r1', 'agent-04': 'r2', 'agent-05': 'r2', 'agent-06': 'r2' },
      },
      ...base.hostGroups.filter((g) => g.role !== 'mesos-agent'),
    ],
    apps,
  };
}

/** A copy of `env` with `change` applied to the app `id`. */
export function withApp(env: Environment, id: string, change: (app: MarathonApp) => MarathonApp): Environment {
  return { ...env, apps: env.apps.map((a) => (a.id === id ? change(a) : a)) };
}
