// The cloud-init kind's output as the registry passes it to the inventory, stubbed: the inventory
// shows the hashes it is given and renders no user-data itself (DESIGN §2: no kind imports another).
import { createHash } from 'node:crypto';
import type { CloudInitOutput, RenderContext } from '@infra/render';

export const cloudInitStub: CloudInitOutput = {
  // Like the real one, it changes with the stemcell (its version is written into every VM).
  userData: (env, group) => `#cloud-config\n# stub user-data: ${env.name} ${group.name} on stemcell ${env.stemcell.version}\n`,
  userDataHash: (env, group) => createHash('sha256').update(cloudInitStub.userData(env, group)).digest('hex'),
  hadoopUserData: (env, cluster) => `#cloud-config\n# stub user-data: ${env.name} hadoop ${cluster.name}\n`,
};

export const ctx: RenderContext<'cloud-init'> = { environment: () => undefined, needs: { 'cloud-init': cloudInitStub } };
