import { defineRule } from '../util/finding';
import { cnp, KUBE_DNS_EGRESS } from '../util/examples';
import { dnsProxyCoverage } from '../util/dns-coverage';
import { parsePort } from '../../cilium/ports';
import { isNonEmptyArray } from '../../util/shape';
import { elementsOf, portRulesOf, portsOf, rulesOf } from '../util/walk';

const KUBE_DNS_NO_PROXY = {
  toEndpoints: KUBE_DNS_EGRESS.toEndpoints,
  toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }] }],
};

export const fqdnWithoutDnsProxy = defineRule({
  id: 'fqdn-without-dns-proxy',
  severity: 'error',
  fields: ['toFQDNs'],
  title: '`toFQDNs` needs a DNS rule (`rules: dns`) on the same endpoints',
  rationale:
    'toFQDNs only learns IPs from DNS answers the DNS proxy sees, and the proxy only sees queries allowed by an egress rule with `rules: dns` (layer3.rst / layer7.rst "DNS Proxy"). A DNS egress to kube-dns without `rules: dns` lets the lookup succeed while the FQDN selector stays empty, so the connection is dropped as world (issue #11767, docs/cilium-semantics.md, "The DNS rule"). The DNS rule may sit in another policy, but it must select the same endpoints.',
  examples: {
    bad: [
      cnp(
        'argocd-repo-server',
        {
          endpointSelector: { matchLabels: { 'app.kubernetes.io/name': 'argocd-repo-server' } },
          egress: [
            KUBE_DNS_NO_PROXY,
            {
              toFQDNs: [{ matchName: 'github.com' }],
              toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }],
            },
          ],
        },
        'argocd',
      ),
    ],
    good: [
      cnp(
        'argocd-repo-server',
        {
          endpointSelector: { matchLabels: { 'app.kubernetes.io/name': 'argocd-repo-server' } },
          egress: [
            KUBE_DNS_EGRESS,
            {
              toFQDNs: [{ matchName: 'github.com' }],
              toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }],
            },
          ],
        },
        'argocd',
      ),
    ],
  },
  check(ctx, report) {
    for (const rule of rulesOf(ctx.policy)) {
      const fqdnElements = elementsOf(rule, ['egress']).filter((el) => isNonEmptyArray(el.element.toFQDNs));
      if (fqdnElements.length === 0 || dnsProxyCoverage(ctx.policy, rule, ctx.cluster)) continue;
      const dnsPortRule = elementsOf(rule, ['egress'])
        .flatMap(portRulesOf)
        .find((pr) =>
          portsOf(pr).some((p) => {
            const port = parsePort(p.port.port);
            return port.kind === 'number' && port.value === 53;
          }),
        );
      for (const el of fqdnElements) {
        if (dnsPortRule) {
          report(
            `${el.path}.toFQDNs`,
            `toFQDNs never learns IPs: the DNS egress at ${dnsPortRule.path} allows port 53 but has no \`rules: dns\`, so the DNS proxy never sees the answers`,
            `add \`rules: {dns: [{matchPattern: "*"}]}\` to ${dnsPortRule.path}`,
          );
        } else {
          report(
            `${el.path}.toFQDNs`,
            'toFQDNs never learns IPs: no egress rule with `rules: dns` selects these endpoints, so the DNS proxy never sees their lookups',
            'add an egress element to kube-dns with the DNS proxy: `{toEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: kube-system, k8s:k8s-app: kube-dns}}], toPorts: [{ports: [{port: "53", protocol: ANY}], rules: {dns: [{matchPattern: "*"}]}}]}`',
          );
        }
      }
    }
  },
});
