/**
 * Interval partitioning: gives each interval `[lo, hi]` a lane (0, 1, ...) so that the intervals
 * of one lane are at least `gap` apart; as few lanes as the deepest overlap needs, the lowest free
 * lane first. O(n log n); ties keep the input order, so the result is deterministic.
 */
export function assignLanes(
  intervals: ReadonlyArray<{ readonly lo: number; readonly hi: number }>,
  gap: number,
): { lanes: number[]; count: number } {
  const order = intervals
    .map((_, i) => i)
    .sort((x, y) => intervals[x].lo - intervals[y].lo || intervals[x].hi - intervals[y].hi || x - y);
  const busy = new Heap<{ hi: number; lane: number }>((x, y) => x.hi - y.hi || x.lane - y.lane);
  const free = new Heap<number>((x, y) => x - y);
  const lanes = new Array<number>(intervals.length);
  let count = 0;
  for (const i of order) {
    const { lo, hi } = intervals[i];
    while (busy.size > 0 && busy.peek().hi + gap <= lo) free.push(busy.pop().lane);
    const lane = free.size > 0 ? free.pop() : count++;
    lanes[i] = lane;
    busy.push({ hi, lane });
  }
  return { lanes, count };
}

/** A binary min-heap. */
class Heap<T> {
  private readonly items: T[] = [];

  constructor(private readonly less: (a: T, b: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T {
    return this.items[0];
  }

  push(item: T): void {
    const a = this.items;
    a.push(item);
    for (let i = a.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (this.less(a[i], a[p]) >= 0) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }

  pop(): T {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length === 0) return top;
    a[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && this.less(a[l], a[m]) < 0) m = l;
      if (r < a.length && this.less(a[r], a[m]) < 0) m = r;
      if (m === i) break;
      [a[i], a[m]] = [a[m], a[i]];
      i = m;
    }
    return top;
  }
}
