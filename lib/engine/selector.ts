import { Label } from './labels';

/**
 * Cilium endpoint selectors: k8s label selectors whose keys carry a label source
 * (semantics note 1.6: no source = `any:`, `$` = `reserved:`, In/NotIn/Exists/DoesNotExist).
 */

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface Requirement {
  /** `any` matches a label of that key from any source. */
  readonly source: string;
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
  /** Written in `matchLabels` (a CNP subject's namespace label there is overwritten). */
  readonly fromMatchLabels?: boolean;
}

export class SelectorError extends Error {}

/** The identity labels of one peer, indexed by key for selector matching. */
export interface LabelIndex {
  /** key -> labels with that key (any source). */
  readonly byKey: ReadonlyMap<string, readonly Label[]>;
}

/** Splits a selector key into source and key (`app` -> any:app, `$host` -> reserved:host). */
export function normalizeSelectorKey(raw: string): { source: string; key: string } {
  if (raw.startsWith('$')) return { source: 'reserved', key: raw.slice(1) };
  const parts = raw.split(':');
  if (parts.length > 2) throw new SelectorError(`key "${raw}" has more than one ':'`);
  if (parts.length === 1) return { source: 'any', key: raw };
  const [source, key] = parts;
  if (!/^[A-Za-z0-9]+$/.test(source)) throw new SelectorError(`key "${raw}" has a non-alphanumeric source "${source}"`);
  if (key === '') throw new SelectorError(`key "${raw}" has an empty name`);
  return { source, key };
}

const OPERATORS: ReadonlySet<string> = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/** Reads `matchLabels`/`matchExpressions` into requirements; throws SelectorError when Cilium would reject it. */
export function parseLabelSelector(sel: unknown): Requirement[] {
  if (sel === null || sel === undefined) return [];
  if (typeof sel !== 'object' || Array.isArray(sel)) throw new SelectorError('selector must be an object');
  const s = sel as { matchLabels?: unknown; matchExpressions?: unknown };
  const out: Requirement[] = [];
  if (s.matchLabels !== undefined && s.matchLabels !== null) {
    if (typeof s.matchLabels !== 'object' || Array.isArray(s.matchLabels)) throw new SelectorError('matchLabels must be a map');
    for (const [rawKey, rawValue] of Object.entries(s.matchLabels as Record<string, unknown>)) {
      const value = rawValue === null || rawValue === undefined ? '' : String(rawValue);
      if (value.length > 63 || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value)) {
        throw new SelectorError(`matchLabels value "${value}" of "${rawKey}" is not a valid label value`);
      }
      out.push({ ...normalizeSelectorKey(rawKey), operator: 'In', values: [value], fromMatchLabels: true });
    }
  }
  if (s.matchExpressions !== undefined && s.matchExpressions !== null) {
    if (!Array.isArray(s.matchExpressions)) throw new SelectorError('matchExpressions must be a list');
    for (const e of s.matchExpressions as Array<Record<string, unknown>>) {
      if (!e || typeof e !== 'object' || typeof e.key !== 'string') throw new SelectorError('matchExpressions item needs a key');
      const op = String(e.operator);
      if (!OPERATORS.has(op)) throw new SelectorError(`operator "${op}" is not In, NotIn, Exists or DoesNotExist`);
      const values = Array.isArray(e.values) ? e.values.map(String) : [];
      if ((op === 'In' || op === 'NotIn') && values.length === 0) throw new SelectorError(`operator ${op} on "${e.key}" needs values`);
      if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0) throw new SelectorError(`operator ${op} on "${e.key}" takes no values`);
      out.push({ ...normalizeSelectorKey(e.key), operator: op as SelectorOperator, values: [...values].sort() });
    }
  }
  return out;
}

function hasValue(index: LabelIndex, r: Requirement, accept: (value: string) => boolean): boolean {
  const labels = index.byKey.get(r.key);
  if (!labels) return false;
  for (const l of labels) {
    if ((r.source === 'any' || l.source === r.source) && accept(l.value)) return true;
  }
  return false;
}

export function requirementMatches(r: Requirement, index: LabelIndex): boolean {
  switch (r.operator) {
    case 'In': return hasValue(index, r, (v) => r.values.includes(v));
    case 'NotIn': return !hasValue(index, r, (v) => r.values.includes(v));
    case 'Exists': return hasValue(index, r, () => true);
    case 'DoesNotExist': return !hasValue(index, r, () => true);
  }
}

/** A compiled selector (requirements ANDed); `id` indexes the per-identity match cache. */
export class EndpointSelector {
  constructor(readonly id: number, readonly requirements: readonly Requirement[], readonly canonical: string) {}

  matches(index: LabelIndex): boolean {
    for (const r of this.requirements) if (!requirementMatches(r, index)) return false;
    return true;
  }

  hasKey(source: string, key: string): boolean {
    return this.requirements.some((r) => r.source === source && r.key === key);
  }
}

export function canonicalRequirements(reqs: readonly Requirement[]): string {
  return reqs
    .map((r) => `${r.source}:${r.key} ${r.operator} ${r.values.join(',')}`)
    .sort()
    .join(' & ');
}

/** Deduplicates selectors so equal selectors share one cache slot. */
export class SelectorRegistry {
  private readonly byCanonical = new Map<string, EndpointSelector>();
  readonly all: EndpointSelector[] = [];

  intern(reqs: readonly Requirement[]): EndpointSelector {
    const canonical = canonicalRequirements(reqs);
    let sel = this.byCanonical.get(canonical);
    if (!sel) {
      sel = new EndpointSelector(this.all.length, reqs, canonical);
      this.byCanonical.set(canonical, sel);
      this.all.push(sel);
    }
    return sel;
  }
}
