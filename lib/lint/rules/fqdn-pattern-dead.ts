import { defineRule } from '../util/finding';
import { cnp, KUBE_DNS_EGRESS } from '../util/examples';
import { fqdnEntriesOf } from '../util/fqdn-entries';

/** Top-level domains after which a further label is not a name anyone means (`github.com.*`). */
const COMMON_TLDS = new Set([
  'com',
  'net',
  'org',
  'io',
  'dev',
  'app',
  'cloud',
  'co',
  'ai',
  'me',
  'sh',
  'xyz',
  'info',
  'biz',
  'us',
  'eu',
  'de',
  'uk',
  'fr',
  'nl',
  'jp',
  'local',
  'internal',
  'lan',
  'home',
  'arpa',
]);

/** Whether a pattern ends in a wildcard label after a complete name, e.g. `uploads.github.com.*`. */
export function endsWithTldWildcard(pattern: string): boolean {
  const labels = pattern.replace(/\.$/, '').toLowerCase().split('.');
  if (labels.length < 3) return false;
  const last = labels[labels.length - 1];
  const fixed = labels.slice(0, -1);
  return (
    /^\*+$/.test(last) &&
    fixed.every((l) => !l.includes('*') || l === '*' || l === '**') &&
    COMMON_TLDS.has(fixed[fixed.length - 1])
  );
}

export const fqdnPatternDead = defineRule({
  id: 'fqdn-pattern-dead',
  severity: 'warning',
  fields: ['toFQDNs'],
  title: 'toFQDNs patterns with a wildcard after the top-level domain match nothing meant',
  rationale:
    'A `*` in matchPattern stands for the characters of one label (an empty label is not a name), so `uploads.github.com.*` does not match `uploads.github.com`: it only matches names with one more label after `.com`, which no service uses. The rule allows nothing the author meant and the connections are dropped (docs/cilium-semantics.md, "matchName and matchPattern").',
  examples: {
    bad: [
      cnp('ci', {
        endpointSelector: { matchLabels: { app: 'ci' } },
        egress: [
          KUBE_DNS_EGRESS,
          {
            toFQDNs: [{ matchPattern: 'uploads.github.com.*' }],
            toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }],
          },
        ],
      }),
    ],
    good: [
      cnp('ci', {
        endpointSelector: { matchLabels: { app: 'ci' } },
        egress: [
          KUBE_DNS_EGRESS,
          {
            toFQDNs: [{ matchName: 'uploads.github.com' }],
            toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }],
          },
        ],
      }),
    ],
  },
  check(ctx, report) {
    for (const f of fqdnEntriesOf(ctx.policy)) {
      const pattern = f.entry.matchPattern;
      if (f.source !== 'toFQDNs' || typeof pattern !== 'string' || !endsWithTldWildcard(pattern)) continue;
      const meant = pattern.replace(/\.$/, '').split('.').slice(0, -1).join('.');
      report(
        `${f.path}.matchPattern`,
        `"${pattern}" never matches ${meant}: the last "*" stands for one more label after the top-level domain, so only names such as ${meant}.example match`,
        `write \`matchName: "${meant}"\` (and \`matchPattern: "*.${meant}"\` for its subdomains)`,
      );
    }
  },
});
