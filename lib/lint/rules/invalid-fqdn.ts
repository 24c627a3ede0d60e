import { show } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp, KUBE_DNS_EGRESS } from '../util/examples';
import { fqdnEntriesOf } from '../util/fqdn-entries';
import { isValidMatchName, isValidMatchPattern } from '../../cilium/fqdn';

export const invalidFqdn = defineRule({
  id: 'invalid-fqdn',
  severity: 'error',
  fields: ['toFQDNs', 'dns'],
  title: 'FQDN names and patterns use DNS characters only',
  rationale:
    '`matchName` allows `[-a-zA-Z0-9_.]`, `matchPattern` additionally `*`, both at most 255 characters (CRD pattern and Sanitize, docs/cilium-semantics.md, "matchName and matchPattern" and "Validation"). URLs, ports or spaces are rejected.',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [KUBE_DNS_EGRESS, { toFQDNs: [{ matchName: 'https://api.github.com' }] }],
      }),
    ],
    good: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [KUBE_DNS_EGRESS, { toFQDNs: [{ matchName: 'api.github.com' }] }],
      }),
    ],
  },
  check(ctx, report) {
    for (const f of fqdnEntriesOf(ctx.policy)) {
      const name = f.entry.matchName;
      const pattern = f.entry.matchPattern;
      if (name !== undefined && name !== null && (typeof name !== 'string' || !isValidMatchName(name))) {
        report(
          `${f.path}.matchName`,
          `${show(name)} is not a DNS name (letters, digits, '-', '_', '.'; at most 255 characters)`,
          typeof name === 'string' && /[*]/.test(name)
            ? `use matchPattern: ${JSON.stringify(name)} for wildcards`
            : 'write only the host name, without scheme, port or path, e.g. "api.github.com"',
        );
      }
      if (
        pattern !== undefined &&
        pattern !== null &&
        (typeof pattern !== 'string' || !isValidMatchPattern(pattern))
      ) {
        report(
          `${f.path}.matchPattern`,
          `${show(pattern)} is not a DNS pattern (letters, digits, '-', '_', '.', '*'; at most 255 characters)`,
          'write a host name pattern such as "*.github.com", without scheme, port or path',
        );
      }
    }
  },
});
