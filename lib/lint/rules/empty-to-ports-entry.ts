import { asArray } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { allElements, portRulesOf } from '../util/walk';

export const emptyToPortsEntry = defineRule({
  id: 'empty-to-ports-entry',
  severity: 'warning',
  fields: ['toPorts'],
  title: 'A toPorts entry without ports allows nothing',
  rationale:
    '`toPorts: [{}]` (or an entry without `ports`) counts as an L4 restriction but adds no port, so the element allows nothing, not every port (docs/cilium-semantics.md, "How L3 and L4 combine").',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [{ fromEndpoints: [{ matchLabels: { app: 'lb' } }], toPorts: [{}] }],
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
    for (const el of allElements(ctx.policy)) {
      const entries = portRulesOf(el);
      const useful = entries.filter((pr) => asArray(pr.portRule.ports).length > 0);
      for (const pr of entries) {
        if (
          asArray(pr.portRule.ports).length > 0 ||
          asArray(pr.portRule.rules && (pr.portRule.rules as Record<string, unknown>).dns).length > 0
        )
          continue;
        report(
          pr.path,
          `the toPorts entry has no ports, so it ${useful.length === 0 ? 'makes the element allow nothing' : 'adds nothing'}`,
          'list the ports (`ports: [{port: "8080", protocol: TCP}]`), or remove toPorts to allow every port of the peers',
        );
      }
    }
  },
});
