import { defineRule } from '../util/finding';
import { cnp, KUBE_DNS_EGRESS } from '../util/examples';
import { fqdnEntriesOf } from '../util/fqdn-entries';
import { isMatchAllPattern } from '../../cilium/fqdn';
import { endsWithTldWildcard } from './fqdn-pattern-dead';

/** Two-label public suffixes under which a single wildcard label is still "anyone's domain". */
const TWO_LABEL_SUFFIXES = new Set([
  'co.uk',
  'org.uk',
  'ac.uk',
  'com.au',
  'net.au',
  'co.jp',
  'co.nz',
  'com.br',
  'co.in',
  'com.cn',
  'co.za',
  'com.mx',
  'com.tr',
]);

export const fqdnPatternTooBroad = defineRule({
  id: 'fqdn-pattern-too-broad',
  severity: 'warning',
  fields: ['toFQDNs'],
  title: 'toFQDNs patterns that match (nearly) every domain',
  rationale:
    'In toFQDNs, `*` matches every name: any IP from any DNS answer becomes reachable, which is egress to the internet with extra steps; `*.com` or `**.io` allow every domain under a public suffix (docs/cilium-semantics.md, "matchName and matchPattern"). `matchPattern: "*"` is right in a DNS rule (it lets every lookup through the proxy), not in toFQDNs.',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [KUBE_DNS_EGRESS, { toFQDNs: [{ matchPattern: '*' }] }],
      }),
    ],
    good: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [KUBE_DNS_EGRESS, { toFQDNs: [{ matchName: 'api.stripe.com' }] }],
      }),
    ],
  },
  check(ctx, report) {
    for (const f of fqdnEntriesOf(ctx.policy)) {
      const pattern = f.entry.matchPattern;
      if (f.source !== 'toFQDNs' || typeof pattern !== 'string') continue;
      if (isMatchAllPattern(pattern)) {
        report(
          `${f.path}.matchPattern`,
          `"${pattern}" matches every domain name, so the endpoints may reach any IP they can resolve`,
          'list the domains the workload needs (`matchName: api.github.com`, `matchPattern: "*.github.com"`)',
        );
        continue;
      }
      if (endsWithTldWildcard(pattern)) continue; // reported by fqdn-pattern-dead
      const labels = pattern.replace(/\.$/, '').toLowerCase().split('.');
      const lastWild = labels.map((l) => l.includes('*')).lastIndexOf(true);
      if (lastWild < 0) continue;
      const suffix = labels.slice(lastWild + 1);
      if (suffix.length < 2 || (suffix.length === 2 && TWO_LABEL_SUFFIXES.has(suffix.join('.')))) {
        const partial = labels[lastWild].replace(/\*/g, '') !== '';
        const problem = partial
          ? `"${pattern}" also matches other people's domains, e.g. ${labels
              .map((l, i) => (i === lastWild ? l.replace(/\*+/, 'evil') : l))
              .join('.')
              .replace(/\*/g, '')}`
          : `"${pattern}" matches every domain under .${suffix.join('.')}`;
        report(
          `${f.path}.matchPattern`,
          problem,
          'name the organisation\'s domain exactly: `matchName: "github.com"` plus `matchPattern: "*.github.com"`',
        );
      }
    }
  },
});
