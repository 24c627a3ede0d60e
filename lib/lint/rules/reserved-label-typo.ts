import { defineRule } from '../util/finding';
import { ccnp } from '../util/examples';
import { selectorKeys } from '../util/selector';
import { selectorsOf } from '../util/selectors-of';

const SOURCES = ['k8s', 'reserved', 'any', 'container', 'cidr', 'fqdn'];

/** The intended key when a source prefix was written with a dot or as a separate key. */
function intended(raw: string, value: unknown): string | undefined {
  if (raw === 'reserved' && typeof value === 'string' && value !== '') return `'reserved:${value}': ''`;
  for (const s of SOURCES) {
    if (!raw.startsWith(`${s}.`)) continue;
    const rest = raw.slice(s.length + 1);
    if (s === 'k8s' && (rest === 'io' || rest.startsWith('io/'))) return undefined; // k8s.io/... is a real label prefix
    return `${s}:${rest}`;
  }
  return undefined;
}

export const reservedLabelTypo = defineRule({
  id: 'reserved-label-typo',
  severity: 'warning',
  title: 'Source prefixes are written `source:key`',
  rationale:
    'A key without a `source:` prefix becomes `any:<key>`, so `reserved: health` selects the label `any:reserved=health`, which no endpoint has, instead of `reserved:health` (issue #14871); `k8s.app` is a different key from `k8s:app` (docs/cilium-semantics.md, "Label prefixes" and "Validation").',
  examples: {
    bad: [
      ccnp('health', {
        endpointSelector: { matchLabels: { reserved: 'health' } },
        ingress: [{ fromEntities: ['remote-node'] }],
        egress: [{ toEntities: ['remote-node'] }],
      }),
    ],
    good: [
      ccnp('health', {
        endpointSelector: { matchLabels: { 'reserved:health': '' } },
        ingress: [{ fromEntities: ['remote-node'] }],
        egress: [{ toEntities: ['remote-node'] }],
      }),
    ],
  },
  check(ctx, report) {
    for (const s of selectorsOf(ctx.policy)) {
      const labels = (s.selector as { matchLabels?: Record<string, unknown> } | undefined)?.matchLabels;
      for (const k of selectorKeys(s.selector, s)) {
        const value =
          k.path.includes('.matchLabels[') && labels && typeof labels === 'object'
            ? labels[k.raw]
            : undefined;
        const fix = intended(k.raw, value);
        if (fix)
          report(
            k.path,
            `the key ${JSON.stringify(k.raw)} looks like a mistyped source prefix and matches no endpoint`,
            `write ${fix.includes(': ') ? fix : `the key as '${fix}'`}`,
          );
      }
    }
  },
});
