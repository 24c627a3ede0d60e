import { byKey, compareStrings } from '../../lib/util/order';
import { plural } from '../../lib/util/text';

describe('plural', () => {
  test('agrees with the count, groups thousands, and knows -y words', () => {
    expect(plural(1, 'flow')).toBe('1 flow');
    expect(plural(0, 'flow')).toBe('0 flows');
    expect(plural(12345, 'flow')).toBe('12,345 flows');
    expect(plural(2, 'policy')).toBe('2 policies');
    expect(plural(2, 'key')).toBe('2 keys');
    expect(plural(3, 'DNS name')).toBe('3 DNS names');
    expect(plural(2, 'datum', 'data')).toBe('2 data');
  });
});

describe('ordering', () => {
  test('code-unit order, independent of locale', () => {
    expect(['b', 'a', 'B', 'é', 'e'].sort(compareStrings)).toEqual(['B', 'a', 'b', 'e', 'é']);
    expect(Object.entries({ b: 1, a: 2 }).sort(byKey)).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });
});
