/**
 * IPv4/IPv6 addresses and prefixes for CIDR rules (docs/cilium-semantics.md, "CIDR and FQDN peers" and "Validation"), parsed as
 * Go's net/netip does: no leading zeros in IPv4 fields or in the prefix length, IPv4-embedded
 * IPv6 accepted, zones rejected; 1.20 requires prefix notation.
 */

export interface IpAddress {
  readonly family: 4 | 6;
  readonly value: bigint;
}

export interface Prefix {
  readonly family: 4 | 6;
  /** Network address (host bits cleared). */
  readonly value: bigint;
  readonly length: number;
  readonly text: string;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9A-Fa-f:.]+$/.test(text)) return undefined;
  let head = text;
  let tailV4: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    tailV4 = parseIpv4(text.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const groups = s.split(':');
    const out: number[] = [];
    for (const g of groups) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = parseGroups(halves[0]);
  const right = halves.length === 2 ? parseGroups(halves[1]) : [];
  if (!left || !right) return undefined;
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...left, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...right];
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(g);
  if (tailV4 !== undefined) v = (v & ~0xffffffffn) | tailV4;
  return v;
}

export function parseIp(text: unknown): IpAddress | undefined {
  if (typeof text !== 'string') return undefined;
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  if (!text.includes(':')) return undefined;
  const v6 = parseIpv6(text);
  return v6 === undefined ? undefined : { family: 6, value: v6 };
}

function bits(family: 4 | 6): number {
  return family === 4 ? 32 : 128;
}

function mask(family: 4 | 6, length: number): bigint {
  const total = BigInt(bits(family));
  const all = (1n << total) - 1n;
  return length === 0 ? 0n : (all >> (total - BigInt(length))) << (total - BigInt(length));
}

/** Parses `a.b.c.d/n` or `x::/n` (prefix notation is required in 1.20); undefined for anything else. */
export function parsePrefix(text: unknown): Prefix | undefined {
  if (typeof text !== 'string') return undefined;
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const lenText = text.slice(slash + 1);
  if (!ip || !/^(0|[1-9][0-9]{0,2})$/.test(lenText)) return undefined;
  const length = Number(lenText);
  if (length > bits(ip.family)) return undefined;
  return { family: ip.family, value: ip.value & mask(ip.family, length), length, text };
}

/** Parses a prefix, or a bare address as its host prefix (/32 or /128). */
export function parsePrefixOrAddress(text: unknown): Prefix | undefined {
  if (typeof text !== 'string') return undefined;
  if (text.includes('/')) return parsePrefix(text);
  const ip = parseIp(text);
  return ip && { family: ip.family, value: ip.value, length: bits(ip.family), text };
}

/** Parses a `cidr:` identity label key (IPv6 labels use `-` for `:`). */
export function parseCidrLabel(key: string): Prefix | undefined {
  return parsePrefix(key.includes('-') ? key.replace(/-/g, ':') : key);
}

export function prefixContainsIp(p: Prefix, ip: IpAddress): boolean {
  return p.family === ip.family && (ip.value & mask(p.family, p.length)) === p.value;
}

export function prefixContainsPrefix(outer: Prefix, inner: Prefix): boolean {
  return (
    outer.family === inner.family &&
    outer.length <= inner.length &&
    (inner.value & mask(outer.family, outer.length)) === outer.value
  );
}

export function prefixesOverlap(a: Prefix, b: Prefix): boolean {
  return prefixContainsPrefix(a, b) || prefixContainsPrefix(b, a);
}
