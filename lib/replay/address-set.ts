import { CappedSet, ValueSet } from './bounded';

/** The octets' texts, "0" to "255", in string order, and each octet's place in that order. */
const OCTET_TEXTS = Array.from({ length: 256 }, (_, i) => String(i)).sort();
const OCTET_RANK = new Uint8Array(256);
OCTET_TEXTS.forEach((text, rank) => (OCTET_RANK[Number(text)] = rank));

const DOT = 46;
const ZERO = 48;
const MAX_OCTET = 255;

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
 * A `CappedSet` of addresses that keeps IPv4 addresses as `ipv4OrderKey` numbers (no string
 * per address, number comparisons), until a value that is not one comes: from then on, texts.
 */
export class AddressSet implements ValueSet {
  private readonly keys: CappedSet<number>;
  private texts?: CappedSet;

  constructor(private readonly cap: number) {
    this.keys = new CappedSet<number>(cap);
  }

  add(value: string | undefined): void {
    if (value === undefined || value === '') return;
    if (!this.texts) {
      const key = ipv4OrderKey(value);
      if (key >= 0) return this.keys.add(key);
      this.texts = new CappedSet(this.cap);
      this.texts.merge(this.keys.sorted().map(ipv4OrderText), this.keys.more);
    }
    this.texts.add(value);
  }

  sorted(): string[] {
    return this.texts ? this.texts.sorted() : this.keys.sorted().map(ipv4OrderText);
  }

  get more(): boolean {
    return (this.texts ?? this.keys).more;
  }

  merge(values: readonly string[], more: boolean): void {
    for (const v of values) this.add(v);
    if (more) (this.texts ?? this.keys).merge([], true);
  }
}

export function addressSet(cap: number): ValueSet {
  return new AddressSet(cap);
}
