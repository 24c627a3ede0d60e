import { ReplayInputError } from './replay-input-error';

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const DURATION_RE = /^(\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;
const RFC3339_RE = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Parses a `--since`/`--until` value: an RFC 3339 time (`2026-07-01T12:00:00Z`) or a
 * duration before `now` (`90s`, `15m`, `1h30m`, `2d`, `1w`). Returns epoch milliseconds.
 */
export function parseTimeBound(flag: string, value: string, now: number): number {
  const text = value.trim();
  if (DURATION_RE.test(text)) {
    let ms = 0;
    for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)) ms += Number(m[1]) * UNIT_MS[m[2]];
    return now - ms;
  }
  if (RFC3339_RE.test(text)) {
    const t = Date.parse(text);
    if (!Number.isNaN(t)) return t;
  }
  throw new ReplayInputError(
    `${flag} ${JSON.stringify(value)}: expected an RFC 3339 time (2026-07-01T12:00:00Z) or a duration before now (30m, 1h30m, 2d)`,
  );
}

/** Epoch milliseconds of a Hubble RFC 3339 timestamp (nanoseconds cut), or undefined. */
export function flowTimeMs(time: string | undefined): number | undefined {
  if (!time) return undefined;
  const t = Date.parse(time);
  return Number.isNaN(t) ? undefined : t;
}
