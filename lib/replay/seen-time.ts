import { flowTimeMs, utcTimeMs } from './time-window';

/**
 * A flow's time as a group keeps it (first and last seen): epoch milliseconds and the form of
 * the text, so that a group holds no string per event and the text is built once at the end.
 * The form is the number of fraction digits times 10^6 plus the digits past the milliseconds
 * (`.123456789Z`: 9 * 10^6 + 456789), for the times `utcTimeMs` reads (what Hubble writes); any
 * other text is kept as it came (`NO_FORM`).
 */
export const NO_FORM = -1;
const PLACES = 1_000_000;
const MAX_PLACES = 9;
const ZERO = 48;

export interface SeenTime {
  ms: number | undefined;
  form: number;
}

/** Reads a flow's time into `out` (ms undefined: no time, or not one). */
export function readSeenTime(text: string | undefined, out: SeenTime): void {
  const fast = text ? utcTimeMs(text) : undefined;
  out.ms = fast ?? flowTimeMs(text);
  out.form = fast === undefined ? NO_FORM : formOf(text!);
}

/** The form of a text `utcTimeMs` read: `YYYY-MM-DDTHH:MM:SS[.fraction]Z`. */
function formOf(text: string): number {
  const n = text.length;
  if (n === 20) return 0;
  const places = n - 21;
  if (places > MAX_PLACES) return NO_FORM;
  let extra = 0;
  for (let i = 23; i < n - 1; i++) extra = extra * 10 + text.charCodeAt(i) - ZERO;
  return places * PLACES + extra;
}

/** The text of a time read by `readSeenTime` (`text`: the text as it came, kept for `NO_FORM`). */
export function seenTimeText(ms: number, form: number, text: string | undefined): string {
  if (form === NO_FORM) return text!;
  const places = Math.floor(form / PLACES);
  const second = Math.floor(ms / 1000);
  const secondText = secondTextOf(second);
  if (places === 0) return `${secondText}Z`;
  const millis = String(ms - second * 1000).padStart(3, '0');
  if (places <= 3) return `${secondText}.${millis.slice(0, places)}Z`;
  return `${secondText}.${millis}${String(form % PLACES).padStart(places - 3, '0')}Z`;
}

/** Seconds whose text is kept at a time: the groups of an export share few seconds. */
const MAX_SECOND_TEXTS = 4096;
let secondTexts = new Map<number, string>();

/** `YYYY-MM-DDTHH:MM:SS` of a second since the epoch, made once per second. */
function secondTextOf(second: number): string {
  let text = secondTexts.get(second);
  if (text === undefined) {
    if (secondTexts.size >= MAX_SECOND_TEXTS) secondTexts = new Map();
    text = new Date(second * 1000).toISOString().slice(0, 19);
    secondTexts.set(second, text);
  }
  return text;
}

/** Whether time a is before time b in the order of their texts at equal milliseconds. */
export function seenBefore(
  msA: number,
  formA: number,
  textA: string | undefined,
  msB: number,
  formB: number,
  textB: string | undefined,
): boolean {
  if (msA !== msB) return msA < msB;
  if (formA !== NO_FORM && formB !== NO_FORM && Math.floor(formA / PLACES) === Math.floor(formB / PLACES))
    return formA < formB;
  return seenTimeText(msA, formA, textA) < seenTimeText(msB, formB, textB);
}
