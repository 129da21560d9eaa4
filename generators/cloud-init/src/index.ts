import type { Environment, HostGroup } from '@infra/model';

// PLACEHOLDER until the cloud-init generator lands: the interface the terraform generator uses.
/** The #cloud-config user-data that mutates the stemcell into this group's role. */
export function renderUserData(env: Environment, group: HostGroup): string {
  return `#cloud-config\n# ${env.name} ${group.name}\n`;
}
