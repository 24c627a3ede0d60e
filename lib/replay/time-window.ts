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
 * Parses a `since`/`until` bound given as text: an RFC 3339 time (`2026-07-01T12:00:00Z`) or a
 * duration before `now` (`90s`, `15m`, `1h30m`, `2d`, `1w`). Returns epoch milliseconds. `name`
 * names the bound in the error (the option or the flag).
 */
export function parseTimeBound(name: string, value: string, now: number): number {
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
    `${name} ${JSON.stringify(value)}: expected an RFC 3339 time (2026-07-01T12:00:00Z) or a duration before now (30m, 1h30m, 2d)`,
  );
}

/** Epoch milliseconds of a Hubble RFC 3339 timestamp (nanoseconds cut), or undefined. */
export function flowTimeMs(time: string | undefined): number | undefined {
  if (!time) return undefined;
  const t = utcTimeMs(time) ?? Date.parse(time);
  return Number.isNaN(t) ? undefined : t;
}

const ZERO = 48;

/** The digits of `text` from `at` to `end` as a number, or -1 if one is not a digit. */
function digits(text: string, at: number, end: number): number {
  let n = 0;
  for (let i = at; i < end; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * `Date.parse` of the form Hubble writes, `2026-07-01T10:00:00.123456789Z` (UTC, fraction of
 * any length, cut to milliseconds), without its general parser; undefined for anything else
 * (other forms, and dates whose fields `Date.parse` would have to check against the calendar).
 */
export function utcTimeMs(text: string): number | undefined {
  const n = text.length;
  if (
    n < 20 ||
    text.charCodeAt(n - 1) !== Z ||
    text.charCodeAt(4) !== DASH ||
    text.charCodeAt(7) !== DASH ||
    text.charCodeAt(10) !== T ||
    text.charCodeAt(13) !== COLON ||
    text.charCodeAt(16) !== COLON
  )
    return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  const hour = digits(text, 11, 13);
  const minute = digits(text, 14, 16);
  const second = digits(text, 17, 19);
  if (
    year < 1000 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 28 ||
    !(hour >= 0 && hour <= 23) ||
    !(minute >= 0 && minute <= 59) ||
    !(second >= 0 && second <= 59)
  )
    return undefined;
  let ms = 0;
  if (n > 20) {
    if (text.charCodeAt(19) !== DOT || n === 21) return undefined;
    if (digits(text, 20, n - 1) < 0) return undefined;
    const places = n - 21;
    ms = digits(text, 20, 20 + Math.min(3, places)) * (places >= 3 ? 1 : places === 2 ? 10 : 100);
  }
  return dayMs(year, month, day) + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
}

const Z = 90;
const DASH = 45;
const T = 84;
const COLON = 58;
const DOT = 46;

/** Epoch ms of a day's midnight (UTC): an export's lines mostly share their day. */
function dayMs(year: number, month: number, day: number): number {
  const key = (year * 100 + month) * 100 + day;
  if (key !== lastDay) {
    lastDay = key;
    lastDayMs = Date.UTC(year, month - 1, day);
  }
  return lastDayMs;
}

let lastDay = -1;
let lastDayMs = 0;
