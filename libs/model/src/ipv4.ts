// Small IPv4 arithmetic, enough for subnets and address allocation. Addresses are unsigned
// 32-bit numbers; invalid text yields undefined so validation can report it with its location.

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

// Called for every host by validation and the kinds: no intermediate arrays.
export function parseIp(text: string): number | undefined {
  const m = IPV4.exec(text);
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = Number(m[2]);
  const c = Number(m[3]);
  const d = Number(m[4]);
  if (a > 255 || b > 255 || c > 255 || d > 255) return undefined;
  return a * 0x1000000 + (b << 16) + (c << 8) + d;
}

export function formatIp(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export interface Cidr {
  base: number;
  prefix: number;
  size: number;
}

export function parseCidr(text: string): Cidr | undefined {
  const [ip, bits, extra] = text.split('/');
  const base = parseIp(ip);
  const prefix = Number(bits);
  if (base === undefined || extra !== undefined || !/^\d{1,2}$/.test(bits ?? '') || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) return undefined; // host bits set: "10.0.0.5/24" is a typo, not a subnet
  return { base, prefix, size };
}

export function inCidr(ip: number, cidr: Cidr): boolean {
  return ip >= cidr.base && ip < cidr.base + cidr.size;
}

/** Prefix length of a CIDR, e.g. 24 for "10.20.1.0/24". */
export function prefixOf(cidr: string): number {
  return Number(cidr.split('/')[1]);
}
