import { CappedSet, ValueSet } from './bounded';

/** The octets' texts, "0" to "255", in string order, and each octet's place in that order. */
const OCTET_TEXTS = Array.from({ length: 256 }, (_, i) => String(i)).sort();
const OCTET_RANK = new Uint8Array(256);
OCTET_TEXTS.forEach((text, rank) => (OCTET_RANK[Number(text)] = rank));

const DOT = 46;
const ZERO = 48;
const MAX_OCTET = 255;
const TWO_16 = 65536;

/**
 * A number for an IPv4 address written as four decimal octets without leading zeros, whose
 * order is that of the texts: '.' sorts before every digit, so comparing two such texts
 * compares their octets' texts one after the other, and each octet is replaced by its place
 * among the octets' texts. -1 for any other text.
 */
export function ipv4OrderKey(text: string): number {
  const n = text.length;
  if (n < 7 || n > 15) return -1;
  let key = 0;
  let octet = 0;
  let digits = 0;
  let octets = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : DOT;
    if (c === DOT) {
      if (digits === 0 || octet > MAX_OCTET) return -1;
      key = key * 256 + OCTET_RANK[octet];
      octet = 0;
      digits = 0;
      octets++;
      continue;
    }
    const d = c - ZERO;
    if (d < 0 || d > 9 || (digits === 1 && octet === 0) || digits === 3) return -1;
    octet = octet * 10 + d;
    digits++;
  }
  return octets === 4 ? key : -1;
}

/** The text of an `ipv4OrderKey`. */
export function ipv4OrderText(key: number): string {
  return `${OCTET_TEXTS[(key >>> 24) & 255]}.${OCTET_TEXTS[(key >>> 16) & 255]}.${OCTET_TEXTS[(key >>> 8) & 255]}.${OCTET_TEXTS[key & 255]}`;
}

/**
 * A `CappedSet` of addresses that keeps IPv4 addresses as `ipv4OrderKey` numbers, sorted and
 * distinct in a typed array (no string per address, number comparisons), until a value that is
 * not one comes: from then on, a `CappedSet` of texts.
 */
export class AddressSet implements ValueSet {
  /** Numbers only (unboxed doubles in the array). */
  private readonly keys: number[] = [];
  /**
   * When full, the largest key kept in two 16-bit halves (small integers: fields of the set
   * itself, not numbers of their own), so that a key past it reads no array; 65,536 until full.
   */
  private largestHigh = TWO_16;
  private largestLow = 0;
  private overflow = false;
  private texts?: CappedSet;

  constructor(private readonly cap: number) {}

  add(value: string | undefined): void {
    if (value === undefined || value === '') return;
    if (!this.texts) {
      const key = ipv4OrderKey(value);
      if (key >= 0) return this.addKey(key);
      const texts = new CappedSet(this.cap);
      texts.merge(this.sorted(), this.overflow);
      this.texts = texts;
    }
    this.texts.add(value);
  }

  /** Keeps the `cap` smallest keys: a key past the largest of a full set only sets `more`. */
  private addKey(key: number): void {
    const high = key >>> 16;
    if (high >= this.largestHigh) {
      const low = key & 0xffff;
      if (high > this.largestHigh || low > this.largestLow) {
        this.overflow = true;
        return;
      }
      if (low === this.largestLow) return;
    }
    const keys = this.keys;
    const n = keys.length;
    let at = n;
    while (at > 0 && keys[at - 1] > key) at--;
    if (at > 0 && keys[at - 1] === key) return;
    if (n === this.cap) {
      this.overflow = true;
      keys.pop();
    }
    keys.push(key);
    for (let i = keys.length - 1; i > at; i--) keys[i] = keys[i - 1];
    keys[at] = key;
    if (keys.length === this.cap) {
      const largest = keys[keys.length - 1];
      this.largestHigh = largest >>> 16;
      this.largestLow = largest & 0xffff;
    }
  }

  sorted(): string[] {
    if (this.texts) return this.texts.sorted();
    const out: string[] = [];
    for (const key of this.keys) out.push(ipv4OrderText(key));
    return out;
  }

  get more(): boolean {
    return this.texts ? this.texts.more : this.overflow;
  }

  merge(values: readonly string[], more: boolean): void {
    for (const v of values) this.add(v);
    if (!more) return;
    if (this.texts) this.texts.merge([], true);
    else this.overflow = true;
  }
}

export function addressSet(cap: number): ValueSet {
  return new AddressSet(cap);
}
