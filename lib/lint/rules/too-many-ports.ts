import { asArray } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { allElements, portRulesOf } from '../util/walk';
import { MAX_PORTS as MAX } from '../../cilium/sanitize';

const ports = (n: number): Array<{ port: string; protocol: string }> =>
  Array.from({ length: n }, (_, i) => ({ port: String(8000 + i), protocol: 'TCP' }));

export const tooManyPorts = defineRule({
  id: 'too-many-ports',
  severity: 'error',
  fields: ['ports'],
  title: 'At most 40 ports per toPorts entry',
  rationale:
    'The CRD (`maxItems: 40`) and Rule.Sanitize reject more than 40 `ports` in one toPorts entry, in allow and deny rules alike (docs/cilium-semantics.md, "Ports" and "Validation").',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [{ toPorts: [{ ports: ports(41) }] }],
      }),
    ],
    good: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [{ toPorts: [{ ports: [{ port: '8000', endPort: 8040, protocol: 'TCP' }] }] }],
      }),
    ],
  },
  check(ctx, report) {
    for (const el of allElements(ctx.policy)) {
      for (const pr of portRulesOf(el)) {
        const n = asArray(pr.portRule.ports).length;
        if (n > MAX) {
          report(
            `${pr.path}.ports`,
            `${n} ports in one toPorts entry; Cilium accepts at most ${MAX}`,
            'use port ranges (port + endPort) or split the ports over several toPorts entries',
          );
        }
      }
    }
  },
});
