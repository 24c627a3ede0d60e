import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { allElements } from '../util/walk';

export const nodePeerNeedsFlag = defineRule({
  id: 'node-peer-needs-flag',
  severity: 'warning',
  title: '`fromNodes`/`toNodes` need `enable-node-selector-labels`',
  rationale: 'Rule.Sanitize rejects `fromNodes`/`toNodes` unless the agent runs with `enable-node-selector-labels` (off by default); the linter cannot see the agent configuration (semantics note 5 "L3 peers").',
  examples: {
    bad: [cnp('prod', { endpointSelector: { matchLabels: { env: 'prod' } }, ingress: [{ fromNodes: [{ matchLabels: { 'node-role.kubernetes.io/control-plane': '' } }] }] })],
    good: [cnp('prod', { endpointSelector: { matchLabels: { env: 'prod' } }, ingress: [{ fromEntities: ['host', 'remote-node'] }] })],
  },
  check(ctx, report) {
    for (const el of allElements(ctx.policy)) {
      for (const field of ['fromNodes', 'toNodes']) {
        if (el.element[field] !== undefined) {
          report(`${el.path}.${field}`, `${field} only works when the agent runs with enable-node-selector-labels=true (default false); otherwise Cilium rejects the policy`,
            `set \`nodeSelectorLabels: true\` (agent flag enable-node-selector-labels) in the Cilium Helm values, or use ${field.startsWith('from') ? 'fromEntities' : 'toEntities'}: [host, remote-node]`);
        }
      }
    }
  },
});
