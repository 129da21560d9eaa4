// The vSphere root: main.tf.json (terraform, provider, credentials, data sources) and one
// vm-<group>.tf.json per host group, each VM a clone of the stemcell template addressed by its
// hostname. Adding a host adds one resource to its group's file and changes nothing else.
import {
  compare, dataDiskOf, groupHosts, hostRack, patchLevel, patchMethodOf, prefixOf, sortedBy, stemcellImages,
  type DataDisk, type Environment, type Host, type HostGroup, type Role, type Subnet, type VsphereSite,
} from '@infra/model';
import { dataMark, ignoredOnPatchInPlace } from './lifecycle';
import { terraformBlock, VSPHERE_PROVIDER } from './backend';
import { FileMap, stableJson } from '@infra/render';
import { isIdentifier, literal, ref, tfFile, type TfDocument } from './tf-json';
import { perHostText, spliceValue, type PerHostText } from './per-host-text';
import { groupUserData, type EncodedUserData, type UserDataSource } from './user-data';

const DC = 'data.vsphere_datacenter.datacenter';

/**
 * Roles whose VMs DRS must keep on distinct ESXi hosts: the masters, ZooKeeper members whose
 * quorum one host failure must not take. A new role says whether it is one.
 */
const KEPT_APART: { readonly [R in Role]: boolean } = {
  'mesos-master': true,
  'mesos-agent': false,
  'app-server': false,
  database: false,
};
const TEMPLATE = 'data.vsphere_virtual_machine.stemcell';

export function vsphereFiles(env: Environment, site: VsphereSite, userDataOf: UserDataSource): FileMap {
  const userData = groupUserData(env, userDataOf);
  const groups = sortedBy(env.hostGroups, (g) => g.name);
  const files = new FileMap([['terraform/main.tf.json', tfFile(mainDocument(env, site, groups))]]);
  if (site.racks && Object.keys(site.racks).length > 0) files.set('terraform/racks.tf.json', tfFile(racksDocument(env, site)));
  for (const group of groups) {
    files.set(`terraform/vm-${group.name}.tf.json`, groupFile(env, site, group, userData.get(group.name)!));
  }
  return files;
}

function mainDocument(env: Environment, site: VsphereSite, groups: HostGroup[]): Record<string, unknown> {
  // Only the port groups that VMs attach to are looked up: a data source for an unused one
  // would only be one more thing that can fail at plan time.
  const used = new Set(groups.map((g) => g.subnet));
  const networks: Record<string, unknown> = {};
  for (const subnet of env.network.subnets) {
    if (used.has(subnet.name)) networks[subnet.name] = { name: literal(subnet.portGroup!), datacenter_id: ref(`${DC}.id`) };
  }
  const secret = (description: string) => ({ type: 'string', sensitive: true, description });
  return {
    terraform: terraformBlock(site.state, VSPHERE_PROVIDER),
    // Credentials are variables without a default: plan fails fast when they are not supplied
    // (TF_VAR_vsphere_user / TF_VAR_vsphere_password), and no value ever reaches rendered/.
    variable: {
      vsphere_user: secret(`vCenter user for ${site.vcenter}`),
      vsphere_password: secret(`Password of vsphere_user on ${site.vcenter}`),
    },
    provider: {
      vsphere: { user: ref('var.vsphere_user'), password: ref('var.vsphere_password'), vsphere_server: literal(site.vcenter), allow_unverified_ssl: false },
    },
    data: {
      vsphere_datacenter: { datacenter: { name: literal(site.datacenter) } },
      vsphere_datastore: { datastore: { name: literal(site.datastore), datacenter_id: ref(`${DC}.id`) } },
      vsphere_compute_cluster: { cluster: { name: literal(site.cluster), datacenter_id: ref(`${DC}.id`) } },
      vsphere_network: networks,
      vsphere_virtual_machine: { stemcell: { name: literal(stemcellImages(env.stemcell)!.vsphere!.template), datacenter_id: ref(`${DC}.id`) } },
    },
  };
}

const CLUSTER_ID = ref('data.vsphere_compute_cluster.cluster.id');

/** A Terraform label from a name that may hold dots or slashes (ESXi host names, rack paths). */
export function label(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_-]/g, '_');
  return /^[A-Za-z_]/.test(safe) ? safe : `_${safe}`;
}

/**
 * The racks as DRS sees them: each rack a host group of its ESXi hosts. VM groups and the rules
 * that pin them to these live in the files of the host groups they hold.
 */
function racksDocument(env: Environment, site: VsphereSite): Record<string, unknown> {
  const hosts: Record<string, unknown> = {};
  const hostGroups: Record<string, unknown> = {};
  for (const rack of Object.keys(site.racks!).sort(compare)) {
    const esx = [...site.racks![rack]].sort(compare);
    for (const name of esx) hosts[label(name)] = { name: literal(name), datacenter_id: ref(`${DC}.id`) };
    hostGroups[label(rack)] = {
      name: literal(`${env.name}-${rack}`),
      compute_cluster_id: CLUSTER_ID,
      host_system_ids: esx.map((name) => ref(`data.vsphere_host.${label(name)}.id`)),
    };
  }
  return { data: { vsphere_host: hosts }, resource: { vsphere_compute_cluster_host_group: hostGroups } };
}

/**
 * Placement of a group's VMs: per rack, a VM group pinned to the rack's host group by a
 * mandatory VM-host rule (a VM restarted by HA stays in its rack, so its Mesos `rack` attribute
 * stays true); the masters (ZooKeeper members) also kept on distinct ESXi hosts.
 */
function placement(env: Environment, site: VsphereSite, group: HostGroup, hosts: Host[]): Record<string, Record<string, unknown>> {
  // Keys in stableJson's order (see virtualMachine).
  const out: Record<string, Record<string, unknown>> = {};
  if (!site.racks) return out;
  if (KEPT_APART[group.role] && hosts.length > 1) {
    out.vsphere_compute_cluster_vm_anti_affinity_rule = {
      [group.name]: {
        compute_cluster_id: CLUSTER_ID,
        mandatory: true,
        name: literal(`${env.name}-${group.name}-apart`),
        virtual_machine_ids: hosts.map((h) => ref(`vsphere_virtual_machine.${h.name}.id`)),
      },
    };
  }
  const byRack = new Map<string, string[]>();
  for (const h of hosts) {
    const rack = hostRack(group, h.name);
    if (rack === undefined) continue;
    const list = byRack.get(rack);
    if (list) list.push(h.name);
    else byRack.set(rack, [h.name]);
  }
  const vmGroups: Record<string, unknown> = {};
  const rules: Record<string, unknown> = {};
  for (const rack of [...byRack.keys()].sort(compare)) {
    const name = label(`${group.name}-${rack}`);
    vmGroups[name] = {
      compute_cluster_id: CLUSTER_ID,
      name: literal(`${env.name}-${group.name}-${rack}`),
      virtual_machine_ids: byRack.get(rack)!.sort(compare).map((vm) => ref(`vsphere_virtual_machine.${vm}.id`)),
    };
    rules[name] = {
      affinity_host_group_name: ref(`vsphere_compute_cluster_host_group.${label(rack)}.name`),
      compute_cluster_id: CLUSTER_ID,
      mandatory: true,
      name: literal(`${env.name}-${group.name}-on-${rack}`),
      vm_group_name: ref(`vsphere_compute_cluster_vm_group.${name}.name`),
    };
  }
  if (byRack.size > 0) {
    out.vsphere_compute_cluster_vm_group = vmGroups;
    out.vsphere_compute_cluster_vm_host_rule = rules;
  }
  return out;
}

/** The local holding a group's user-data: written once per group, not once per VM. */
export function userDataLocal(group: HostGroup): string {
  return `userdata_${group.name}`;
}

/** What a group's file is made of: its hosts, how each host's resources are built, the document around them. */
export function groupParts(env: Environment, site: VsphereSite, group: HostGroup, userData: EncodedUserData) {
  const subnet = env.network.subnets.find((s) => s.name === group.subnet)!;
  const data = dataDiskOf(group);
  const hosts = groupHosts(group).sort((a, b) => compare(a.name, b.name));
  const shared = groupShared(env, site, group, subnet, userData);
  return {
    hosts,
    vm: (host: Host) => virtualMachine(shared, host, data),
    disk: data && ((host: Host) => dataDisk(env, site, host, data)),
    document: (machines: unknown, disks: unknown): TfDocument => ({
      locals: { [userDataLocal(group)]: userData.base64 },
      // In key order (placement's vsphere_compute_cluster_* first), as stableJson writes them.
      resource: { ...placement(env, site, group, hosts), ...(data ? { vsphere_virtual_disk: disks } : {}), vsphere_virtual_machine: machines },
    }),
  };
}

/** A group's document as objects, one per VM and data disk: what `groupFile` writes as text (its tests compare the two). */
export function groupDocument(env: Environment, site: VsphereSite, group: HostGroup, userData: EncodedUserData): TfDocument {
  const { hosts, vm, disk, document } = groupParts(env, site, group, userData);
  const machines: Record<string, unknown> = {};
  const disks: Record<string, unknown> = {};
  for (const host of hosts) {
    machines[host.name] = vm(host);
    if (disk) disks[host.name] = disk(host);
  }
  return document(machines, disks);
}

/**
 * A group's file. Its VMs and data disks (nearly all of the bytes at 5,000 VMs) are written as
 * text by `perHostText`: not built as objects, walked for key order and serialised one by one
 * (at 5,000 VMs that was ~47 ms of render's CPU, much of it garbage collection). The text is the
 * bytes `tfFile(groupDocument(…))` writes; the rest of the file still goes through `tfFile`, with a
 * stand-in where each map of them goes.
 */
export function groupFile(env: Environment, site: VsphereSite, group: HostGroup, userData: EncodedUserData): string {
  const { hosts, vm, disk, document } = groupParts(env, site, group, userData);
  // Both maps sit at depth 2 of the file (file → resource → type → hostname).
  const vmText = perHostText(vm, 3);
  const diskText = disk && perHostText(disk, 3);
  if (vmText && (!disk || diskText)) {
    const text = spliceValue(tfFile(document(MACHINES, DISKS)), [
      ...(diskText ? [[DISKS, hostsText(diskText, disk!, hosts)] as const] : []),
      [MACHINES, hostsText(vmText, vm, hosts)],
    ]);
    if (text !== undefined) return text;
  }
  // Only when a group's own values hold a stand-in's text: the objects.
  return tfFile(groupDocument(env, site, group, userData));
}

// Where the maps of VMs and disks go in a group's file, replaced by their text.
const MACHINES = 'infra-stand-in-vsphere-virtual-machines-5b2e';
const DISKS = 'infra-stand-in-vsphere-virtual-disks-5b2e';

/**
 * The map hostname → resource at depth 2, as stableJson writes it: keys in code-unit order (the
 * hosts come sorted so), two-space indent. A host whose name is not an identifier (validation
 * refuses those, but render does not rely on it) or has no address is serialised as an object.
 */
function hostsText(text: PerHostText, build: (host: Host) => unknown, hosts: readonly Host[]): string {
  if (hosts.length === 0) return '{}';
  const pad = '      ';
  let out = '{\n';
  for (let i = 0; i < hosts.length; i++) {
    const host = hosts[i];
    const own = isIdentifier(host.name) && typeof host.ip === 'string';
    const value = own ? text.of(host.name, host.ip!) : tfValue(build(host), pad);
    out += `${i === 0 ? '' : ',\n'}${pad}${JSON.stringify(host.name)}: ${value}`;
  }
  return `${out}\n    }`;
}

/** `value` as stableJson writes it, nested at the indent `pad`. */
function tfValue(value: unknown, pad: string): string {
  return stableJson(value).slice(0, -1).replaceAll('\n', `\n${pad}`);
}

/** Where a host's data disk lives in the datastore: by hostname, so it never moves. */
export function dataDiskPath(site: VsphereSite, host: Host): string {
  return `${site.folder}/data/${host.name}-data.vmdk`;
}

/**
 * The data disk of a stateful host: a VMDK of its own that Terraform never destroys. The VM
 * attaches it (`attach = true`, which implies keep_on_remove), so replacing the VM (new address,
 * new stemcell) detaches it and the replacement re-attaches it. Growing `size` extends the disk in
 * place; vmdk_path and datastore derive from stable names only.
 */
function dataDisk(env: Environment, site: VsphereSite, host: Host, data: DataDisk): Record<string, unknown> {
  return {
    create_directories: true,
    datacenter: literal(site.datacenter),
    datastore: literal(site.datastore),
    lifecycle: { prevent_destroy: true },
    size: data.sizeGiB,
    // Databases write synchronously: zeroed up front, no first-write penalty.
    type: 'eagerZeroedThick',
    vmdk_path: literal(dataDiskPath(site, host)),
  };
}

/**
 * What every VM of a group has alike (its annotation and trigger name the group, not the host):
 * built once per group, the strings and objects shared by its VMs, so 5,000 VMs do not escape,
 * join and allocate the same values 5,000 times.
 */
interface GroupShared {
  annotation: string;
  folder: string;
  domain: string;
  dnsSuffixes: string[];
  dnsServers: string[];
  gateway: string;
  netmask: number;
  root: Record<string, unknown>;
  extraConfig: Record<string, string>;
  lifecycle: Record<string, unknown> | undefined;
  memory: number;
  networkInterface: Record<string, string>;
  cpus: number;
  replaceTrigger: string;
}

function groupShared(env: Environment, site: VsphereSite, group: HostGroup, subnet: Subnet, userData: EncodedUserData): GroupShared {
  const size = env.sizes[group.size];
  const { stemcell, network } = env;
  const domain = literal(network.domain);
  return {
    annotation: literal(annotation(env, group, userData)),
    folder: literal(site.folder),
    domain,
    dnsSuffixes: [domain],
    dnsServers: network.dnsServers,
    gateway: subnet.gateway,
    netmask: prefixOf(subnet.cidr),
    root: { label: 'disk0', size: size.diskGiB, thin_provisioned: ref(`${TEMPLATE}.disks[0].thin_provisioned`) },
    // The stemcell's baked-in guestinfo datasource reads these two keys.
    extraConfig: {
      'guestinfo.userdata': ref(`local.${userDataLocal(group)}`),
      'guestinfo.userdata.encoding': 'gzip+base64',
    },
    lifecycle: patchMethodOf(group) === 'patch-in-place' ? { ignore_changes: ignoredOnPatchInPlace('vsphere_virtual_machine') } : undefined,
    memory: size.memoryMiB,
    networkInterface: { adapter_type: ref(`${TEMPLATE}.network_interface_types[0]`), network_id: ref(`data.vsphere_network.${subnet.name}.id`) },
    cpus: size.cpus,
    // replace: cloud-init runs once per VM, so a new mutation or stemcell only takes effect on a
    // new VM: any change of either replaces the VM instead of editing guestinfo nobody reads again.
    // patch-in-place: the VM is kept through both (the patch plan brings its packages up to
    // level); only what must recreate it (its address, its size of root disk) still does.
    // Every VM carries its trigger; one patched in place ignores it. (Removing the attribute from
    // a VM that has it would itself force a replacement: it is ForceNew, and null is a change.)
    replaceTrigger: literal(`stemcell=${stemcell.name}/${stemcell.version} user-data=sha256:${userData.sha256}`),
  };
}

// References every VM makes alike.
const DATASTORE_ID = ref('data.vsphere_datastore.datastore.id');
const TEMPLATE_UUID = ref(`${TEMPLATE}.id`);
const GUEST_ID = ref(`${TEMPLATE}.guest_id`);
const SCSI_TYPE = ref(`${TEMPLATE}.scsi_type`);
const RESOURCE_POOL_ID = ref('data.vsphere_compute_cluster.cluster.resource_pool_id');

function virtualMachine(shared: GroupShared, host: Host, data: DataDisk | undefined): Record<string, unknown> {
  // Keys are written in stableJson's order (sorted by code unit), here and in every object below:
  // stableJson then has nothing to copy, for 5,000 VMs (it sorts whatever is out of order anyway).
  // The data disk on SCSI unit 1 (the guest's /dev/sdb), attached, never created by the VM.
  const attached = data && {
    attach: true,
    datastore_id: DATASTORE_ID,
    label: 'data',
    path: ref(`vsphere_virtual_disk.${host.name}.vmdk_path`),
    unit_number: 1,
  };
  const name = literal(host.name);
  return {
    annotation: shared.annotation,
    clone: {
      customize: {
        dns_server_list: shared.dnsServers,
        dns_suffix_list: shared.dnsSuffixes,
        ipv4_gateway: shared.gateway,
        linux_options: { domain: shared.domain, host_name: name },
        network_interface: { ipv4_address: host.ip!, ipv4_netmask: shared.netmask },
      },
      template_uuid: TEMPLATE_UUID,
    },
    datastore_id: DATASTORE_ID,
    disk: attached ? [shared.root, attached] : shared.root,
    extra_config: shared.extraConfig,
    folder: shared.folder,
    // Hardware follows the template so the clone boots the way the stemcell was built.
    guest_id: GUEST_ID,
    ...(shared.lifecycle ? { lifecycle: shared.lifecycle } : {}),
    memory: shared.memory,
    name,
    network_interface: shared.networkInterface,
    num_cpus: shared.cpus,
    replace_trigger: shared.replaceTrigger,
    resource_pool_id: RESOURCE_POOL_ID,
    scsi_type: SCSI_TYPE,
  };
}

/** The marks every VM of the group carries (dataHolding reads them): the same for all its VMs. */
function annotation(env: Environment, group: HostGroup, userData: EncodedUserData): string {
  return [
    `role: ${group.role}`,
    `group: ${group.name}`,
    `data: ${dataMark(group)}`,
    `patching: ${patchMethodOf(group)}`,
    `patch-level: ${patchLevel(env.stemcell)}`,
    `stemcell: ${env.stemcell.name} ${env.stemcell.version}`,
    `user-data: sha256:${userData.sha256}`,
    `managed by Terraform from environments/${env.name}; changes made here are overwritten`,
  ].join('\n');
}
