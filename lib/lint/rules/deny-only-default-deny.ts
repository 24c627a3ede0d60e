import { asArray } from '../../util/shape';
import { defineRule } from '../util/finding';
import { ccnp } from '../util/examples';
import { enableDefaultDeny, rulesOf } from '../util/walk';

export const denyOnlyDefaultDeny = defineRule({
  id: 'deny-only-default-deny',
  severity: 'warning',
  title: 'A deny-only rule also default-denies everything else',
  rationale:
    'When `enableDefaultDeny` is unset, Rule.Sanitize turns it on for a direction that has `ingressDeny`/`egressDeny` entries, even without any allow: a rule meant to block one port drops all other traffic of its endpoints (issue #14992, docs/cilium-semantics.md, "Default deny").',
  examples: {
    bad: [
      ccnp('block-smtp', {
        endpointSelector: {},
        egressDeny: [{ toPorts: [{ ports: [{ port: '25', protocol: 'TCP' }] }] }],
      }),
    ],
    good: [
      ccnp('block-smtp', {
        endpointSelector: {},
        enableDefaultDeny: { egress: false },
        egressDeny: [{ toPorts: [{ ports: [{ port: '25', protocol: 'TCP' }] }] }],
      }),
    ],
  },
  check(ctx, report) {
    for (const r of rulesOf(ctx.policy)) {
      for (const dir of ['ingress', 'egress'] as const) {
        if (asArray(r.rule[`${dir}Deny`]).length === 0 || asArray(r.rule[dir]).length > 0) continue;
        if (enableDefaultDeny(r, dir) !== undefined) continue;
        report(
          `${r.path}.${dir}Deny`,
          `the rule only denies ${dir}, yet it puts its endpoints into ${dir} default-deny, dropping every ${dir} connection no other policy allows`,
          `add \`enableDefaultDeny: {${dir}: false}\` to only block what ${dir}Deny lists, or \`enableDefaultDeny: {${dir}: true}\` if default-deny is intended`,
        );
      }
    }
  },
});
