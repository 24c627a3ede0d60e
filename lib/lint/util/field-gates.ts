import { KubeManifest } from '../../manifest/types';
import { PlainObject } from '../../util/shape';

/**
 * The field names a lint run's rules are gated on (see LintRule.fields), each given one of 31
 * bits. With more names than bits some share one: a rule then runs on a policy holding a name
 * sharing its bit, never skipped on one holding its own.
 */
export type FieldBits = ReadonlyMap<string, number>;

export function fieldBits(fieldLists: ReadonlyArray<readonly string[] | undefined>): FieldBits {
  const bits = new Map<string, number>();
  for (const fields of fieldLists)
    for (const f of fields ?? []) if (!bits.has(f)) bits.set(f, 1 << (bits.size % 31));
  return bits;
}

/** The bits of a rule's fields. */
export function maskOf(fields: readonly string[], bits: FieldBits): number {
  let mask = 0;
  for (const f of fields) mask |= bits.get(f) ?? 0;
  return mask;
}

/** A policy mask meaning "nothing known absent" (see fieldMaskOf). */
export const ANY_FIELD = -1;

/**
 * The bits of the gated field names anywhere in the policy's rules (`spec`, `specs`), label
 * selectors' keys and expressions aside; ANY_FIELD when the rules nest deeper than any policy does.
 */
export function fieldMaskOf(policy: KubeManifest, bits: FieldBits): number {
  if (bits.size === 0) return 0;
  const spec = addFieldBits(policy.spec, bits, 0);
  if (spec === ANY_FIELD) return ANY_FIELD;
  const specs = addFieldBits(policy.specs, bits, 0);
  return specs === ANY_FIELD ? ANY_FIELD : spec | specs;
}

const MAX_DEPTH = 64;

function addFieldBits(value: unknown, bits: FieldBits, depth: number): number {
  if (typeof value !== 'object' || value === null) return 0;
  if (depth > MAX_DEPTH) return ANY_FIELD;
  let mask = 0;
  if (Array.isArray(value)) {
    for (const item of value) {
      const m = addFieldBits(item, bits, depth + 1);
      if (m === ANY_FIELD) return ANY_FIELD;
      mask |= m;
    }
    return mask;
  }
  for (const key in value) {
    mask |= bits.get(key) ?? 0;
    // Label keys and expressions name no policy field.
    if (key === 'matchLabels' || key === 'matchExpressions') continue;
    const m = addFieldBits((value as PlainObject)[key], bits, depth + 1);
    if (m === ANY_FIELD) return ANY_FIELD;
    mask |= m;
  }
  return mask;
}
