/** Defensive accessors: manifests are untrusted plain data of any shape. */

export type PlainObject = Record<string, unknown>;

export function isObject(v: unknown): v is PlainObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The array at `v`, or one shared empty array when `v` is anything else (read only: nothing allocated per absent field). */
export function asArray(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : NO_ITEMS;
}

const NO_ITEMS: readonly unknown[] = Object.freeze([]);

/** The object at `v`, or an empty object when `v` is anything else. */
export function asObject(v: unknown): PlainObject {
  return isObject(v) ? v : {};
}

export function isNonEmptyArray(v: unknown): v is unknown[] {
  return Array.isArray(v) && v.length > 0;
}

/** A value as a short one-line string for messages. */
export function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  try {
    const s = JSON.stringify(v);
    if (s === undefined) return typeof v;
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return typeof v;
  }
}

/** A scalar as text (strings unchanged, numbers and booleans printed); anything else gives `fallback` or its JSON. */
export function text(v: unknown, fallback?: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if ((v === undefined || v === null) && fallback !== undefined) return fallback;
  return fallback ?? show(v);
}
