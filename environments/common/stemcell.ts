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
  // Where the role packages come from; the Ubuntu archive (trusty, trusty-updates,
  // trusty-security) is configured in the image itself.
  aptSources: [
    {
      name: 'docker', source: 'deb [arch=amd64] https://download.docker.com/linux/ubuntu trusty stable',
      keyid: '9DC858229FC7DD38854AE2D88D81803C0EBFCD88', packages: ['docker-ce'],
    },
    {
      name: 'mesosphere', source: 'deb http://repos.mesosphere.com/ubuntu trusty main',
      keyid: '81026D0004C44CF7EF55ADF8DF7D54CBE56151BF', packages: ['marathon', 'mesos'],
    },
    {
      name: 'pgdg', source: 'deb http://apt.postgresql.org/pub/repos/apt trusty-pgdg main',
      keyid: 'B97B0AFCAA1A47F044F244A07FCC7D46ACCC4CF8', packages: ['postgresql-9.6'],
    },
    {
      name: 'mysql', source: 'deb http://repo.mysql.com/apt/ubuntu trusty mysql-5.7',
      keyid: 'A4A9406876FCBD3C456770C88C718D3B5072E1F5', packages: ['mysql-server-5.7'],
    },
  ],
  patches: [
    { id: 'USN-3970-1', packages: [{ name: 'openssl', version: '1.0.1f-1ubuntu2.27' }, { name: 'libssl1.0.0', version: '1.0.1f-1ubuntu2.27' }] },
    { id: 'USN-4013-1', packages: [{ name: 'linux-image-generic', version: '3.13.0.170.181' }], reboot: true },
    { id: 'USN-3880-2', packages: [{ name: 'openssh-server', version: '1:6.6p1-2ubuntu2.13' }] },
  ],
};
