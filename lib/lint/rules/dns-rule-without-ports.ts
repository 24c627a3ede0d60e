import { asArray } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { allElements, dnsRulesOf } from '../util/walk';

export const dnsRuleWithoutPorts = defineRule({
  id: 'dns-rule-without-ports',
  severity: 'error',
  fields: ['dns'],
  title: 'DNS rules need their port listed',
  rationale:
    'Rule.Sanitize rejects `rules.dns` in a toPorts entry without `ports` ("port 53 must be specified for DNS rules"); any port is accepted and must be the DNS backend port (docs/cilium-semantics.md, "DNS rule constraints" and "Validation").',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [
          {
            toEndpoints: [
              {
                matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' },
              },
            ],
            toPorts: [{ rules: { dns: [{ matchPattern: '*' }] } }],
          },
        ],
      }),
    ],
    good: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [
          {
            toEndpoints: [
              {
                matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' },
              },
            ],
            toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }],
          },
        ],
      }),
    ],
  },
  check(ctx, report) {
    for (const el of allElements(ctx.policy)) {
      for (const d of dnsRulesOf(el)) {
        if (asArray(d.portRule.portRule.ports).length === 0) {
          report(
            d.portRule.path,
            'DNS rules without ports; Cilium rejects them',
            'add `ports: [{port: "53", protocol: ANY}]` (the DNS backend port, e.g. 53 for CoreDNS behind kube-dns)',
          );
        }
      }
    }
  },
});
