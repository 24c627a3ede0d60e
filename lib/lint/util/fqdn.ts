/** `toFQDNs` / DNS rule name matching (semantics note 4.1). */

const NAME_CHARS = /^[-a-zA-Z0-9_.]+$/;
const PATTERN_CHARS = /^[-a-zA-Z0-9_.*]+$/;
const DNS_CHAR = '[-a-zA-Z0-9_]';

export function isValidMatchName(s: string): boolean {
  return s.length > 0 && s.length <= 255 && NAME_CHARS.test(s) && /^([-a-zA-Z0-9_]+[.]?)+$/.test(s);
}

export function isValidMatchPattern(s: string): boolean {
  return s.length > 0 && s.length <= 255 && PATTERN_CHARS.test(s) && /^([-a-zA-Z0-9_*]+[.]?)+$/.test(s);
}

/** Lowercased, with the trailing dot the agent adds. */
export function normalizeName(s: string): string {
  const l = s.toLowerCase();
  return l.endsWith('.') ? l : `${l}.`;
}

/** Whether the pattern matches every name (`*`, `**`, `*.`). */
export function isMatchAllPattern(pattern: string): boolean {
  return /^\*+\.?$/.test(pattern);
}

/** The agent's pattern-to-regexp conversion. */
export function patternToRegExp(pattern: string): RegExp {
  const p = normalizeName(pattern);
  if (isMatchAllPattern(p)) return /^.*$/;
  let body = p;
  let prefix = '';
  const multi = /^\*\*+\./.exec(body);
  if (multi) {
    prefix = `(${DNS_CHAR}+\\.)+`;
    body = body.slice(multi[0].length);
  }
  const escaped = body.split(/\*+/).map((s) => s.replace(/[.]/g, '\\.')).join(`${DNS_CHAR}*`);
  return new RegExp(`^${prefix}${escaped}$`);
}

/** Whether a DNS name is matched by a `matchName` or `matchPattern` entry. */
export function fqdnEntryMatches(entry: { matchName?: unknown; matchPattern?: unknown }, name: string): boolean {
  const n = normalizeName(name);
  if (typeof entry.matchName === 'string') return normalizeName(entry.matchName) === n;
  if (typeof entry.matchPattern === 'string') return patternToRegExp(entry.matchPattern).test(n);
  return false;
}

/** A concrete name a pattern matches (stars replaced by a letter), to test coverage by other entries. */
export function sampleName(pattern: string): string {
  return normalizeName(pattern).replace(/^\*\*+\./, 'x.').replace(/\*+/g, 'x');
}
