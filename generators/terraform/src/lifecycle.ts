// What the terraform kind says about a VM's data and its lifecycle, shared by both sites: the
// `data` mark that dataHolding reads back from the rendered resource, and the attributes a VM
// patched in place ignores.
import { dataDiskOf, type HostGroup, type Role } from '@infra/model';

/**
 * The `data` mark of a group's VMs (DESIGN §3): `own-disk` when its data lives on a kept disk of
 * its own, `on-vm` for a stateful role without one (refused by validation, but rendered honestly),
 * `none` for stateless roles.
 */
export function dataMark(group: HostGroup): 'own-disk' | 'on-vm' | 'none' {
  if (dataDiskOf(group)) return 'own-disk';
  return DATA_WITHOUT_DISK[group.role];
}

/**
 * Where each role's data is when it has no disk of its own: a new role must say whether it holds
 * data, since the data-holding predicate (data-holding.ts) refuses to destroy a VM marked `on-vm`.
 */
const DATA_WITHOUT_DISK: { readonly [R in Role]: 'on-vm' | 'none' } = {
  'mesos-master': 'none',
  'mesos-agent': 'none',
  'app-server': 'none',
  database: 'on-vm',
};

/**
 * Attributes that change with the stemcell or the user-data, ignored on a VM patched in place so
 * that neither replaces it. Its address, size and disks are not ignored: a new address still
 * recreates the VM (its data disk stays and is re-attached). Hardware read from the template
 * (guest id, SCSI type, network adapter, thin provisioning) is what the VM was cloned with, kept too.
 */
export function ignoredOnPatchInPlace(type: 'vsphere_virtual_machine' | 'aws_instance'): string[] {
  return type === 'vsphere_virtual_machine'
    ? ['clone[0].template_uuid', 'disk[0].thin_provisioned', 'extra_config', 'guest_id', 'network_interface[0].adapter_type', 'replace_trigger', 'scsi_type']
    : ['ami', 'user_data_base64', 'user_data_replace_on_change'];
}
