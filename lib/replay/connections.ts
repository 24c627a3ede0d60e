import { HubbleFlow } from '../hubble/flow-json';

export const CONNECTION_WINDOW_MS = 120_000;
const EMPTY = 0;
const USED = 1;
/** A table slot: its state, then the key's high and low 32 bits, then the time of its last event. */
const SLOT = 4;
const HI = 1;
const LO = 2;
const TIME = 3;

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
 * full, and a line allocates nothing here. A slot's key, time and state sit side by side (one
 * cache line per look-up). (Two 5-tuples with the same 64-bit hash would count as one
 * connection: about one chance in 10^8 per export of 100,000 live connections.)
 */
export class ConnectionTable {
  private readonly mask: number;
  /** Per slot: state, key (high, low 32 bits), time of its last event (-1: none). */
  private readonly slots: Float64Array;
  private readonly ringHi: Uint32Array;
  private readonly ringLo: Uint32Array;
  private next = 0;
  private count = 0;
  private readonly h = new Uint32Array(2);

  constructor(private readonly capacity: number) {
    let slots = 1;
    while (slots < capacity * 2.5) slots *= 2;
    this.mask = slots - 1;
    this.slots = new Float64Array(slots * SLOT);
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
    const slots = this.slots;
    const at = this.find(hi, lo);
    if (slots[at] === USED) {
      const previous = slots[at + TIME];
      slots[at + TIME] = now;
      if (ms === undefined || previous === -1) return false;
      return Math.abs(ms - previous) > CONNECTION_WINDOW_MS;
    }
    if (this.count === this.capacity) this.remove(this.ringHi[this.next], this.ringLo[this.next]);
    const free = this.find(hi, lo);
    slots[free] = USED;
    slots[free + HI] = hi;
    slots[free + LO] = lo;
    slots[free + TIME] = now;
    this.count++;
    this.ringHi[this.next] = hi;
    this.ringLo[this.next] = lo;
    this.next = (this.next + 1) % this.capacity;
    return true;
  }

  /** The index (in `slots`) of the slot holding the key, or of the empty slot where it would go (linear probing). */
  private find(hi: number, lo: number): number {
    const slots = this.slots;
    let i = home(hi, lo, this.mask);
    while (slots[i * SLOT] === USED && (slots[i * SLOT + HI] !== hi || slots[i * SLOT + LO] !== lo))
      i = (i + 1) & this.mask;
    return i * SLOT;
  }

  /** Deletes a key, shifting later entries of its probe run back so lookups stay correct without tombstones. */
  private remove(hi: number, lo: number): void {
    const slots = this.slots;
    const found = this.find(hi, lo);
    if (slots[found] !== USED) return;
    slots[found] = EMPTY;
    this.count--;
    let i = found / SLOT;
    let j = i;
    for (;;) {
      j = (j + 1) & this.mask;
      if (slots[j * SLOT] !== USED) return;
      const h = home(slots[j * SLOT + HI], slots[j * SLOT + LO], this.mask);
      // Move j back to i unless its home lies cyclically in (i, j].
      const between = i <= j ? h > i && h <= j : h > i || h <= j;
      if (between) continue;
      slots.copyWithin(i * SLOT, j * SLOT, j * SLOT + SLOT);
      slots[j * SLOT] = EMPTY;
      i = j;
    }
  }
}

/** Where a key's probe run starts. */
function home(hi: number, lo: number, mask: number): number {
  return (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
}
