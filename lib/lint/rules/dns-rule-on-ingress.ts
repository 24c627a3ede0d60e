import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { allElements, dnsRulesOf } from '../util/walk';

export const dnsRuleOnIngress = defineRule({
  id: 'dns-rule-on-ingress',
  severity: 'error',
  fields: ['dns'],
  title: 'DNS rules are egress only',
  rationale:
    'The DNS proxy intercepts a pod\'s outgoing queries; Rule.Sanitize rejects `rules.dns` on ingress ("DNS rules are not allowed on ingress", docs/cilium-semantics.md, "DNS rule constraints" and "Validation").',
  examples: {
    bad: [
      cnp(
        'coredns',
        {
          endpointSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          ingress: [
            {
              toPorts: [
                { ports: [{ port: '53', protocol: 'UDP' }], rules: { dns: [{ matchPattern: '*' }] } },
              ],
            },
          ],
        },
        'kube-system',
      ),
    ],
    good: [
      cnp(
        'coredns',
        {
          endpointSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          ingress: [{ toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }] }] }],
        },
        'kube-system',
      ),
    ],
  },
  check(ctx, report) {
    for (const el of allElements(ctx.policy, ['ingress'])) {
      for (const d of dnsRulesOf(el)) {
        report(
          d.path,
          'DNS rules on ingress; Cilium rejects them',
          "remove rules.dns here (keep the port rule) and put the DNS rule on the clients' egress to kube-dns",
        );
      }
    }
  },
});
