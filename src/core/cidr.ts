/**
 * IPv4 CIDR arithmetic, just enough to compare a security group's allowed ranges with the callers'
 * ranges. IPv6 is out of scope here: endpoint callers in the catalogue's cases are IPv4.
 */
export interface Ipv4Range {
  /** First address as an unsigned 32-bit integer. */
  start: number;
  /** Last address, inclusive. */
  end: number;
}

export function parseIpv4(address: string): number | undefined {
  const parts = address.trim().split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

/** Parses `a.b.c.d/n` (or a bare address, taken as /32). Returns undefined for anything else. */
export function parseCidr(cidr: string): Ipv4Range | undefined {
  const [address, bitsText] = cidr.trim().split('/');
  if (address === undefined) return undefined;
  const base = parseIpv4(address);
  const bits = bitsText === undefined ? 32 : /^\d{1,2}$/.test(bitsText) ? Number(bitsText) : NaN;
  if (base === undefined || !(bits >= 0 && bits <= 32)) return undefined;
  // 2 ** n rather than bit shifts: JavaScript shifts are 32-bit signed and break at /0.
  const size = 2 ** (32 - bits);
  const start = Math.floor(base / size) * size;
  return { start, end: start + size - 1 };
}

/** True when `outer` contains every address of `inner`. */
export function cidrContains(outer: string, inner: string): boolean {
  const a = parseCidr(outer);
  const b = parseCidr(inner);
  return !!a && !!b && a.start <= b.start && b.end <= a.end;
}

/** True when the two ranges share at least one address. */
export function cidrOverlaps(left: string, right: string): boolean {
  const a = parseCidr(left);
  const b = parseCidr(right);
  return !!a && !!b && a.start <= b.end && b.start <= a.end;
}

/** RFC 1918 private ranges: `aws:SourceIp` never sees these on a private API. */
export function isPrivateCidr(cidr: string): boolean {
  return ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].some((range) => cidrContains(range, cidr));
}
