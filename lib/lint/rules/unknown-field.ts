import { isObject, PlainObject, text } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { policySchema } from '../../manifest/crd-schema';
import { schemaProblemsOf } from './crd-schema';

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length][b.length];
}

function closest(key: string, known: string[]): string | undefined {
  const lower = key.toLowerCase();
  const exact = known.find((k) => k.toLowerCase() === lower);
  if (exact) return exact;
  const extended = known.filter((k) => k.toLowerCase().startsWith(lower)).sort();
  if (lower.length >= 3 && extended.length === 1) return extended[0];
  const scored = known
    .map((k) => ({ k, d: distance(lower, k.toLowerCase()) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(key.length / 4)));
  scored.sort((a, b) => a.d - b.d || (a.k < b.k ? -1 : 1));
  return scored[0]?.k;
}

type Visit = (path: string, key: string, known: string[]) => void;

function walk(schema: PlainObject, value: unknown, path: string, visit: Visit): void {
  if (schema['x-kubernetes-preserve-unknown-fields'] === true) return;
  if (Array.isArray(value)) {
    if (isObject(schema.items))
      value.forEach((v, i) => walk(schema.items as PlainObject, v, `${path}[${i}]`, visit));
    return;
  }
  if (!isObject(value)) return;
  const props = isObject(schema.properties) ? schema.properties : undefined;
  if (!props) {
    if (isObject(schema.additionalProperties))
      for (const [k, v] of Object.entries(value))
        walk(schema.additionalProperties, v, `${path}[${JSON.stringify(k)}]`, visit);
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    const sub = props[k];
    if (isObject(sub)) walk(sub, v, path ? `${path}.${k}` : k, visit);
    else visit(path, k, Object.keys(props));
  }
}

/**
 * Whether the CRD validator (which rejects unknown fields wherever the schema lists properties,
 * lib/manifest/crd-schema.ts) reports an `additionalProperties` problem wherever `walk` finds an
 * unknown field: each schema whose `properties` the walk reads is a `type: object` without an
 * `additionalProperties` of its own, and each schema the walk descends through has the type the
 * walk requires of the value. The rule relies on it for the shipped CRDs, so it reads them only
 * when the validator found an unknown field.
 */
export function validatorRejectsWhatWalkFinds(schema: PlainObject): boolean {
  if (schema['x-kubernetes-preserve-unknown-fields'] === true) return true;
  const type = schema.type;
  if (
    isObject(schema.items) &&
    !((type === undefined || type === 'array') && validatorRejectsWhatWalkFinds(schema.items))
  )
    return false;
  if (isObject(schema.properties)) {
    if (
      type !== 'object' ||
      (schema.additionalProperties !== undefined && schema.additionalProperties !== false)
    )
      return false;
    return Object.values(schema.properties).every(
      (sub) => !isObject(sub) || validatorRejectsWhatWalkFinds(sub),
    );
  }
  if (isObject(schema.additionalProperties))
    return (
      (type === undefined || type === 'object') && validatorRejectsWhatWalkFinds(schema.additionalProperties)
    );
  return true;
}

export const unknownField = defineRule({
  id: 'unknown-field',
  severity: 'error',
  title: 'Fields that are not in the Cilium 1.20 CRD',
  rationale:
    'The apiserver validates policies against the CRD schema: with strict field validation (kubectl\'s default) an unknown field rejects the object, otherwise it is pruned silently, so a typo such as `toport` or `fromEndpoint` disappears and the rule means something else (docs/cilium-semantics.md, "Validation").',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [{ fromEndpoint: [{ matchLabels: { app: 'lb' } }] }],
      }),
    ],
    good: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [{ fromEndpoints: [{ matchLabels: { app: 'lb' } }] }],
      }),
    ],
  },
  check(ctx, report) {
    // The validator crd-schema runs has visited every field already and rejects each one the walk
    // reports (validatorRejectsWhatWalkFinds holds for the shipped CRDs, as
    // test/lint/unknown-field-walk.test.ts checks): walk, and read the CRD, only to name what it found.
    if (!schemaProblemsOf(ctx.policy).some((p) => p.keyword === 'additionalProperties')) return;
    const schema = policySchema(text(ctx.policy.kind));
    if (!schema || !isObject(schema.properties)) return;
    const top: PlainObject = {};
    for (const k of ['spec', 'specs']) if (ctx.policy[k] !== undefined) top[k] = ctx.policy[k];
    for (const k of Object.keys(ctx.policy)) {
      if (!(k in (schema.properties as PlainObject))) top[k] = ctx.policy[k];
    }
    walk(schema, top, '', (path, key, known) => {
      const suggestion = closest(key, known);
      const at = path ? `${path}.${key}` : key;
      report(
        at,
        `${key} is not a field of ${text(ctx.policy.kind)}${path ? ` at ${path}` : ''}; the apiserver rejects it (strict validation) or drops it silently`,
        suggestion ? `rename it to ${suggestion}` : `remove it; valid fields here: ${known.join(', ')}`,
      );
    });
  },
});
