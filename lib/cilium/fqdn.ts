/**
 * `toFQDNs` and DNS-rule `matchName` / `matchPattern` (docs/cilium-semantics.md, "matchName and matchPattern"; Cilium's `pkg/fqdn/matchpattern`):
 * case-insensitive, trailing dot optional; `*` matches DNS characters within one label, a leading
 * `**.` one or more whole labels (never the apex), an all-star pattern every name.
 */

export const MAX_FQDN_LENGTH = 255;

/**
 * The CRD patterns `^([-a-zA-Z0-9_]+[.]?)+$` and `^([-a-zA-Z0-9_*]+[.]?)+$`, rewritten without the
 * nested quantifier: same language (labels of allowed characters, single dots between them, an
 * optional trailing dot), but linear time, where the CRD form backtracks exponentially on inputs
 * such as 30 letters followed by `..`.
 */
export const MATCH_NAME_RE = /^[-a-zA-Z0-9_]+(\.[-a-zA-Z0-9_]+)*\.?$/;
export const MATCH_PATTERN_RE = /^[-a-zA-Z0-9_*]+(\.[-a-zA-Z0-9_*]+)*\.?$/;

/** The CRD's own spelling of the two patterns, for schema validators that must not run them as written. */
export const CRD_MATCH_NAME_PATTERN = '^([-a-zA-Z0-9_]+[.]?)+$';
export const CRD_MATCH_PATTERN_PATTERN = '^([-a-zA-Z0-9_*]+[.]?)+$';

const DNS_CHARS = '[-a-z0-9_]';

export function isValidMatchName(s: unknown): s is string {
  return typeof s === 'string' && s.length > 0 && s.length <= MAX_FQDN_LENGTH && MATCH_NAME_RE.test(s);
}

export function isValidMatchPattern(s: unknown): s is string {
  return typeof s === 'string' && s.length > 0 && s.length <= MAX_FQDN_LENGTH && MATCH_PATTERN_RE.test(s);
}

/** Lowercased, without the trailing dot. */
export function normalizeDnsName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** Whether the pattern matches every name (`*`, `**`, `*.`). */
export function isMatchAllPattern(pattern: string): boolean {
  return /^\*+\.?$/.test(pattern);
}

/** A name matcher over normalized names (see normalizeDnsName). */
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

/** Whether a `{matchName}` or `{matchPattern}` item matches a DNS name; false for anything else. */
export function fqdnSelectorMatches(
  selector: { readonly matchName?: unknown; readonly matchPattern?: unknown },
  name: string,
): boolean {
  const normalized = normalizeDnsName(name);
  if (typeof selector.matchName === 'string') return compileMatchName(selector.matchName)(normalized);
  if (typeof selector.matchPattern === 'string')
    return compileMatchPattern(selector.matchPattern)(normalized);
  return false;
}

/**
 * The apex a `*.x` / `**.x` pattern never matches (`x`, lowercased, without a trailing dot), or
 * undefined when the pattern has no such form.
 */
export function wildcardApex(pattern: string): string | undefined {
  const m = /^\*+\.([^*]+?)\.?$/.exec(pattern);
  return m ? m[1].toLowerCase() : undefined;
}

/**
 * An example DNS name a pattern matches: `*.github.com` and `**.github.com` give
 * `api.github.com`; a `*` inside a label becomes `x`; an all-star pattern gives `www.example.com`.
 */
export function exampleName(pattern: string): string {
  const p = normalizeDnsName(pattern);
  if (/^\*+$/.test(p)) return 'www.example.com';
  return p
    .split('.')
    .map((label, i) => (/^\*+$/.test(label) ? (i === 0 ? 'api' : 'x') : label.replace(/\*+/g, 'x')))
    .join('.');
}
