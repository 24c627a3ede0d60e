/** Small containers whose memory stays bounded however many flows go through them. */

/** The values of every empty `CappedSet` (never written: the first value makes an array of its own). */
const NO_VALUES: string[] = [];

/**
 * Keeps the `cap` smallest distinct values (so the result does not depend on input order) and
 * remembers whether more distinct values came.
 */
export class CappedSet {
  // Fewer than `cap`: as they came (a value equal to the last one is not added again), sorted and
  // made distinct when `cap` are in or when read, so that a value added to a set that is not full
  // reads no stored string but the last. `cap` (full): sorted and distinct. Most groups see one
  // value: the array is made for it.
  private values: string[] = NO_VALUES;
  private overflow = false;

  constructor(private readonly cap: number) {}

  add(value: string | undefined): void {
    if (value === undefined || value === '') return;
    const values = this.values;
    const n = values.length;
    if (n === 0) {
      this.values = [value];
      return;
    }
    if (n < this.cap) {
      if (values[n - 1] === value) return;
      values.push(value);
      if (n + 1 === this.cap) this.settle();
      return;
    }
    // Full: most values are beyond the kept ones, one comparison tells.
    if (value >= values[n - 1]) {
      if (value !== values[n - 1]) this.overflow = true;
      return;
    }
    // Binary search: each comparison reads a stored string (a cache miss, most likely).
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const v = values[mid];
      if (v < value) lo = mid + 1;
      else if (v > value) hi = mid;
      else return;
    }
    this.overflow = true;
    values.pop();
    for (let i = values.length; i > lo; i--) values[i] = values[i - 1];
    values[lo] = value;
  }

  /** Sorts the values and drops repeated ones (full when `cap` distinct remain). */
  private settle(): void {
    const values = this.values;
    if (values.length < 2) return;
    values.sort();
    let kept = 1;
    for (let i = 1; i < values.length; i++) if (values[i] !== values[kept - 1]) values[kept++] = values[i];
    values.length = kept;
  }

  sorted(): string[] {
    if (this.values.length < this.cap) this.settle();
    return this.values.slice();
  }

  get more(): boolean {
    return this.overflow;
  }

  /** Adds what another set kept (for merging groups): the result is the set of both inputs. */
  merge(values: readonly string[], more: boolean): void {
    for (const v of values) this.add(v);
    if (more) this.overflow = true;
  }
}

/** A growable array of unsigned 32-bit integers (one slot per evaluated flow for `--per-flow`). */
export class GrowableUint32 {
  private data = new Uint32Array(1024);
  private size = 0;

  push(value: number): void {
    if (this.size === this.data.length) {
      const bigger = new Uint32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.size++] = value;
  }

  get length(): number {
    return this.size;
  }

  at(i: number): number {
    return this.data[i];
  }
}

/**
 * Counts per key for the few distinct keys a group sees (verdicts, directions): the last key is
 * compared first, so a run of equal keys costs one string comparison and no hashing. Each key
 * is counted exactly up to `limit` distinct keys (far more than Hubble's enums have; only
 * made-up names get there), the rest as `(other)`; a report shows the first `MAX_COUNTER_KEYS`
 * (`shown`). Counting more than is shown is what lets parts of a run (chunks, group files) merge
 * into exactly one run's counts: a key one part counts under `(other)` may be shown in the whole.
 */
export const MAX_COUNTER_KEYS = 32;
export const COUNTER_KEY_LIMIT = 256;
const OTHER_KEY = '(other)';

export class Counter {
  // Sized for the one key most groups see (see CappedSet.values).
  private keys: string[] = [];
  private counts: number[] = [];
  private lastIndex = -1;

  constructor(private readonly limit = COUNTER_KEY_LIMIT) {}

  add(key: string): void {
    if (this.lastIndex >= 0 && this.keys[this.lastIndex] === key) {
      this.counts[this.lastIndex]++;
      return;
    }
    let i = this.keys.indexOf(key);
    if (i < 0 && this.keys.length >= this.limit) i = this.keys.indexOf((key = OTHER_KEY));
    if (i < 0 && this.keys.length === 0) {
      i = 0;
      this.keys = [key];
      this.counts = [0];
    } else if (i < 0) {
      i = this.keys.length;
      this.keys.push(key);
      this.counts.push(0);
    }
    this.counts[i]++;
    this.lastIndex = i;
  }

  /** Adds `n` to a key (for merging groups). */
  addCount(key: string, n: number): void {
    this.add(key);
    this.counts[this.lastIndex] += n - 1;
  }

  /** Keys in the order they first came, with their counts. */
  entries(): Array<[string, number]> {
    return this.keys.map((k, i) => [k, this.counts[i]]);
  }

  /** The first `shown` keys as they came, every later one counted under `(other)`. */
  shown(shown = MAX_COUNTER_KEYS): Map<string, number> {
    const map = new Map<string, number>();
    let other = 0;
    this.keys.forEach((k, i) => {
      if (k === OTHER_KEY || map.size >= shown) other += this.counts[i];
      else map.set(k, this.counts[i]);
    });
    if (other > 0) map.set(OTHER_KEY, other);
    return map;
  }
}

/** What a `Sample` becomes at its second distinct value: a set with `CappedSet`'s contract. */
export interface ValueSet {
  add(value: string | undefined): void;
  sorted(): string[];
  readonly more: boolean;
  merge(values: readonly string[], more: boolean): void;
}

function cappedSet(cap: number): ValueSet {
  return new CappedSet(cap);
}

/**
 * A `ValueSet` made only when a second distinct value comes: until then the one value itself
 * (most groups see one node, one pod and one address per end), or nothing.
 */
export type Sample = string | ValueSet | undefined;

/** `sample` with `value` added (a set of at most `cap` values made by `makeSet`). */
export function addToSample(
  sample: Sample,
  value: string | undefined,
  cap: number,
  makeSet: (cap: number) => ValueSet = cappedSet,
): Sample {
  if (value === undefined || value === '' || sample === value) return sample;
  if (sample === undefined) return value;
  if (typeof sample === 'string') {
    const set = makeSet(cap);
    set.add(sample);
    set.add(value);
    return set;
  }
  sample.add(value);
  return sample;
}

/** The values kept, sorted. */
export function sampleValues(sample: Sample): string[] {
  if (sample === undefined) return [];
  return typeof sample === 'string' ? [sample] : sample.sorted();
}

/** More distinct values came than were kept. */
export function sampleMore(sample: Sample): boolean {
  return typeof sample === 'object' && sample.more;
}

/** `sample` with what another sample kept added (for merging groups). */
export function mergeSample(
  sample: Sample,
  values: readonly string[],
  more: boolean,
  cap: number,
  makeSet: (cap: number) => ValueSet = cappedSet,
): Sample {
  let merged = sample;
  for (const v of values) merged = addToSample(merged, v, cap, makeSet);
  if (!more) return merged;
  const set = typeof merged === 'object' ? merged : makeSet(cap);
  if (typeof merged === 'string') set.add(merged);
  set.merge([], true);
  return set;
}
