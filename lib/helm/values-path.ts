/** One step into Helm values: a map key or a list index. */
export type ValuesPathSegment = string | number;

/**
 * Renders a values path the way `addOverride` accepts it: `hubble.relay.enabled`,
 * `nodeSelector.kubernetes\.io/os`, `hubble.metrics.enabled[2]`.
 */
export function formatValuesPath(segments: readonly ValuesPathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += (out === '' ? '' : '.') + segment.replace(/\\/g, '\\\\').replace(/\./g, '\\.');
  }
  return out;
}

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
    throw new Error(`Invalid values path "${text}": empty segment. Write keys separated by dots, e.g. "hubble.relay.enabled" (escape a literal dot as "\\.").`);
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
