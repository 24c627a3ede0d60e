import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { parsePort } from '../../cilium/ports';
import { allElements, dnsRulesOf, portsOf } from '../util/walk';

export const dnsRulePortRange = defineRule({
  id: 'dns-rule-port-range',
  severity: 'error',
  fields: ['dns'],
  title: 'DNS rules take single ports, not ranges',
  rationale:
    'Rule.Sanitize rejects a DNS rule whose port has `endPort` above `port` ("DNS rules do not support port ranges"); see docs/cilium-semantics.md, "Port ranges" and "DNS rule constraints".',
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
            toPorts: [
              {
                ports: [{ port: '53', endPort: 54, protocol: 'UDP' }],
                rules: { dns: [{ matchPattern: '*' }] },
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
            toEndpoints: [
              {
                matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' },
              },
            ],
            toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }], rules: { dns: [{ matchPattern: '*' }] } }],
          },
        ],
      }),
    ],
  },
  check(ctx, report) {
    for (const el of allElements(ctx.policy)) {
      for (const d of dnsRulesOf(el)) {
        for (const p of portsOf(d.portRule)) {
          const start = parsePort(p.port.port);
          const end = p.port.endPort;
          if (typeof end === 'number' && start.kind === 'number' && start.value > 0 && end > start.value) {
            report(
              `${p.path}.endPort`,
              `a DNS rule on the port range ${start.value}-${end}; Cilium rejects DNS rules on ranges`,
              'remove endPort and list each DNS port separately (usually just "53")',
            );
          }
        }
      }
    }
  },
});
