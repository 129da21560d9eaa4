import type { Stemcell } from '@infra/model';

/**
 * The hardened Ubuntu 14.04 image every VM starts from. Its cloud-init (0.7.5) has no VMware
 * guestinfo datasource of its own; this build bakes one in, hence the `vmware-guestinfo` transport.
 */
export const stemcell: Stemcell = {
  name: 'ubuntu-trusty-hardened',
  version: '3468.21',
  os: 'ubuntu-14.04',
  cloudInit: '0.7.5',
  transports: ['vmware-guestinfo', 'ec2-metadata'],
  // Every built version with its images: VMs are cloned from images[version], so bumping the
  // version without building (and listing) its images is refused.
  images: {
    '3468.21': {
      vsphere: { template: 'templates/ubuntu-trusty-hardened-3468.21' },
      aws: { 'us-east-2': 'ami-0a3f2c7d9e41b6a85' },
    },
  },
  patches: [
    { id: 'USN-3970-1', packages: [{ name: 'openssl', version: '1.0.1f-1ubuntu2.27' }, { name: 'libssl1.0.0', version: '1.0.1f-1ubuntu2.27' }] },
    { id: 'USN-4013-1', packages: [{ name: 'linux-image-generic', version: '3.13.0.170.181' }], reboot: true },
    { id: 'USN-3880-2', packages: [{ name: 'openssh-server', version: '1:6.6p1-2ubuntu2.13' }] },
  ],
};
