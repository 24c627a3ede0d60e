import { sortStringsInPlace } from '../../lib/util/order';

describe('sortStringsInPlace', () => {
  test('orders like Array.prototype.sort, in place, short lists and long ones', () => {
    const words = ['toFQDNs', 'toCIDRSet', 'k8s:app', 'B', 'a', '', 'toEndpoints', 'Z9', 'z', 'é', '10', '9'];
    for (let n = 0; n <= words.length; n++) {
      const list = words.slice(0, n).reverse();
      expect(sortStringsInPlace(list)).toBe(list);
      expect(list).toEqual(words.slice(0, n).sort());
    }
    const long = Array.from({ length: 40 }, (_, i) => `k${(i * 7919) % 97}`);
    expect(sortStringsInPlace([...long])).toEqual([...long].sort());
  });
});
