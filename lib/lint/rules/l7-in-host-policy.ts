import { isObject } from '../../util/shape';
import { defineRule } from '../util/finding';
import { ccnp } from '../util/examples';
import { elementsOf, portRulesOf, rulesOf } from '../util/walk';

export const l7InHostPolicy = defineRule({
  id: 'l7-in-host-policy',
  severity: 'error',
  fields: ['nodeSelector'],
  title: 'Host policies: no L7 on ingress, only DNS on egress',
  rationale:
    'For rules with a `nodeSelector` (host firewall), Rule.Sanitize rejects any L7 rule on ingress and HTTP rules on egress; DNS rules are allowed on egress (docs/cilium-semantics.md, "Validation").',
  examples: {
    bad: [
      ccnp('nodes', {
        nodeSelector: {},
        ingress: [
          {
            toPorts: [{ ports: [{ port: '10250', protocol: 'TCP' }], rules: { http: [{ method: 'GET' }] } }],
          },
        ],
      }),
    ],
    good: [
      ccnp('nodes', {
        nodeSelector: {},
        ingress: [{ fromEntities: ['cluster'], toPorts: [{ ports: [{ port: '10250', protocol: 'TCP' }] }] }],
      }),
    ],
  },
  check(ctx, report) {
    for (const r of rulesOf(ctx.policy)) {
      if (r.rule.nodeSelector === undefined || r.rule.nodeSelector === null) continue;
      for (const el of elementsOf(r, ['ingress', 'egress'])) {
        for (const pr of portRulesOf(el)) {
          const rules = pr.portRule.rules;
          if (!isObject(rules)) continue;
          const bad = Object.keys(rules).filter(
            (k) => rules[k] !== undefined && (el.direction === 'ingress' || k !== 'dns'),
          );
          if (bad.length > 0) {
            report(
              `${pr.path}.rules`,
              `${bad.join(' and ')} rules in a host policy ${el.direction}; Cilium rejects them`,
              'filter host traffic at L3/L4 only (ports and peers); put L7 rules in pod policies',
            );
          }
        }
      }
    }
  },
});
