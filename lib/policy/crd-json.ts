import { sortStringsInPlace } from '../util/order';

/**
 * The CRD's name of each field the generated L1 types name otherwise (their converters rename
 * them; test/policy/crd-json.test.ts holds this list to the generated code).
 */
export const CRD_FIELD_NAMES: ReadonlyMap<string, string> = new Map([
  ['fromCidr', 'fromCIDR'],
  ['fromCidrSet', 'fromCIDRSet'],
  ['k8SService', 'k8sService'],
  ['k8SServiceSelector', 'k8sServiceSelector'],
  ['originatingTls', 'originatingTLS'],
  ['terminatingTls', 'terminatingTLS'],
  ['toCidr', 'toCIDR'],
  ['toCidrSet', 'toCIDRSet'],
  ['toFqdNs', 'toFQDNs'],
  ['trustedCa', 'trustedCA'],
]);

const L1_FIELD_NAMES = new Map([...CRD_FIELD_NAMES].map(([l1, crd]) => [crd, l1]));

/** The fields whose value, when it is an object, maps label keys to values: its keys are data. */
export const LABEL_MAP_FIELDS: ReadonlySet<string> = new Set(['labels', 'matchLabels']);

/** Thrown for a value that is not plain data: only cdk8s's own rendering knows what to make of it. */
class NotPlainData extends Error {}

/**
 * Rules rendered in the generated L1 types, as the CRD's JSON: fields renamed to the CRD's, the
 * generated int-or-string classes replaced by their value, null and undefined dropped and every
 * object's keys sorted, as cdk8s writes manifests. Objects built with the same keys in the same
 * order share one V8 hidden class, which keeps every later read of them fast.
 */
export function crdJson(value: unknown): unknown {
  return convert(value, false);
}

function convert(value: unknown, labelMap: boolean): unknown {
  if (value === null || value === undefined) return undefined;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'object':
      break;
    default:
      throw new NotPlainData();
  }
  if (Array.isArray(value)) return value.map((v) => convert(v, false));
  const record = value as Record<string, unknown>;
  if (record.constructor !== Object) return intOrString(record);
  const names = Object.keys(record);
  if (!labelMap) for (let i = 0; i < names.length; i++) names[i] = CRD_FIELD_NAMES.get(names[i]) ?? names[i];
  sortStringsInPlace(names);
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const l1 = labelMap ? undefined : L1_FIELD_NAMES.get(name);
    const v = convert(
      record[l1 !== undefined && l1 in record ? l1 : name],
      !labelMap && LABEL_MAP_FIELDS.has(name),
    );
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** The value of a generated int-or-string class (it holds nothing else). */
function intOrString(value: Record<string, unknown>): number | string {
  const keys = Object.keys(value);
  const v = value.value;
  if (keys.length !== 1 || keys[0] !== 'value' || (typeof v !== 'number' && typeof v !== 'string')) {
    throw new NotPlainData();
  }
  return v;
}
