import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { crdSchemaProblems, SchemaProblem } from '../../manifest/crd-schema';
import { splitPath } from '../../manifest/yaml-source';
import { KubeManifest } from '../../manifest/types';
import { show } from '../../util/shape';
import { sharedPerPolicy } from '../util/walk';

/** The CRD validator's problems with a policy, unknown fields included; computed once per lint run. */
export function schemaProblemsOf(policy: KubeManifest): readonly SchemaProblem[] {
  return sharedPerPolicy(policy, 'crd-schema', () => crdSchemaProblems(policy));
}

function valueAt(m: KubeManifest, path: string): unknown {
  let v: unknown = m;
  for (const seg of splitPath(path) ?? []) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

function fixFor(keyword: string | undefined, value: unknown, message: string): string {
  if (typeof value === 'boolean' && /string/.test(message))
    return 'quote the value (e.g. `"yes"`): kubectl reads unquoted yes/no/on/off/y/n/true/false as booleans (YAML 1.1)';
  if (typeof value === 'number' && /string/.test(message)) return `quote the number: "${String(value)}"`;
  if (keyword === 'type' && /array/.test(message))
    return 'write a YAML list here (items starting with `- `), as in the Cilium 1.20 CRD';
  if (keyword === 'type' && /object/.test(message))
    return 'write a mapping here (`key: value` lines), as in the Cilium 1.20 CRD';
  if (keyword === 'enum') return 'use one of the listed values (the CRD enums are case-sensitive)';
  return 'write the field as the Cilium 1.20 CRD describes it (docs/lint-rules.md has an example per rule)';
}

export const crdSchema = defineRule({
  id: 'crd-schema',
  severity: 'error',
  title: 'Policies must fit the Cilium 1.20 CRD schema (types, enums, required fields, limits)',
  rationale:
    'The API server validates a CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy against the structural schema of the 1.20 CRD and refuses it on a wrong type (`toFQDNs:` written as a mapping, an integer `port: 80`, `ingress:` as a mapping), a value outside an enum, a missing required field or a list longer than allowed, so none of its rules ever applies. Unknown fields are reported by `unknown-field`; this rule reports the rest, at the field\'s own line (docs/cilium-semantics.md, "Validation").',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [{ toFQDNs: { matchNames: ['example.com'] } as unknown as [] }],
      }),
    ],
    good: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [{ toEndpoints: [{ matchLabels: { app: 'api' } }] }],
      }),
    ],
  },
  check(ctx, report) {
    const problems = schemaProblemsOf(ctx.policy).filter(
      (p) => p.keyword !== 'additionalProperties' && p.path !== 'kind' && p.path !== 'apiVersion',
    );
    const byPath = new Map<string, typeof problems>();
    for (const p of problems) (byPath.get(p.path) ?? byPath.set(p.path, []).get(p.path)!).push(p);
    for (const [path, list] of byPath) {
      // A failed oneOf/anyOf is explained by its branches' messages at the same or a deeper path.
      const own = list.filter((p) => !(p.keyword === 'oneOf' || p.keyword === 'anyOf') || list.length === 1);
      const messages = [...new Set(own.map((p) => p.message))];
      const value = valueAt(ctx.policy, path);
      report(
        path,
        `the Cilium 1.20 CRD refuses ${show(value)} here: ${messages.join('; ')}`,
        fixFor(own[0]?.keyword, value, messages.join(' ')),
      );
    }
  },
});
