/** How cloud-init on the stemcell receives its user-data. */
export type UserDataTransport =
  /** VMware guestinfo (`guestinfo.userdata`), needs a datasource cloud-init 0.7.5 lacks unless baked in. */
  | 'vmware-guestinfo'
  /** EC2 instance metadata (`user_data`), built into every cloud-init. */
  | 'ec2-metadata';

/**
 * How a host group stays patched (BOSH's ideal and its practical alternative):
 * - `replace`: a new stemcell or patch replaces the VMs, which come back from the new image and
 *   user-data (stateless roles);
 * - `patch-in-place`: the VMs are kept; Terraform ignores stemcell and user-data changes, and
 *   the rendered patch plan (rendered/<env>/patches/) installs the pinned packages host by host.
 */
export type PatchMethod = 'replace' | 'patch-in-place';

/** A Debian package pinned to the exact version its repository publishes. */
export interface PinnedPackage {
  /**
   * Debian package name (policy §5.6.1: lowercase letters, digits, `+ - .`, starting alphanumeric).
   * @pattern ^[a-z0-9][a-z0-9+.-]+$
   */
  name: string;
  /**
   * Full Debian version (`[epoch:]upstream[-revision]`), e.g. `1:6.6p1-2ubuntu2.13` or
   * `18.06.3~ce~3-0~ubuntu`: what `apt-get install name=version` must match exactly.
   * @pattern ^([0-9]+:)?[0-9][A-Za-z0-9.+~]*(-[A-Za-z0-9.+~]+)?$
   */
  version: string;
}

export interface SecurityPatch {
  /**
   * Ubuntu security notice, e.g. "USN-3041-1".
   * @pattern ^USN-[0-9]+-[0-9]+$
   */
  id: string;
  /** Packages pinned to their fixed versions. */
  packages: PinnedPackage[];
  /**
   * The patch takes effect only after a reboot (a kernel, or libc). A patch with a
   * `linux-image-*` package must say so (validation refuses it otherwise).
   */
  reboot?: boolean;
}

/** The images one stemcell version was built into. */
export interface StemcellImages {
  /** vSphere template the VMs are cloned from. */
  vsphere?: { template: string };
  /** AMI per AWS region. */
  aws?: Record<string, string>;
}

/**
 * An apt repository the rendered packages come from (cloud-init 0.7.5 `apt_sources`). The
 * Ubuntu archive itself is configured in the image and needs no entry.
 */
export interface AptSource {
  /**
   * Name of the list file under /etc/apt/sources.list.d/ (without `.list`).
   * @pattern ^[a-z0-9][a-z0-9-]*$
   */
  name: string;
  /**
   * The one-line `deb` entry, e.g. `deb [arch=amd64] https://download.docker.com/linux/ubuntu trusty stable`.
   * @pattern ^deb (\[[a-z0-9=,_-]+\] )?https?://[A-Za-z0-9.:/_~+-]+( [A-Za-z0-9._/-]+)+$
   */
  source: string;
  /**
   * Fingerprint of the key that signs it (fetched by cloud-init from the keyserver).
   * @pattern ^[0-9A-F]{16,40}$
   */
  keyid: string;
  /** Packages taken from this source, by name: documents where each pin comes from. */
  packages: string[];
}

/** The one hardened image every VM is cloned from, before cloud-init mutates it into a role. */
export interface Stemcell {
  /** @pattern ^[a-z0-9][a-z0-9-]*$ */
  name: string;
  /**
   * The version every VM is cloned from: its images are `images[version]`, so a version
   * without an image for the site is refused and no VM is labelled with a version it is not.
   * @pattern ^[0-9]+(\.[0-9]+)*$
   */
  version: string;
  os: 'ubuntu-14.04';
  /** cloud-init shipped in the image: decides which modules and keys user-data may use. */
  cloudInit: '0.7.5';
  /** Transports the image's cloud-init can read user-data from. */
  transports: UserDataTransport[];
  /** The images of every built version, by version. */
  images: Record<string, StemcellImages>;
  /** Applied uniformly to every server: at first boot, and by the patch plan to hosts patched in place. */
  patches: SecurityPatch[];
  /**
   * Third-party apt repositories that the role packages come from. When declared, every role
   * package must come from one of them (validation). Absent means the image itself is built with
   * every repository the roles need configured (say so where the stemcell is defined).
   */
  aptSources?: AptSource[];
}
