import { flowTimeMs } from '../../lib/replay/time-window';
import { prng } from '../../scripts/gen-hubble-export';

/** What `flowTimeMs` must equal: `Date.parse`, undefined where it gives NaN. */
function reference(text: string): number | undefined {
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

describe('flowTimeMs reads timestamps exactly as Date.parse does', () => {
  it.each([
    '2026-07-01T10:00:00.000Z',
    '2026-07-01T10:00:00Z',
    '2026-07-01T10:00:00.1Z',
    '2026-07-01T10:00:00.12Z',
    '2026-07-01T10:00:00.123456789Z',
    '2026-07-01T10:00:00.1234567890123Z',
    '1999-12-31T23:59:59.9995Z',
    '2026-07-01T10:00:00.Z',
    '2026-02-30T10:00:00Z',
    '2026-02-29T10:00:00Z',
    '2024-02-29T10:00:00Z',
    '2026-07-01T24:00:00Z',
    '2026-07-01T10:00:60Z',
    '2026-13-01T10:00:00Z',
    '0099-07-01T10:00:00Z',
    '2026-07-01t10:00:00Z',
    '2026-07-01 10:00:00Z',
    '2026-07-01T10:00:00+02:00',
    '2026-07-01T10:0a:00Z',
    '2026-07-01T10:00:00.12a4Z',
    '2026-07-01',
    'yesterday',
  ])('%s', (text) => {
    expect(flowTimeMs(text)).toBe(reference(text));
  });

  it('on 50,000 generated timestamps, in range and out of it', () => {
    const rand = prng(5);
    const num = (n: number, width: number) => String(Math.floor(rand() * n)).padStart(width, '0');
    const differ: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      const fraction = rand() < 0.2 ? '' : `.${num(1e9, 9).slice(0, 1 + Math.floor(rand() * 9))}`;
      const text = `${num(10000, 4)}-${num(14, 2)}-${num(33, 2)}T${num(26, 2)}:${num(61, 2)}:${num(61, 2)}${fraction}Z`;
      if (flowTimeMs(text) !== reference(text)) differ.push(text);
    }
    expect(differ).toEqual([]);
  });

  it('no time', () => {
    expect(flowTimeMs(undefined)).toBeUndefined();
    expect(flowTimeMs('')).toBeUndefined();
  });
});
