import {
  invalidSelectorKeyReason,
  isLabelValue,
  isSelectorOperator,
  SelectorKey,
  splitSelectorKey,
} from '../cilium/label-keys';
import { Label } from '../cilium/labels';
import { Requirement, requirementHolds } from '../cilium/requirements';

/** Cilium endpoint selectors compiled for matching (docs/cilium-semantics.md, "Selectors"). */

export class SelectorError extends Error {}

/** The identity labels of one peer, for selector matching. */
export interface LabelIndex {
  /** A few labels: matching scans them rather than indexing them by key. */
  readonly labels: readonly Label[];
}

/** Splits a selector key into source and key; throws SelectorError when Cilium would reject the key. */
export function normalizeSelectorKey(raw: string): SelectorKey {
  const why = invalidSelectorKeyReason(raw);
  if (why) throw new SelectorError(`key "${raw}" is invalid: ${why}`);
  return splitSelectorKey(raw);
}

/** Reads `matchLabels`/`matchExpressions` into requirements; throws SelectorError when Cilium would reject it. */
export function parseLabelSelector(sel: unknown): Requirement[] {
  if (sel === null || sel === undefined) return [];
  if (typeof sel !== 'object' || Array.isArray(sel)) throw new SelectorError('selector must be an object');
  const s = sel as { matchLabels?: unknown; matchExpressions?: unknown };
  const out: Requirement[] = [];
  if (s.matchLabels !== undefined && s.matchLabels !== null) {
    if (typeof s.matchLabels !== 'object' || Array.isArray(s.matchLabels))
      throw new SelectorError('matchLabels must be a map');
    for (const [rawKey, rawValue] of Object.entries(s.matchLabels as Record<string, unknown>)) {
      const value = rawValue === null || rawValue === undefined ? '' : String(rawValue);
      if (!isLabelValue(value))
        throw new SelectorError(`matchLabels value "${value}" of "${rawKey}" is not a valid label value`);
      const { source, key } = normalizeSelectorKey(rawKey);
      out.push({ source, key, operator: 'In', values: [value], fromMatchLabels: true });
    }
  }
  if (s.matchExpressions !== undefined && s.matchExpressions !== null) {
    if (!Array.isArray(s.matchExpressions)) throw new SelectorError('matchExpressions must be a list');
    for (const e of s.matchExpressions as Array<Record<string, unknown>>) {
      if (!e || typeof e !== 'object' || typeof e.key !== 'string')
        throw new SelectorError('matchExpressions item needs a key');
      const op = e.operator;
      if (!isSelectorOperator(op))
        throw new SelectorError(`operator "${String(op)}" is not In, NotIn, Exists or DoesNotExist`);
      const values = Array.isArray(e.values) ? e.values.map(String) : [];
      if ((op === 'In' || op === 'NotIn') && values.length === 0)
        throw new SelectorError(`operator ${op} on "${e.key}" needs values`);
      if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0)
        throw new SelectorError(`operator ${op} on "${e.key}" takes no values`);
      const bad = values.find((v) => !isLabelValue(v));
      if (bad !== undefined)
        throw new SelectorError(`value "${bad}" of "${e.key}" is not a valid label value`);
      const { source, key } = normalizeSelectorKey(e.key);
      out.push({ source, key, operator: op, values: [...values].sort() });
    }
  }
  return out;
}

export function requirementMatches(r: Requirement, index: LabelIndex): boolean {
  return requirementHolds(r, index.labels);
}

/** A compiled selector (requirements ANDed). */
export class CompiledSelector {
  constructor(
    readonly requirements: readonly Requirement[],
    readonly canonical: string,
  ) {}

  matches(index: LabelIndex): boolean {
    for (const r of this.requirements) if (!requirementMatches(r, index)) return false;
    return true;
  }

  hasKey(source: string, key: string): boolean {
    return this.requirements.some((r) => r.source === source && r.key === key);
  }
}

export function canonicalRequirements(reqs: readonly Requirement[]): string {
  // (Most selectors have one or two requirements: no list to sort for one.)
  if (reqs.length === 1) return requirementText(reqs[0]);
  if (reqs.length === 2) {
    const a = requirementText(reqs[0]);
    const b = requirementText(reqs[1]);
    return a <= b ? `${a} & ${b}` : `${b} & ${a}`;
  }
  const texts: string[] = [];
  for (const r of reqs) texts.push(requirementText(r));
  return texts.sort().join(' & ');
}

function requirementText(r: Requirement): string {
  return `${r.source}:${r.key} ${r.operator} ${r.values.length === 1 ? r.values[0] : r.values.join(',')}`;
}

/**
 * A text equal for two selectors exactly when `parseLabelSelector` reads the same from them, for
 * selectors of `matchLabels` only with scalar values; undefined for any other selector.
 */
export function matchLabelsText(sel: unknown): string | undefined {
  if (typeof sel !== 'object' || sel === null || Array.isArray(sel)) return undefined;
  const s = sel as { matchLabels?: unknown; matchExpressions?: unknown };
  if (s.matchExpressions !== undefined && s.matchExpressions !== null) return undefined;
  const labels = s.matchLabels;
  if (labels === undefined || labels === null) return '';
  if (typeof labels !== 'object' || Array.isArray(labels)) return undefined;
  let text = '';
  for (const key of Object.keys(labels)) {
    const raw = (labels as Record<string, unknown>)[key];
    const value =
      raw === null || raw === undefined
        ? ''
        : typeof raw === 'string'
          ? raw
          : typeof raw === 'number' || typeof raw === 'boolean'
            ? String(raw)
            : undefined;
    if (value === undefined) return undefined;
    // Lengths first: no two different key/value lists give the same text.
    text += `${key.length}:${key}${value.length}:${value}`;
  }
  return text;
}

/** Deduplicates selectors so equal selectors are one object. */
export class SelectorRegistry {
  private readonly byCanonical = new Map<string, CompiledSelector>();

  intern(reqs: readonly Requirement[]): CompiledSelector {
    const canonical = canonicalRequirements(reqs);
    let sel = this.byCanonical.get(canonical);
    if (!sel) {
      sel = new CompiledSelector(reqs, canonical);
      this.byCanonical.set(canonical, sel);
    }
    return sel;
  }
}
