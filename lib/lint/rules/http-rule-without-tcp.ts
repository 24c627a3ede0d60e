import { isObject, text } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { allElements, portRulesOf, portsOf } from '../util/walk';

const HTTP_GET = { http: [{ method: 'GET', path: '/api/.*' }] };

export const httpRuleWithoutTcp = defineRule({
  id: 'http-rule-without-tcp',
  severity: 'error',
  fields: ['http'],
  title: 'HTTP rules need `protocol: TCP` on every port',
  rationale:
    'Rule.Sanitize rejects L7 rules other than DNS on a port whose protocol is not exactly TCP ("L7 rules can only apply to TCP ... except for DNS rules"); an omitted protocol means ANY and is rejected too (docs/cilium-semantics.md, "Validation").',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [{ toPorts: [{ ports: [{ port: '8080' }], rules: HTTP_GET }] }],
      }),
    ],
    good: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [{ toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }], rules: HTTP_GET }] }],
      }),
    ],
  },
  check(ctx, report) {
    for (const el of allElements(ctx.policy)) {
      for (const pr of portRulesOf(el)) {
        const rules = pr.portRule.rules;
        if (!isObject(rules) || rules.http === undefined) continue;
        for (const p of portsOf(pr)) {
          if (p.port.protocol === 'TCP') continue;
          const proto =
            p.port.protocol === undefined ? 'no protocol (ANY)' : `protocol ${text(p.port.protocol)}`;
          report(
            `${p.path}.protocol`,
            `HTTP rules on a port with ${proto}; Cilium only accepts them with protocol TCP`,
            'add `protocol: TCP` to this port',
          );
        }
      }
    }
  },
});
