import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { sanitizeRule } from '../../cilium/sanitize';
import { rulesOf } from '../util/walk';

export const rejectedByAgent = defineRule({
  id: 'rejected-by-agent',
  severity: 'error',
  title: 'Rules the Cilium 1.20 agent rejects when it imports the policy',
  rationale:
    'The agent checks every rule when it imports a policy (`Rule.Sanitize`: sections, one subject selector, one peer kind per element, ports, L7 rules, CIDRs, FQDN selectors, ICMP fields, the 40-port limit) and drops the whole policy on the first problem. The same checks decide which policies the evaluator loads (lib/cilium/sanitize.ts), so the linter and the evaluator cannot disagree. Most problems have their own rule with a precise fix; this one reports what none of them explains (docs/cilium-semantics.md, "Validation").',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [{ toPorts: [{ serverNames: [''], ports: [{ port: '443', protocol: 'TCP' }] }] }],
      }),
    ],
    good: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [
          { toPorts: [{ serverNames: ['api.example.com'], ports: [{ port: '443', protocol: 'TCP' }] }] },
        ],
      }),
    ],
  },
  check(ctx, report) {
    for (const r of rulesOf(ctx.policy)) {
      const rejected = sanitizeRule(r.rule, r.path);
      if (rejected)
        report(
          rejected.path,
          `the agent rejects the policy: ${rejected.message}`,
          'fix this field as the message says; the agent drops the whole policy until then',
        );
    }
  },
});
