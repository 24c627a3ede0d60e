import { isObject } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { parsePort } from '../../cilium/ports';
import { allElements, portRulesOf, portsOf } from '../util/walk';

export const l7OnPortZero = defineRule({
  id: 'l7-on-port-zero',
  severity: 'error',
  fields: ['rules'],
  title: 'No L7 rules on port 0',
  rationale:
    'Port "0" means every port; Rule.Sanitize rejects L7 rules on it ("L7 rules can not be used when a port is 0", docs/cilium-semantics.md, "Validation"). L7 rules need the concrete port the proxy listens for.',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [
          { toPorts: [{ ports: [{ port: '0', protocol: 'TCP' }], rules: { http: [{ method: 'GET' }] } }] },
        ],
      }),
    ],
    good: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [
          { toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }], rules: { http: [{ method: 'GET' }] } }] },
        ],
      }),
    ],
  },
  check(ctx, report) {
    for (const el of allElements(ctx.policy)) {
      for (const pr of portRulesOf(el)) {
        if (!isObject(pr.portRule.rules) || Object.keys(pr.portRule.rules).length === 0) continue;
        for (const p of portsOf(pr)) {
          const parsed = parsePort(p.port.port);
          if (parsed.kind === 'number' && parsed.value === 0) {
            report(
              `${p.path}.port`,
              'L7 rules on port 0 (all ports); Cilium rejects them',
              'list the concrete port(s) the L7 traffic uses (the container port)',
            );
          }
        }
      }
    }
  },
});
