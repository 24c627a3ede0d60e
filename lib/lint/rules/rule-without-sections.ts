import { asArray } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { rulesOf, SECTION_KEYS } from '../util/walk';

export const ruleWithoutSections = defineRule({
  id: 'rule-without-sections',
  severity: 'error',
  title: 'A rule needs at least one non-empty ingress, ingressDeny, egress or egressDeny',
  rationale:
    'Since 1.19 Rule.Sanitize rejects a rule whose four sections are all empty or absent ("rule must have at least one of Ingress, IngressDeny, Egress, EgressDeny"); `ingress: []` does not count (docs/cilium-semantics.md, "Default deny" and "Validation"). To default-deny without allowing anything write `ingress: [{}]`.',
  examples: {
    bad: [cnp('web', { endpointSelector: { matchLabels: { app: 'web' } }, ingress: [] })],
    good: [cnp('web', { endpointSelector: { matchLabels: { app: 'web' } }, ingress: [{}] })],
  },
  check(ctx, report) {
    for (const r of rulesOf(ctx.policy)) {
      if (SECTION_KEYS.some((k) => asArray(r.rule[k]).length > 0)) continue;
      const empty = SECTION_KEYS.filter((k) => Array.isArray(r.rule[k]));
      report(
        r.path,
        empty.length > 0
          ? `${empty.map((k) => `${k}: []`).join(', ')} is the only section and an empty list counts as no section, so Cilium rejects the rule`
          : 'the rule has no ingress, ingressDeny, egress or egressDeny, so Cilium rejects it',
        'add a non-empty section; for default-deny without allowing anything write `ingress: [{}]` (or `egress: [{}]`)',
      );
    }
  },
});
