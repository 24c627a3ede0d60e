import { CappedSet } from '../../lib/replay/bounded';

/** The reference: the `cap` smallest distinct values, sorted, and whether there were more. */
function reference(values: readonly string[], cap: number): { values: string[]; more: boolean } {
  const distinct = [...new Set(values)].sort();
  return { values: distinct.slice(0, cap), more: distinct.length > cap };
}

function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
}

describe('CappedSet', () => {
  it.each([1, 3, 16])('keeps the %i smallest distinct values whatever the order', (cap) => {
    const rand = random(cap);
    for (let round = 0; round < 200; round++) {
      const n = Math.floor(rand() * 40);
      const values = Array.from(
        { length: n },
        () => `10.0.${Math.floor(rand() * 30)}.${Math.floor(rand() * 9)}`,
      );
      const set = new CappedSet(cap);
      for (const v of values) set.add(v);
      expect({ values: set.sorted(), more: set.more }).toEqual(reference(values, cap));
    }
  });

  it.each([1, 2, 5, 16])(
    'cap %i: the same when read between adds, with runs of equal values and few distinct ones',
    (cap) => {
      const rand = random(cap + 100);
      for (let round = 0; round < 300; round++) {
        const set = new CappedSet(cap);
        const seen: string[] = [];
        const distinct = 1 + Math.floor(rand() * 2 * cap);
        for (let i = Math.floor(rand() * 60); i > 0; i--) {
          const v = `v${Math.floor(rand() * distinct)}`;
          for (let run = rand() < 0.3 ? 3 : 1; run > 0; run--) {
            set.add(v);
            seen.push(v);
          }
          if (rand() < 0.1) expect({ values: set.sorted(), more: set.more }).toEqual(reference(seen, cap));
        }
        expect({ values: set.sorted(), more: set.more }).toEqual(reference(seen, cap));
      }
    },
  );

  it('ignores undefined and empty values and merges what another set kept', () => {
    const a = new CappedSet(3);
    a.add(undefined);
    a.add('');
    a.add('b');
    const b = new CappedSet(3);
    for (const v of ['d', 'a', 'c', 'e']) b.add(v);
    a.merge(b.sorted(), b.more);
    expect({ values: a.sorted(), more: a.more }).toEqual({ values: ['a', 'b', 'c'], more: true });
  });
});
