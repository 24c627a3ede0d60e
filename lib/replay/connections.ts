import { HubbleFlow } from '../hubble/flow-json';

export const CONNECTION_WINDOW_MS = 120_000;
const EMPTY = 0;
const USED = 1;

/** Two independent 32-bit hashes (FNV-1a and a multiplicative one) of a string, folded into `h`. */
function mix(text: string, h: Uint32Array): void {
  let a = h[0];
  let b = h[1];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b + c, 0x5bd1e995) ^ (b >>> 15);
  }
  h[0] = a ^ 0x7c;
  h[1] = b ^ 0x3a;
}

/**
 * The 64-bit hash of an event's 5-tuple (addresses, ports or ICMP type) into `h`; false when the
 * event has none (no addresses, or neither ports nor ICMP).
 */
export function connectionKey(hubble: HubbleFlow, h: Uint32Array): boolean {
  const l4 = hubble.l4;
  const ports = l4?.TCP ?? l4?.UDP ?? l4?.SCTP;
  const icmp = l4?.ICMPv4 ?? l4?.ICMPv6;
  const ip = hubble.IP;
  if (!ip?.source || !ip.destination || (!ports && !icmp)) return false;
  h[0] = 0x811c9dc5;
  h[1] = ports
    ? ((ports.source_port ?? 0) * 65536 + (ports.destination_port ?? 0)) >>> 0
    : 0x9e3779b9 ^ (icmp!.type ?? 0);
  mix(ip.source, h);
  mix(ip.destination, h);
  return true;
}

/**
 * The last `capacity` connections seen (5-tuple -> time of its last event), in typed arrays: an
 * open-addressing table keyed by a 64-bit hash of the 5-tuple, and a ring of the keys in the
 * order they came, so adding one evicts the oldest in O(1) however long the table has been
 * full, and a line allocates nothing here. (Two 5-tuples with the same 64-bit hash would count
 * as one connection: about one chance in 10^8 per export of 100,000 live connections.)
 */
export class ConnectionTable {
  private readonly mask: number;
  private readonly state: Uint8Array;
  private readonly hi: Uint32Array;
  private readonly lo: Uint32Array;
  private readonly time: Float64Array;
  private readonly ringHi: Uint32Array;
  private readonly ringLo: Uint32Array;
  private next = 0;
  private count = 0;
  private readonly h = new Uint32Array(2);

  constructor(private readonly capacity: number) {
    let slots = 1;
    while (slots < capacity * 2.5) slots *= 2;
    this.mask = slots - 1;
    this.state = new Uint8Array(slots);
    this.hi = new Uint32Array(slots);
    this.lo = new Uint32Array(slots);
    this.time = new Float64Array(slots);
    this.ringHi = new Uint32Array(capacity);
    this.ringLo = new Uint32Array(capacity);
  }

  private keyed = false;
  private readonly last = new Uint32Array(2);

  /**
   * The 64-bit key (16 hex digits) of the 5-tuple the last `isNew` looked at, or undefined when it
   * had none (no addresses or ports: always a new connection). Group files record it.
   */
  lastKey(): string | undefined {
    if (!this.keyed) return undefined;
    return this.last[0].toString(16).padStart(8, '0') + this.last[1].toString(16).padStart(8, '0');
  }

  get size(): number {
    return this.count;
  }

  /**
   * Whether this event starts a new connection: its 5-tuple was not seen within two minutes
   * (SYN retransmits and the other node's events of the same connection count once).
   */
  isNew(hubble: HubbleFlow, ms: number | undefined): boolean {
    const h = this.h;
    return connectionKey(hubble, h) ? this.isNewKey(h[0], h[1], ms) : this.isNewKey(undefined, 0, ms);
  }

  /** `isNew` for a key from `connectionKey` (`hi` undefined: the event had no 5-tuple). */
  isNewKey(hi: number | undefined, lo: number, ms: number | undefined): boolean {
    this.keyed = hi !== undefined;
    if (hi === undefined) return true;
    this.last[0] = hi;
    this.last[1] = lo;
    const now = ms ?? -1;
    const slot = this.find(hi, lo);
    if (this.state[slot] === USED) {
      const previous = this.time[slot];
      this.time[slot] = now;
      if (ms === undefined || previous === -1) return false;
      return Math.abs(ms - previous) > CONNECTION_WINDOW_MS;
    }
    if (this.count === this.capacity) this.remove(this.ringHi[this.next], this.ringLo[this.next]);
    const free = this.find(hi, lo);
    this.state[free] = USED;
    this.hi[free] = hi;
    this.lo[free] = lo;
    this.time[free] = now;
    this.count++;
    this.ringHi[this.next] = hi;
    this.ringLo[this.next] = lo;
    this.next = (this.next + 1) % this.capacity;
    return true;
  }

  /** The slot holding the key, or the empty slot where it would go (linear probing). */
  private find(hi: number, lo: number): number {
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    while (this.state[i] === USED && (this.hi[i] !== hi || this.lo[i] !== lo)) i = (i + 1) & this.mask;
    return i;
  }

  /** Deletes a key, shifting later entries of its probe run back so lookups stay correct without tombstones. */
  private remove(hi: number, lo: number): void {
    let i = this.find(hi, lo);
    if (this.state[i] !== USED) return;
    this.state[i] = EMPTY;
    this.count--;
    let j = i;
    for (;;) {
      j = (j + 1) & this.mask;
      if (this.state[j] !== USED) return;
      const home = (this.lo[j] ^ Math.imul(this.hi[j], 0x9e3779b1)) & this.mask;
      // Move j back to i unless its home lies cyclically in (i, j].
      const between = i <= j ? home > i && home <= j : home > i || home <= j;
      if (between) continue;
      this.state[i] = USED;
      this.hi[i] = this.hi[j];
      this.lo[i] = this.lo[j];
      this.time[i] = this.time[j];
      this.state[j] = EMPTY;
      i = j;
    }
  }
}
