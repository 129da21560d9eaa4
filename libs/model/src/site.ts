/** Where Terraform keeps state: always a remote backend that locks. */
/** @discriminator kind */
export type StateBackend = S3Backend | ConsulBackend;

export interface S3Backend {
  kind: 's3';
  bucket: string;
  /** Object key of this environment's state. */
  key: string;
  region: string;
  /** DynamoDB table used for state locking. */
  lockTable: string;
}

export interface ConsulBackend {
  kind: 'consul';
  /** host:port of the Consul cluster. */
  address: string;
  /** KV path of the state; Consul locks it with a session. */
  path: string;
}

export interface VsphereSite {
  kind: 'vsphere';
  /** vCenter server host name. */
  vcenter: string;
  datacenter: string;
  cluster: string;
  datastore: string;
  /** Folder the VMs are placed in. */
  folder: string;
  /**
   * The physical racks of the compute cluster: rack name → its ESXi hosts (as vCenter names
   * them). Each rack becomes a DRS host group; the VMs of a rack are pinned to it by a VM-host
   * rule, so a rack named in a definition is a failure domain VMs actually follow. Every rack a
   * host group names must be here, and no ESXi host may be in two racks.
   */
  racks?: Record<string, string[]>;
  state: StateBackend;
}

export interface AwsSite {
  kind: 'aws';
  /** @pattern ^[a-z]{2}(-[a-z]+)+-\d$ */
  region: string;
  /**
   * Availability zones; subnets name which one they are in.
   * @minItems 2
   */
  zones: string[];
  /** CIDR of the VPC that holds every subnet. */
  vpcCidr: string;
  /** EC2 instance type for each size name of the environment. */
  instanceTypes: Record<string, string>;
  /**
   * The failure domain of each rack: rack name → availability zone. A racked host lives in a
   * subnet of its rack's zone; two racks may not share a zone (they would fail together).
   */
  racks?: Record<string, string>;
  state: StateBackend;
}

/** @discriminator kind */
export type Site = VsphereSite | AwsSite;
export type SiteKind = Site['kind'];
