#!/usr/bin/env node
// The plain baseline of the benchmark (issue 5): the vSphere Terraform JSON that
// generators/terraform renders for syntheticEnvironment({ vms: N }), built from plain objects and
// written with JSON.stringify, as a whole process. No project imports, no tsx, no validation, no
// key sorting (keys are written in the order stableJson would sort them to), no manifest: the
// near-physical limit of producing these bytes in Node.
//
//   node bench/baseline.js N OUTDIR      writes OUTDIR/terraform/{main,vm-<group>}.tf.json
//
// Keep it comparable with the real generator: the same host list (names, IPs, sizes, subnets,
// as libs/synthetic and libs/model's allocation give them), the same files, resources and
// attributes, one gzip+base64 user-data per host group (agents are grouped per rack, as
// libs/synthetic groups them), and pretty-printed like stableJson.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
// The same pure-JS gzip as generators/terraform/src/user-data.ts, so the bytes stay comparable.
const { gzipSync } = require('fflate');

const vms = Number(process.argv[2]);
const outDir = process.argv[3];
if (!Number.isInteger(vms) || vms < 1 || !outDir) {
  process.stderr.write('usage: node bench/baseline.js N OUTDIR\n');
  process.exit(2);
}

// ---- the synthetic environment, as libs/synthetic/src/index.ts defines it ----------------------
const NAME = 'synth';
const STEMCELL = { name: 'ubuntu-trusty-hardened', version: '3468.21' };
const TEMPLATE_PATH = `templates/${STEMCELL.name}-${STEMCELL.version}`;
const DOMAIN = 'example.net';
const DNS = ['10.0.0.2'];
const SIZES = {
  medium: { cpus: 4, memoryMiB: 16384, diskGiB: 80 },
  large: { cpus: 8, memoryMiB: 32768, diskGiB: 200 },
  xlarge: { cpus: 16, memoryMiB: 65536, diskGiB: 500 },
};
const SUBNETS = {
  control: { prefix: 24, gateway: '10.1.0.1', portGroup: 'pg-control' },
  compute: { prefix: 16, gateway: '10.2.0.1', portGroup: 'pg-compute' },
  apps: { prefix: 16, gateway: '10.20.0.1', portGroup: 'pg-apps' },
  data: { prefix: 16, gateway: '10.30.0.1', portGroup: 'pg-data' },
};

const ipToInt = (s) => s.split('.').reduce((n, o) => n * 256 + Number(o), 0);
const intToIp = (n) => `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
const pad = (i, w) => String(i).padStart(w, '0');

const masters = vms >= 100 ? 5 : 3;
const databases = Math.max(3, Math.floor(vms / 50));
const appServers = Math.max(1, Math.floor(vms / 10));
const agents = Math.max(3, vms - masters - databases - appServers);
const racks = Math.max(2, Math.ceil(agents / 40));

/** Hosts named `<group>-NN` (at least two digits), addressed firstIp + ordinal - 1. */
function counted(group, count, firstIp) {
  const first = ipToInt(firstIp);
  return Array.from({ length: count }, (_, i) => ({ name: `${group}-${pad(i + 1, 2)}`, ip: intToIp(first + i) }));
}

const GROUPS = [
  { name: 'master', role: 'mesos-master', size: 'medium', subnet: 'control', hosts: counted('master', masters, '10.1.0.11') },
  // One group per rack: agent i (from 0) is in rack i % racks.
  ...Array.from({ length: racks }, (_, r) => ({ name: `agent-r${r}`, role: 'mesos-agent', rack: `rack-${r}`, size: 'xlarge', subnet: 'compute', hosts: [] })),
  { name: 'app', role: 'app-server', size: 'large', subnet: 'apps', hosts: counted('app', appServers, '10.20.0.11') },
  {
    name: 'db', role: 'database', size: 'xlarge', subnet: 'data',
    hosts: Array.from({ length: databases }, (_, i) => ({ name: `db-${pad(i + 1, 4)}`, ip: intToIp(ipToInt('10.30.0.10') + i) })),
  },
];
counted('agent', agents, '10.2.0.11').forEach((h, i) => GROUPS[1 + (i % racks)].hosts.push(h));
// Every list the generators write (resources, host tables) is in host-name order.
const byName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
for (const group of GROUPS) group.hosts.sort(byName);

// ---- user-data: one #cloud-config per group, gzip level 9 + base64, as the generator does -------
const file = (p, perms, lines) => [`  - path: ${p}`, '    owner: root:root', `    permissions: '${perms}'`, '    content: |', ...lines.map((l) => `      ${l}`)];
const install = (pkgs) => `  - "DEBIAN_FRONTEND=noninteractive apt-get install --assume-yes --quiet -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold ${pkgs}"`;
const HOST_VALUE = file('/usr/local/sbin/infra-host-value', '0755', [
  '#!/bin/sh',
  '# Prints this host\'s value from a table of "<host> <address> <value>" lines',
  '# (the first argument), matching the short host name or any local address.',
  '# Exits 1 when this host is not in the table.',
  'set -eu',
  'name="$(hostname -s)"',
  'addresses=" $(hostname -I 2>/dev/null || true) "',
  'exec awk -v name="$name" -v addresses="$addresses" \'',
  '  $1 == name || index(addresses, " " $2 " ") > 0 { print $3; found = 1; exit }',
  '  END { exit !found }',
  '\' "$1"',
]);

function cloudConfig(group) {
  const masterHosts = GROUPS[0].hosts;
  const zk = (suffix) => `zk://${masterHosts.map((h) => `${h.name}.${DOMAIN}:2181`).join(',')}/${suffix}`;
  const head = [
    '#cloud-config',
    '# Generated by `infra render` (cloud-init) from environments/. Do not edit: change the definition and re-render.',
    `# Stemcell ${STEMCELL.name} ${STEMCELL.version} (cloud-init 0.7.5) mutated into role ${group.role} for host group ${group.name}.`,
    'package_update: true',
    'packages:',
    '  # USN-3970-1',
    '  - "openssl=1.0.1f-1ubuntu2.27"',
    'write_files:',
  ];
  let body;
  switch (group.role) {
    case 'mesos-master':
      body = [
        ...HOST_VALUE,
        ...file('/etc/infra/zookeeper/zoo.cfg', '0644', ['tickTime=2000', 'initLimit=10', 'syncLimit=5', 'dataDir=/var/lib/zookeeper', 'clientPort=2181',
          ...masterHosts.map((h, i) => `server.${i + 1}=${h.name}.${DOMAIN}:2888:3888`)]),
        ...file('/etc/infra/zookeeper/myid-by-host', '0644', masterHosts.map((h, i) => `${h.name} ${h.ip} ${i + 1}`)),
        ...file('/etc/mesos/zk', '0644', [zk('mesos')]),
        ...file('/etc/mesos-master/quorum', '0644', [String(Math.floor(masterHosts.length / 2) + 1)]),
        ...file('/etc/mesos-master/work_dir', '0644', ['/var/lib/mesos']),
        ...file('/etc/mesos-master/cluster', '0644', [NAME]),
        ...file('/etc/init/mesos-slave.override', '0644', ['manual']),
        ...file('/etc/default/marathon', '0644', [`MARATHON_MASTER=${zk('mesos')}`, `MARATHON_ZK=${zk('marathon')}`]),
        'runcmd:',
        install('zookeeper=3.4.14 zookeeperd=3.4.14 mesos=1.4.3 marathon=1.6.549'),
        '  - cp /etc/infra/zookeeper/zoo.cfg /etc/zookeeper/conf/zoo.cfg',
        "  - '/usr/local/sbin/infra-host-value /etc/infra/zookeeper/myid-by-host > /etc/zookeeper/conf/myid || exit 1'",
        '  - service zookeeper restart',
        '  - service mesos-master restart',
        '  - service marathon restart',
      ];
      break;
    case 'mesos-agent':
      body = [
        // Every agent of the group is in the group's rack: no per-host table.
        ...file('/etc/mesos-slave/attributes/rack', '0644', [group.rack]),
        ...file('/etc/mesos/zk', '0644', [zk('mesos')]),
        ...file('/etc/mesos-slave/containerizers', '0644', ['docker,mesos']),
        ...file('/etc/mesos-slave/executor_registration_timeout', '0644', ['5mins']),
        ...file('/etc/mesos-slave/work_dir', '0644', ['/var/lib/mesos']),
        ...file('/etc/init/mesos-master.override', '0644', ['manual']),
        ...file('/etc/init/zookeeper.override', '0644', ['manual']),
        'runcmd:',
        install('docker-ce=18.06.3 mesos=1.4.3'),
        '  - service docker restart',
        '  - service mesos-slave restart',
      ];
      break;
    case 'app-server':
      body = [...file('/etc/default/legacy', '0644', ['PORT=8080']), 'runcmd:', install('legacy-app=1.0.0'), '  - "service legacy restart"'];
      break;
    default:
      body = [
        ...file('/etc/postgresql-common/createcluster.conf', '0644', ['create_main_cluster = false']),
        'runcmd:',
        install('postgresql-9.6'),
        '  - "pg_createcluster --datadir=/var/lib/postgresql/9.6/main --port=5432 --start 9.6 main"',
      ];
  }
  return [...head, ...body, ''].join('\n');
}

function encode(text) {
  const raw = Buffer.from(text, 'utf8');
  const gz = Buffer.from(gzipSync(raw, { level: 9, mtime: 0 }));
  return { base64: gz.toString('base64'), sha256: crypto.createHash('sha256').update(raw).digest('hex') };
}

// ---- Terraform JSON ------------------------------------------------------------------------------
const MARKER = 'Generated by `infra render` (terraform) from environments/. Do not edit: change the definition and re-render.';
const DC = 'data.vsphere_datacenter.datacenter';
const TPL = 'data.vsphere_virtual_machine.stemcell';
const dcId = '${' + DC + '.id}';

function mainDocument() {
  const networks = {};
  for (const name of Object.keys(SUBNETS).sort()) networks[name] = { datacenter_id: dcId, name: SUBNETS[name].portGroup };
  const secret = (description) => ({ description, sensitive: true, type: 'string' });
  return {
    '//': MARKER,
    data: {
      vsphere_compute_cluster: { cluster: { datacenter_id: dcId, name: 'cluster-1' } },
      vsphere_datacenter: { datacenter: { name: 'dc1' } },
      vsphere_datastore: { datastore: { datacenter_id: dcId, name: 'ds-1' } },
      vsphere_network: networks,
      vsphere_virtual_machine: { stemcell: { datacenter_id: dcId, name: TEMPLATE_PATH } },
    },
    provider: { vsphere: { allow_unverified_ssl: false, password: '${var.vsphere_password}', user: '${var.vsphere_user}', vsphere_server: 'vcenter.example.net' } },
    terraform: {
      backend: { consul: { address: 'consul.example.net:8500', lock: true, path: `terraform/${NAME}` } },
      required_providers: { vsphere: { source: 'hashicorp/vsphere', version: '2.0.2' } },
      required_version: '>= 1.5.0, < 2.0.0',
    },
    variable: {
      vsphere_password: secret('Password of vsphere_user on vcenter.example.net'),
      vsphere_user: secret('vCenter user for vcenter.example.net'),
    },
  };
}

function groupDocument(group) {
  const userData = encode(cloudConfig(group));
  const size = SIZES[group.size];
  const subnet = SUBNETS[group.subnet];
  const local = `userdata_${group.name}`;
  const annotation = [
    `role: ${group.role}`,
    `group: ${group.name}`,
    `stemcell: ${STEMCELL.name} ${STEMCELL.version}`,
    `user-data: sha256:${userData.sha256}`,
    `managed by Terraform from environments/${NAME}; changes made here are overwritten`,
  ].join('\n');
  const trigger = `stemcell=${STEMCELL.name}/${STEMCELL.version} user-data=sha256:${userData.sha256}`;
  const machines = {};
  for (const host of group.hosts) {
    machines[host.name] = {
      annotation,
      clone: {
        customize: {
          dns_server_list: DNS,
          dns_suffix_list: [DOMAIN],
          ipv4_gateway: subnet.gateway,
          linux_options: { domain: DOMAIN, host_name: host.name },
          network_interface: { ipv4_address: host.ip, ipv4_netmask: subnet.prefix },
        },
        template_uuid: '${' + TPL + '.id}',
      },
      datastore_id: '${data.vsphere_datastore.datastore.id}',
      disk: { label: 'disk0', size: size.diskGiB, thin_provisioned: '${' + TPL + '.disks[0].thin_provisioned}' },
      extra_config: { 'guestinfo.userdata': '${local.' + local + '}', 'guestinfo.userdata.encoding': 'gzip+base64' },
      folder: 'synthetic',
      guest_id: '${' + TPL + '.guest_id}',
      memory: size.memoryMiB,
      name: host.name,
      network_interface: { adapter_type: '${' + TPL + '.network_interface_types[0]}', network_id: '${data.vsphere_network.' + group.subnet + '.id}' },
      num_cpus: size.cpus,
      replace_trigger: trigger,
      resource_pool_id: '${data.vsphere_compute_cluster.cluster.resource_pool_id}',
      scsi_type: '${' + TPL + '.scsi_type}',
    };
  }
  return { '//': MARKER, locals: { [local]: userData.base64 }, resource: { vsphere_virtual_machine: machines } };
}

const dir = path.join(outDir, 'terraform');
fs.mkdirSync(dir, { recursive: true });
const write = (name, doc) => fs.writeFileSync(path.join(dir, name), JSON.stringify(doc, null, 2) + '\n');
write('main.tf.json', mainDocument());
for (const group of [...GROUPS].sort(byName)) write(`vm-${group.name}.tf.json`, groupDocument(group));
