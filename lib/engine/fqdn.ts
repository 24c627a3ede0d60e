/**
 * `toFQDNs` matchName / matchPattern (semantics note 4.1): case-insensitive, trailing dot
 * optional; `*` stays within one label, a leading `**.` is one or more whole labels (never the
 * apex), an all-star pattern matches every name.
 */

const DNS_CHARS = '[-a-z0-9_]';

export function normalizeDnsName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

export const MATCH_NAME_RE = /^([-a-zA-Z0-9_]+[.]?)+$/;
export const MATCH_PATTERN_RE = /^([-a-zA-Z0-9_*]+[.]?)+$/;

export type NameMatcher = (normalizedName: string) => boolean;

export function compileMatchName(matchName: string): NameMatcher {
  const want = normalizeDnsName(matchName);
  return (name) => name === want;
}

export function compileMatchPattern(matchPattern: string): NameMatcher {
  const pattern = normalizeDnsName(matchPattern);
  if (/^\*+$/.test(pattern)) return () => true;
  let rest = pattern;
  let prefix = '';
  const multi = /^\*\*+\./.exec(rest);
  if (multi) {
    prefix = `(?:${DNS_CHARS}+\\.)+`;
    rest = rest.slice(multi[0].length);
  }
  const body = rest
    .split(/(\*+)/)
    .map((part) => (part.startsWith('*') ? `${DNS_CHARS}*` : part.replace(/[.]/g, '\\.')))
    .join('');
  const re = new RegExp(`^${prefix}${body}$`);
  return (name) => re.test(name);
}
