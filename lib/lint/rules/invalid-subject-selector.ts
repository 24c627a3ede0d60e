import { isObject } from '../../util/shape';
import { defineRule } from '../util/finding';
import { ccnp } from '../util/examples';
import { rulesOf } from '../util/walk';

export const invalidSubjectSelector = defineRule({
  id: 'invalid-subject-selector',
  severity: 'error',
  title: 'Exactly one of endpointSelector and nodeSelector',
  rationale:
    'Each rule selects its subjects with exactly one of `endpointSelector` (pods and other endpoints) or `nodeSelector` (nodes, CCNP only); both or neither is rejected by the CRD oneOf and by Rule.Sanitize (docs/cilium-semantics.md, "Validation").',
  examples: {
    bad: [
      ccnp('mixed', {
        endpointSelector: {},
        nodeSelector: { matchLabels: { role: 'worker' } },
        ingress: [{ fromEntities: ['cluster'] }],
      }),
    ],
    good: [
      ccnp('workers', {
        nodeSelector: { matchLabels: { role: 'worker' } },
        ingress: [{ fromEntities: ['cluster'] }],
      }),
    ],
  },
  check(ctx, report) {
    for (const r of rulesOf(ctx.policy)) {
      const ep = r.rule.endpointSelector !== undefined && r.rule.endpointSelector !== null;
      const node = r.rule.nodeSelector !== undefined && r.rule.nodeSelector !== null;
      if (ep && node) {
        report(
          r.path,
          'both endpointSelector and nodeSelector are set; Cilium accepts exactly one',
          'keep endpointSelector to select pods, or nodeSelector (CCNP only) to select nodes, and move the other into its own rule',
        );
      } else if (!ep && !node) {
        report(
          r.path,
          'neither endpointSelector nor nodeSelector is set, so Cilium rejects the rule',
          'add `endpointSelector: {matchLabels: {app: <name>}}` (or `endpointSelector: {}` for every pod of the namespace)',
        );
      } else {
        const sel = ep ? r.rule.endpointSelector : r.rule.nodeSelector;
        if (!isObject(sel))
          report(
            `${r.path}.${ep ? 'endpointSelector' : 'nodeSelector'}`,
            'the selector is not a mapping',
            'write a label selector: `{matchLabels: {...}}` or `{}`',
          );
      }
    }
  },
});
