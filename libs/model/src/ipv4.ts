// Small IPv4 arithmetic, enough for subnets and address allocation. Addresses are unsigned
// 32-bit numbers; invalid text yields undefined so validation can report it with its location.

export function parseIp(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
}

export function formatIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
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
