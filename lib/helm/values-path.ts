/** One step into Helm values: a map key or a list index. */
export type ValuesPathSegment = string | number;

/**
 * Renders a values path the way `addOverride` accepts it: `hubble.relay.enabled`,
 * `nodeSelector.kubernetes\.io/os`, `hubble.metrics.enabled.2` (a list index is a segment).
 */
export function formatValuesPath(segments: readonly ValuesPathSegment[]): string {
  return segments.map((segment) => String(segment).replace(/\\/g, '\\\\').replace(/\./g, '\\.')).join('.');
}

/** Keys that would reach JavaScript's object machinery instead of a Helm value. */
const RESERVED_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

/** Parses `a.b\.c.d` into `['a', 'b.c', 'd']`; a backslash escapes the next character. */
export function parseValuesPath(text: string): string[] {
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length) {
      current += text[++i];
    } else if (ch === '.') {
      segments.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  segments.push(current);
  if (segments.some((s) => s === '')) {
    throw new Error(
      `Invalid values path "${text}": empty segment. Write keys separated by dots, e.g. "hubble.relay.enabled" (escape a literal dot as "\\.").`,
    );
  }
  const reserved = segments.find((s) => RESERVED_SEGMENTS.has(s));
  if (reserved !== undefined) {
    throw new Error(
      `Invalid values path "${text}": \`${reserved}\` is not allowed as a key (it would change JavaScript objects, not a Helm value). Fix: no Cilium chart key is named so; check the path`,
    );
  }
  return segments;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Short, single-line rendering of a value for error messages. */
export function describeValue(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
