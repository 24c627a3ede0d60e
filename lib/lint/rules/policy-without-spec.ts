import { isObject } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';

export const policyWithoutSpec = defineRule({
  id: 'policy-without-spec',
  severity: 'error',
  title: 'A policy needs `spec` or `specs`',
  rationale:
    'A policy with neither `spec` nor `specs` is an "empty policy" and the agent rejects it (docs/cilium-semantics.md, "Validation"). An empty `specs: []` list is accepted and does nothing (conformance/README.md).',
  examples: {
    bad: [{ ...cnp('web', {}), spec: undefined }],
    good: [cnp('web', { endpointSelector: { matchLabels: { app: 'web' } }, ingress: [{}] })],
  },
  check(ctx, report) {
    const m = ctx.policy;
    const hasSpec = isObject(m.spec);
    // `specs: []` alone is accepted (a policy without rules): empty-rule-section warns about it.
    const hasSpecs = Array.isArray(m.specs);
    if (hasSpec || hasSpecs) return;
    if (m.spec !== undefined && m.spec !== null) {
      report(
        'spec',
        'spec is not an object',
        'write spec as a mapping with endpointSelector (or nodeSelector) and ingress/egress rules',
      );
    } else {
      report(
        'spec',
        'the policy has neither spec nor specs, so Cilium rejects it as empty',
        'add spec with endpointSelector (or nodeSelector) and ingress/egress rules',
      );
    }
  },
});
