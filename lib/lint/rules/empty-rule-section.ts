import { asArray } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { rulesOf, SECTION_KEYS } from '../util/walk';

export const emptyRuleSection = defineRule({
  id: 'empty-rule-section',
  severity: 'warning',
  title: '`ingress: []` does nothing',
  rationale:
    'An explicitly empty section does not create default-deny: `ingress: []` is a silent no-op (and rejected when it is the only section). `ingress: [{}]` is the documented way to default-deny without allowing anything (docs/cilium-semantics.md, "Default deny" and "Validation"). Likewise a policy whose only rules list is `specs: []` is accepted and does nothing.',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [],
        egress: [{ toEntities: ['world'] }],
      }),
    ],
    good: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [{}],
        egress: [{ toEntities: ['world'] }],
      }),
    ],
  },
  check(ctx, report) {
    const m = ctx.policy;
    if (Array.isArray(m.specs) && m.specs.length === 0 && (m.spec === undefined || m.spec === null)) {
      report(
        'specs',
        'specs: [] holds no rule: Cilium accepts the policy and it does nothing',
        'add a rule to specs, or delete the policy',
      );
    }
    for (const r of rulesOf(ctx.policy)) {
      if (!SECTION_KEYS.some((k) => asArray(r.rule[k]).length > 0)) continue; // rule-without-sections reports it
      for (const k of SECTION_KEYS) {
        if (Array.isArray(r.rule[k]) && r.rule[k].length === 0) {
          report(
            `${r.path}.${k}`,
            `${k}: [] has no effect: it neither allows anything nor turns on default-deny`,
            `write \`${k}: [{}]\` for default-deny${k.endsWith('Deny') ? '' : ' without allowing anything'}, or remove the key`,
          );
        }
      }
    }
  },
});
