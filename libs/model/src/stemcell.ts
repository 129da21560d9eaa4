/** How cloud-init on the stemcell receives its user-data. */
export type UserDataTransport =
  /** VMware guestinfo (`guestinfo.userdata`), needs a datasource cloud-init 0.7.5 lacks unless baked in. */
  | 'vmware-guestinfo'
  /** EC2 instance metadata (`user_data`), built into every cloud-init. */
  | 'ec2-metadata';

export interface SecurityPatch {
  /** Ubuntu security notice, e.g. "USN-3041-1". */
  id: string;
  /** Packages pinned to their fixed versions. */
  packages: { name: string; version: string }[];
}

/** The one hardened image every VM is cloned from, before cloud-init mutates it into a role. */
export interface Stemcell {
  /** @pattern ^[a-z0-9][a-z0-9-]*$ */
  name: string;
  /** @pattern ^[0-9]+(\.[0-9]+)*$ */
  version: string;
  os: 'ubuntu-14.04';
  /** cloud-init shipped in the image: decides which modules and keys user-data may use. */
  cloudInit: '0.7.5';
  /** Transports the image's cloud-init can read user-data from. */
  transports: UserDataTransport[];
  images: {
    /** vSphere template the VMs are cloned from. */
    vsphere?: { template: string };
    /** AMI per AWS region. */
    aws?: Record<string, string>;
  };
  /** Applied uniformly to every server at first boot, before its role. */
  patches: SecurityPatch[];
}
