import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { allElements } from '../util/walk';

export const nodePeerNeedsFlag = defineRule({
  id: 'node-peer-needs-flag',
  severity: 'error',
  fields: ['fromNodes', 'toNodes'],
  title: '`fromNodes`/`toNodes` need `enable-node-selector-labels`',
  rationale:
    'Rule.Sanitize rejects `fromNodes`/`toNodes` unless the agent runs with `enable-node-selector-labels` (off by default, Helm `nodeSelectorLabels: false`), so with the default configuration Cilium rejects the whole policy (docs/cilium-semantics.md, "Validation"). Where the flag is on, silence the rule with `--ignore node-peer-needs-flag` or the `lint.cilium-lockdown.io/ignore` annotation.',
  examples: {
    bad: [
      cnp('prod', {
        endpointSelector: { matchLabels: { env: 'prod' } },
        ingress: [{ fromNodes: [{ matchLabels: { 'node-role.kubernetes.io/control-plane': '' } }] }],
      }),
    ],
    good: [
      cnp('prod', {
        endpointSelector: { matchLabels: { env: 'prod' } },
        ingress: [{ fromEntities: ['host', 'remote-node'] }],
      }),
    ],
  },
  check(ctx, report) {
    for (const el of allElements(ctx.policy)) {
      for (const field of ['fromNodes', 'toNodes']) {
        if (el.element[field] !== undefined) {
          report(
            `${el.path}.${field}`,
            `${field} only works when the agent runs with enable-node-selector-labels=true (default false); otherwise Cilium rejects the policy`,
            `use ${field.startsWith('from') ? 'fromEntities' : 'toEntities'}: [host, remote-node], or set \`nodeSelectorLabels: true\` in the Cilium Helm values and ignore this rule`,
          );
        }
      }
    }
  },
});
