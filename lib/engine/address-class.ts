import { parseIp, Prefix } from '../cilium/cidr';
import { CompiledRule } from './model';

/** Addresses classified at a time; the memo is dropped and refilled beyond it. */
const MAX_MEMO = 65_536;

interface PrefixLength {
  readonly family: 4 | 6;
  readonly shift: bigint;
  /** Network bits of the prefixes of this family and length -> prefix number. */
  readonly ids: Map<bigint, number>;
}

/**
 * The CIDR identity of an address: which of the policies' CIDR prefixes (the prefixes of
 * toCIDR/fromCIDR/toCIDRSet/fromCIDRSet and their `except`s) contain it. CIDR rules read an
 * address only through whether these prefixes contain it, so two addresses of one class are
 * decided alike (docs/cilium-semantics.md, "CIDR and FQDN peers").
 */
export class AddressClasses {
  private readonly lengths: PrefixLength[] = [];
  private readonly memo = new Map<string, string>();

  constructor(rules: readonly CompiledRule[]) {
    let next = 0;
    const byLength = new Map<string, PrefixLength>();
    for (const p of prefixesOf(rules)) {
      const shift = BigInt((p.family === 4 ? 32 : 128) - p.length);
      // A prefix with host bits set contains no address (see prefixContainsIp).
      if ((p.value >> shift) << shift !== p.value) continue;
      let slot = byLength.get(`${p.family}/${p.length}`);
      if (!slot)
        byLength.set(`${p.family}/${p.length}`, (slot = { family: p.family, shift, ids: new Map() }));
      if (!slot.ids.has(p.value >> shift)) slot.ids.set(p.value >> shift, next++);
    }
    this.lengths = [...byLength.values()];
  }

  /**
   * Equal for two addresses that every CIDR rule treats alike: `4:` or `6:` and the numbers of
   * the prefixes containing the address; an address that does not parse is its own class.
   */
  of(ip: string): string {
    let key = this.memo.get(ip);
    if (key === undefined) {
      if (this.memo.size >= MAX_MEMO) this.memo.clear();
      this.memo.set(ip, (key = this.classify(ip)));
    }
    return key;
  }

  private classify(text: string): string {
    const ip = parseIp(text);
    if (!ip) return `?${text}`;
    const ids: number[] = [];
    for (const l of this.lengths) {
      if (l.family !== ip.family) continue;
      const id = l.ids.get(ip.value >> l.shift);
      if (id !== undefined) ids.push(id);
    }
    return `${ip.family}:${ids.sort((a, b) => a - b).join(',')}`;
  }
}

function* prefixesOf(rules: readonly CompiledRule[]): Generator<Prefix> {
  for (const rule of rules) {
    for (const entry of [...rule.entries.ingress, ...rule.entries.egress]) {
      if (entry.peers.kind !== 'list') continue;
      for (const c of entry.peers.cidrs) yield* [c.prefix, ...c.except];
    }
  }
}
