import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';

export const policyMissingName = defineRule({
  id: 'policy-missing-name',
  severity: 'error',
  title: 'A policy needs metadata.name',
  rationale:
    'The agent rejects a CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy without `metadata.name` when it parses it (docs/cilium-semantics.md, "Validation").',
  examples: {
    bad: [
      {
        ...cnp('x', { endpointSelector: { matchLabels: { app: 'web' } }, ingress: [{}] }),
        metadata: { namespace: 'default' },
      },
    ],
    good: [cnp('web-default-deny', { endpointSelector: { matchLabels: { app: 'web' } }, ingress: [{}] })],
  },
  check(ctx, report) {
    const name = ctx.policy.metadata?.name;
    if (typeof name !== 'string' || name === '') {
      report(
        'metadata.name',
        'the policy has no metadata.name, so Cilium rejects it',
        'set metadata.name to a DNS-1123 name, e.g. `name: web-ingress`',
      );
    }
  },
});
