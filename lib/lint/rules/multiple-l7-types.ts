import { isObject } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { allElements, portRulesOf } from '../util/walk';

const L7_KEYS = ['http', 'dns', 'kafka', 'l7'];

export const multipleL7Types = defineRule({
  id: 'multiple-l7-types',
  severity: 'error',
  fields: ['rules'],
  title: 'One L7 protocol per `rules` block',
  rationale:
    'A `rules` block holds exactly one of `http` or `dns` (CRD oneOf and Sanitize, docs/cilium-semantics.md, "Validation"); a port cannot be both HTTP and DNS.',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [
          {
            toPorts: [
              {
                ports: [{ port: '53', protocol: 'TCP' }],
                rules: { dns: [{ matchPattern: '*' }], http: [{}] },
              },
            ],
          },
        ],
      }),
    ],
    good: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [
          {
            toPorts: [{ ports: [{ port: '53', protocol: 'TCP' }], rules: { dns: [{ matchPattern: '*' }] } }],
          },
        ],
      }),
    ],
  },
  check(ctx, report) {
    for (const el of allElements(ctx.policy)) {
      for (const pr of portRulesOf(el)) {
        const rules = pr.portRule.rules;
        if (!isObject(rules)) continue;
        const kinds = L7_KEYS.filter((k) => rules[k] !== undefined);
        if (kinds.length > 1)
          report(
            `${pr.path}.rules`,
            `rules combines ${kinds.join(' and ')}; Cilium accepts one L7 protocol per toPorts entry`,
            'keep one protocol per toPorts entry; DNS rules belong on the DNS port (53), HTTP rules on the HTTP port',
          );
      }
    }
  },
});
