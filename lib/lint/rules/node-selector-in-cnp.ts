import { CNP_KIND } from '../../manifest/types';
import { defineRule } from '../util/finding';
import { ccnp, cnp } from '../util/examples';
import { rulesOf } from '../util/walk';

export const nodeSelectorInCnp = defineRule({
  id: 'node-selector-in-cnp',
  severity: 'error',
  fields: ['nodeSelector'],
  title: 'nodeSelector only in a CiliumClusterwideNetworkPolicy',
  rationale:
    'Host policies (`nodeSelector`) are cluster-scoped: the agent rejects a CiliumNetworkPolicy rule with a nodeSelector when it parses it (docs/cilium-semantics.md, "Validation").',
  examples: {
    bad: [
      cnp(
        'ssh',
        {
          nodeSelector: { matchLabels: { 'node-access': 'ssh' } },
          ingress: [{ toPorts: [{ ports: [{ port: '22', protocol: 'TCP' }] }] }],
        },
        'default',
      ),
    ],
    good: [
      ccnp('ssh', {
        nodeSelector: { matchLabels: { 'node-access': 'ssh' } },
        ingress: [{ toPorts: [{ ports: [{ port: '22', protocol: 'TCP' }] }] }],
      }),
    ],
  },
  check(ctx, report) {
    if (ctx.policy.kind !== CNP_KIND) return;
    for (const r of rulesOf(ctx.policy)) {
      if (r.rule.nodeSelector !== undefined && r.rule.nodeSelector !== null) {
        report(
          `${r.path}.nodeSelector`,
          'a CiliumNetworkPolicy cannot select nodes; Cilium rejects it',
          'move this rule into a CiliumClusterwideNetworkPolicy (host policies need the host firewall), or use endpointSelector to select pods',
        );
      }
    }
  },
});
