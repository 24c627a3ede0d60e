import { ConnectionTable } from '../../lib/replay/connections';
import { suiteSize } from '../support/suite';

const flow = (i: number, sport = 40000) => ({
  IP: { source: `10.0.${i >> 8}.${i & 255}`, destination: '10.9.0.1' },
  l4: { TCP: { source_port: sport, destination_port: 80 } },
});

describe('the connection table', () => {
  test('a 5-tuple is one connection within two minutes, another after; ICMP and flows without addresses', () => {
    const t = new ConnectionTable(10);
    expect(t.isNew(flow(1), 0)).toBe(true);
    expect(t.isNew(flow(1), 60_000)).toBe(false);
    expect(t.isNew(flow(1), 200_000)).toBe(true);
    expect(t.isNew(flow(1, 40001), 200_000)).toBe(true);
    expect(t.isNew({ IP: { source: 'a', destination: 'b' }, l4: { ICMPv4: { type: 8 } } }, 0)).toBe(true);
    expect(t.isNew({ IP: { source: 'a', destination: 'b' }, l4: { ICMPv4: { type: 8 } } }, 1)).toBe(false);
    expect(t.isNew({ l4: { TCP: { destination_port: 80 } } }, 0)).toBe(true);
    expect(t.isNew({ l4: { TCP: { destination_port: 80 } } }, 0)).toBe(true);
  });

  test('full: the oldest connection is forgotten first, the table never grows, and every kept one is still found', () => {
    const cap = 1000;
    const total = suiteSize(50_000, 5_000);
    const t = new ConnectionTable(cap);
    for (let i = 0; i < total; i++) {
      expect(t.isNew(flow(i), i)).toBe(true);
      expect(t.size).toBe(Math.min(i + 1, cap));
      if (i >= cap && i % 97 === 0) {
        // the newest `cap` are remembered (lookups survive the backward shifts of deletions) ...
        for (const k of [i, i - 1, i - cap + 1]) expect(t.isNew(flow(k), i)).toBe(false);
      }
    }
    // ... and the ones before them are forgotten
    expect(t.isNew(flow(total - cap - 5), total)).toBe(true);
  });

  test('agrees with a plain model under collisions, evictions and wrap-around (random keys in few probe runs)', () => {
    const cap = 37;
    const t = new ConnectionTable(cap);
    const times = new Map<string, number>();
    const ring: string[] = [];
    let next = 0;
    let seed = 12345;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    for (let i = 0; i < suiteSize(200_000, 20_000); i++) {
      // Few distinct homes (and some at the end of the table): long runs that wrap around.
      const hi = rand(3);
      const lo = rand(2) ? rand(60) : 0xffffffff - rand(8);
      const ms = rand(10) === 0 ? undefined : i * 1000 + rand(200_000);
      const key = `${hi}/${lo}`;
      let expected: boolean;
      const previous = times.get(key);
      if (previous !== undefined) {
        times.set(key, ms ?? -1);
        expected = ms !== undefined && previous !== -1 && Math.abs(ms - previous) > 120_000;
      } else {
        if (times.size === cap) times.delete(ring[next]);
        times.set(key, ms ?? -1);
        ring[next] = key;
        next = (next + 1) % cap;
        expected = true;
      }
      expect(t.isNewKey(hi, lo, ms)).toBe(expected);
      expect(t.size).toBe(times.size);
    }
  });
});
