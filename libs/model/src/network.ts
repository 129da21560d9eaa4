export interface Subnet {
  /** Stable name referenced by host groups, e.g. "servers". */
  name: string;
  /** IPv4 CIDR, e.g. "10.20.1.0/24". */
  cidr: string;
  /** Gateway address; it must lie inside the subnet and no host may use it. */
  gateway: string;
  /** AWS availability zone of this subnet (AWS sites only). */
  zone?: string;
  /** Port group on vSphere that this subnet is attached to (vSphere sites only). */
  portGroup?: string;
}

export interface Network {
  /** DNS domain of every host, e.g. "lenexa.example.net". */
  domain: string;
  /** @minItems 1 */
  dnsServers: string[];
  /** @minItems 1 */
  subnets: Subnet[];
}
