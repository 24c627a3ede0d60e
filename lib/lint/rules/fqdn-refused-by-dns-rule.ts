import { asArray, isObject, text } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { dnsProxyCoverage } from '../util/dns-coverage';
import { exampleName, fqdnSelectorMatches } from '../../cilium/fqdn';
import { elementsOf, rulesOf } from '../util/walk';

const KUBE_DNS_TO = [
  { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' } },
];
const dnsEgress = (patterns: Array<Record<string, string>>) => ({
  toEndpoints: KUBE_DNS_TO,
  toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: patterns } }],
});

export const fqdnRefusedByDnsRule = defineRule({
  id: 'fqdn-refused-by-dns-rule',
  severity: 'warning',
  fields: ['toFQDNs'],
  title: 'The DNS rules must allow the names toFQDNs uses',
  rationale:
    'A DNS rule that does not match a query makes the proxy answer REFUSED, so the name never resolves and its IPs are never learned for toFQDNs (docs/cilium-semantics.md, "The DNS rule" and "DNS rule constraints"). Checked against the DNS rules of every policy that selects the same endpoints.',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [
          dnsEgress([{ matchPattern: '*.cluster.local' }]),
          { toFQDNs: [{ matchName: 'api.github.com' }] },
        ],
      }),
    ],
    good: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [dnsEgress([{ matchPattern: '*' }]), { toFQDNs: [{ matchName: 'api.github.com' }] }],
      }),
    ],
  },
  check(ctx, report) {
    for (const rule of rulesOf(ctx.policy)) {
      const fqdnElements = elementsOf(rule, ['egress']).filter(
        (el) => asArray(el.element.toFQDNs).length > 0,
      );
      if (fqdnElements.length === 0) continue;
      const coverage = dnsProxyCoverage(ctx.policy, rule, ctx.cluster);
      if (!coverage) continue; // fqdn-without-dns-proxy reports it
      const entries = coverage.flatMap((c) => c.entries);
      for (const el of fqdnElements) {
        asArray(el.element.toFQDNs).forEach((f, i) => {
          if (!isObject(f)) return;
          const name =
            typeof f.matchName === 'string'
              ? f.matchName
              : typeof f.matchPattern === 'string'
                ? exampleName(f.matchPattern)
                : undefined;
          if (!name || entries.some((e) => fqdnSelectorMatches(e, name))) return;
          const shown = typeof f.matchName === 'string' ? f.matchName : text(f.matchPattern);
          report(
            `${el.path}.toFQDNs[${i}]`,
            `no DNS rule selecting these endpoints allows lookups of ${shown}, so the proxy answers REFUSED and no IP is learned`,
            `add \`{${typeof f.matchName === 'string' ? 'matchName' : 'matchPattern'}: "${shown}"}\` to the DNS rule, or use \`matchPattern: "*"\` there`,
          );
        });
      }
    }
  },
});
