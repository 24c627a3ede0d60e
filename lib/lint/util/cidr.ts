/** IPv4/IPv6 prefixes for containment checks. */

export interface Cidr {
  readonly family: 4 | 6;
  readonly base: bigint;
  readonly prefix: number;
  readonly text: string;
}

function parseIPv4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p) || Number(p) > 255 || (p.length > 1 && p.startsWith('0'))) return undefined;
    v = (v << 8n) | BigInt(Number(p));
  }
  return v;
}

function parseIPv6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): string[] | undefined => {
    if (h === '') return [];
    const g = h.split(':');
    const last = g[g.length - 1];
    if (last.includes('.')) {
      const v4 = parseIPv4(last);
      if (v4 === undefined) return undefined;
      g.splice(g.length - 1, 1, ((v4 >> 16n) & 0xffffn).toString(16), (v4 & 0xffffn).toString(16));
    }
    return g.every((x) => /^[0-9a-fA-F]{1,4}$/.test(x)) ? g : undefined;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

export function parseIp(s: string): { family: 4 | 6; value: bigint } | undefined {
  const v4 = parseIPv4(s);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = s.includes(':') ? parseIPv6(s) : undefined;
  return v6 !== undefined ? { family: 6, value: v6 } : undefined;
}

/** Parses `a.b.c.d/n` or `x::/n`; a bare address is a host prefix only when `allowBare`. */
export function parseCidr(text: unknown, allowBare = false): Cidr | undefined {
  if (typeof text !== 'string') return undefined;
  const slash = text.indexOf('/');
  if (slash < 0 && !allowBare) return undefined;
  const ipText = slash < 0 ? text : text.slice(0, slash);
  const ip = parseIp(ipText);
  if (!ip) return undefined;
  const max = ip.family === 4 ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    if (!/^[0-9]{1,3}$/.test(p) || Number(p) > max) return undefined;
    prefix = Number(p);
  }
  const hostBits = BigInt(max - prefix);
  const base = (ip.value >> hostBits) << hostBits;
  return { family: ip.family, base, prefix, text };
}

export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || inner.prefix < outer.prefix) return false;
  const max = outer.family === 4 ? 32 : 128;
  const shift = BigInt(max - outer.prefix);
  return (inner.base >> shift) === (outer.base >> shift);
}

export function cidrOverlaps(a: Cidr, b: Cidr): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}
