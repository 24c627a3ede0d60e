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
});
