import { isObject } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { allElements, portRulesOf } from '../util/walk';

export const removedField = defineRule({
  id: 'removed-field',
  severity: 'error',
  fields: ['fromRequires', 'toRequires', 'kafka', 'l7', 'l7proto'],
  title: 'Fields removed from Cilium 1.20',
  rationale:
    '`fromRequires`/`toRequires` were removed in 1.19 (CRD `maxItems: 0`); Kafka and generic `l7`/`l7proto` rules are gone from the 1.20 CRD, whose `rules` only has `http` and `dns`: the apiserver drops them silently and the port rule then allows all traffic on the port (docs/cilium-semantics.md, "How L3 and L4 combine" and "Validation").',
  examples: {
    bad: [
      cnp('prod', {
        endpointSelector: { matchLabels: { env: 'prod' } },
        ingress: [{ fromRequires: [{ matchLabels: { env: 'prod' } }] }],
      }),
    ],
    good: [
      cnp('prod', {
        endpointSelector: { matchLabels: { env: 'prod' } },
        ingress: [{ fromEndpoints: [{ matchLabels: { env: 'prod' } }] }],
      }),
    ],
  },
  check(ctx, report) {
    for (const el of allElements(ctx.policy)) {
      for (const field of ['fromRequires', 'toRequires']) {
        if (el.element[field] !== undefined) {
          report(
            `${el.path}.${field}`,
            `${field} was removed in Cilium 1.19 and the 1.20 CRD rejects it`,
            `require the labels in every peer selector instead (add them to each ${field.startsWith('from') ? 'fromEndpoints' : 'toEndpoints'} matchLabels), or use a deny rule for peers without them`,
          );
        }
      }
      for (const pr of portRulesOf(el)) {
        const rules = pr.portRule.rules;
        if (!isObject(rules)) continue;
        for (const key of ['kafka', 'l7', 'l7proto']) {
          if (rules[key] !== undefined) {
            report(
              `${pr.path}.rules.${key}`,
              `rules.${key} is not in the 1.20 CRD: the apiserver drops it and the port is then allowed without L7 filtering`,
              'use rules.http or rules.dns, or restrict the traffic at L3/L4 only',
            );
          }
        }
      }
    }
  },
});
