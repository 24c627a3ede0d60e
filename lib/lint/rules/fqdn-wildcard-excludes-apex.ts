import { defineRule } from '../util/finding';
import { cnp, KUBE_DNS_EGRESS } from '../util/examples';
import { fqdnEntriesOf } from '../util/fqdn-entries';
import { fqdnSelectorMatches, wildcardApex } from '../../cilium/fqdn';

export const fqdnWildcardExcludesApex = defineRule({
  id: 'fqdn-wildcard-excludes-apex',
  severity: 'warning',
  fields: ['toFQDNs', 'dns'],
  title: '`*.example.com` does not match `example.com`',
  rationale:
    'A `*` matches within one DNS label and `**.` one or more labels, never zero: `*.github.com` matches `api.github.com` but not `github.com` (docs/cilium-semantics.md, "matchName and matchPattern"; the CRD description claiming otherwise contradicts the code). Reported when nothing else in the same list of the policy allows the apex.',
  examples: {
    bad: [
      cnp(
        'argocd-repo-server',
        {
          endpointSelector: { matchLabels: { 'app.kubernetes.io/name': 'argocd-repo-server' } },
          egress: [KUBE_DNS_EGRESS, { toFQDNs: [{ matchPattern: '*.github.com' }] }],
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
            { toFQDNs: [{ matchName: 'github.com' }, { matchPattern: '*.github.com' }] },
          ],
        },
        'argocd',
      ),
    ],
  },
  check(ctx, report) {
    const entries = fqdnEntriesOf(ctx.policy);
    for (const f of entries) {
      const pattern = f.entry.matchPattern;
      if (typeof pattern !== 'string') continue;
      const apex = wildcardApex(pattern);
      if (!apex || !apex.includes('.')) continue; // `*.com` is fqdn-pattern-too-broad's concern
      const sameList = entries.filter((e) => e.source === f.source);
      if (sameList.some((e) => fqdnSelectorMatches(e.entry, apex))) continue;
      const where = f.source === 'toFQDNs' ? 'toFQDNs' : 'the DNS rules';
      report(
        `${f.path}.matchPattern`,
        `"${pattern}" does not match the apex ${apex}, and nothing else in ${where} of this policy allows it`,
        `add \`{matchName: "${apex}"}\` next to it${f.source === 'dns' ? '' : ' (and make sure the DNS rule allows it too)'}`,
      );
    }
  },
});
