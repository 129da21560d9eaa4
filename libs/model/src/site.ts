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
  state: StateBackend;
}

/** @discriminator kind */
export type Site = VsphereSite | AwsSite;
export type SiteKind = Site['kind'];
