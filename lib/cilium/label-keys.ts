/**
 * Selector keys and values as Cilium reads and validates them (docs/cilium-semantics.md,
 * "Selectors", "Label prefixes" and "Validation"): `source:key` where the source is alphanumeric, no
 * source means `any:` (a label of that key from any source), a leading `$` means `reserved:`.
 */

export interface SelectorKey {
  readonly source: string;
  readonly key: string;
}

export const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;
export type SelectorOperator = (typeof SELECTOR_OPERATORS)[number];

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const SOURCE = /^[A-Za-z0-9]+$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Splits a selector key into source and key: `k8s:app` -> k8s/app, `app` -> any/app, `$host` -> reserved/host. */
export function splitSelectorKey(raw: string): SelectorKey {
  if (raw.startsWith('$')) return { source: 'reserved', key: raw.slice(1) };
  const colon = raw.indexOf(':');
  if (colon < 0) return { source: 'any', key: raw };
  return { source: raw.slice(0, colon), key: raw.slice(colon + 1) };
}

/**
 * Why `Rule.Sanitize` rejects a selector key, or undefined when it is valid: at most one `:`, an
 * alphanumeric source, then a Kubernetes qualified name (`prefix/name`). The `$` shorthand is
 * not a qualified name, so a policy cannot use it.
 */
export function invalidSelectorKeyReason(raw: string): string | undefined {
  // Policies repeat a handful of keys thousands of times; '' records a valid key.
  const known = keyReasons.get(raw);
  if (known !== undefined) return known === '' ? undefined : known;
  if (keyReasons.size >= KEY_REASONS_KEPT) keyReasons.clear();
  const why = selectorKeyReason(raw);
  keyReasons.set(raw, why ?? '');
  return why;
}

const keyReasons = new Map<string, string>();
const KEY_REASONS_KEPT = 4096;

function selectorKeyReason(raw: string): string | undefined {
  if (raw.startsWith('$'))
    return `the \`$\` shorthand is not a valid key in a policy; write \`reserved:${raw.slice(1)}\``;
  const parts = raw.split(':');
  if (parts.length > 2)
    return "it has more than one ':'; at most one `:` may separate the source from the key";
  const [source, key] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (source !== undefined && !SOURCE.test(source)) return `its source \`${source}\` is not alphanumeric`;
  return invalidLabelKeyReason(key);
}

/** Why a Kubernetes label key (`prefix/name`, no source) is invalid, or undefined when it is valid. */
export function invalidLabelKeyReason(key: string): string | undefined {
  if (key === '') return 'the key is empty';
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)))
    return `its prefix \`${prefix}\` is not a DNS subdomain`;
  if (name.length > 63 || !LABEL_NAME.test(name)) {
    return `\`${name}\` is not a label name (at most 63 characters: letters, digits, '-', '_', '.', starting and ending alphanumeric)`;
  }
  return undefined;
}

/** A Kubernetes label value: empty, or at most 63 characters, alphanumeric at both ends, `-_.` inside. */
export function isLabelValue(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 63 && LABEL_VALUE.test(value);
}

/** A Kubernetes namespace name (RFC 1123 label). */
export function isNamespaceName(name: unknown): name is string {
  return typeof name === 'string' && name.length <= 63 && DNS_LABEL.test(name);
}

export function isSelectorOperator(op: unknown): op is SelectorOperator {
  return (SELECTOR_OPERATORS as readonly unknown[]).includes(op);
}
