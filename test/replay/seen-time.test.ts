import { NO_FORM, readSeenTime, SeenTime, seenBefore, seenTimeText } from '../../lib/replay/seen-time';

const TIMES = [
  '2026-07-01T10:00:00Z',
  '2026-07-01T10:00:00.1Z',
  '2026-07-01T10:00:00.10Z',
  '2026-07-01T10:00:00.100Z',
  '2026-07-01T10:00:00.1000Z',
  '2026-07-01T10:00:00.100000001Z',
  '2026-07-01T10:00:00.100000010Z',
  '2026-07-01T10:00:00.123456789Z',
  '2026-07-01T10:00:00.123000456Z',
  '2026-07-01T10:00:00.1234567891Z',
  '2026-07-01T10:00:00.123+00:00',
  '2026-07-31T23:59:59.999999999Z',
  '1999-01-01T00:00:00.000Z',
];

function read(text: string): SeenTime {
  const t: SeenTime = { ms: undefined, form: NO_FORM };
  readSeenTime(text, t);
  return t;
}

describe('seen times', () => {
  it.each(TIMES)('%s: its text is rebuilt from the numbers kept', (text) => {
    const t = read(text);
    expect(t.ms).toBe(Date.parse(text));
    expect(seenTimeText(t.ms!, t.form, t.form === NO_FORM ? text : undefined)).toBe(text);
  });

  it('orders times by milliseconds, then as their texts compare', () => {
    for (const a of TIMES) {
      for (const b of TIMES) {
        const ta = read(a);
        const tb = read(b);
        const expected = ta.ms! < tb.ms! || (ta.ms === tb.ms && a < b);
        const textA = ta.form === NO_FORM ? a : undefined;
        const textB = tb.form === NO_FORM ? b : undefined;
        expect([a, b, seenBefore(ta.ms!, ta.form, textA, tb.ms!, tb.form, textB)]).toEqual([a, b, expected]);
      }
    }
  });

  it('reads no time from nothing or from text that is not a time', () => {
    expect(read('').ms).toBeUndefined();
    expect(read('yesterday').ms).toBeUndefined();
  });
});
