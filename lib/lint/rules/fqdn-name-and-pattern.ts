import { defineRule } from '../util/finding';
import { cnp, KUBE_DNS_EGRESS } from '../util/examples';
import { fqdnEntriesOf } from '../util/fqdn-entries';

export const fqdnNameAndPattern = defineRule({
  id: 'fqdn-name-and-pattern',
  severity: 'error',
  fields: ['toFQDNs', 'dns'],
  title: 'One of matchName or matchPattern per FQDN item',
  rationale:
    'Each toFQDNs (and DNS rule) item has exactly one of `matchName` or `matchPattern` (CRD oneOf; Sanitize: "only one of MatchName or MatchPattern"); see docs/cilium-semantics.md, "matchName and matchPattern" and "Validation".',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [KUBE_DNS_EGRESS, { toFQDNs: [{ matchName: 'github.com', matchPattern: '*.github.com' }] }],
      }),
    ],
    good: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [
          KUBE_DNS_EGRESS,
          { toFQDNs: [{ matchName: 'github.com' }, { matchPattern: '*.github.com' }] },
        ],
      }),
    ],
  },
  check(ctx, report) {
    for (const f of fqdnEntriesOf(ctx.policy)) {
      const hasName = f.entry.matchName !== undefined && f.entry.matchName !== null;
      const hasPattern = f.entry.matchPattern !== undefined && f.entry.matchPattern !== null;
      if (hasName && hasPattern) {
        report(
          f.path,
          'both matchName and matchPattern are set; Cilium accepts exactly one',
          'split it into two items: `{matchName: ...}` and `{matchPattern: ...}`',
        );
      } else if (!hasName && !hasPattern) {
        report(
          f.path,
          'the item has neither matchName nor matchPattern',
          'add `matchName: <exact name>` or `matchPattern: <pattern>`',
        );
      }
    }
  },
});
