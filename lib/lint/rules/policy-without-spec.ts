import { isObject } from '../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';

export const policyWithoutSpec = defineRule({
  id: 'policy-without-spec',
  severity: 'error',
  title: 'A policy needs `spec` or `specs`',
  rationale: 'A policy with neither `spec` nor a non-empty `specs` list is an "empty policy" and the agent rejects it (semantics note 5, top level [P]).',
  examples: {
    bad: [{ ...cnp('web', {}), spec: undefined }],
    good: [cnp('web', { endpointSelector: { matchLabels: { app: 'web' } }, ingress: [{}] })],
  },
  check(ctx, report) {
    const m = ctx.policy;
    const hasSpec = isObject(m.spec);
    const hasSpecs = Array.isArray(m.specs) && m.specs.length > 0;
    if (hasSpec || hasSpecs) return;
    if (m.spec !== undefined && m.spec !== null) {
      report('spec', 'spec is not an object', 'write spec as a mapping with endpointSelector (or nodeSelector) and ingress/egress rules');
    } else if (Array.isArray(m.specs)) {
      report('specs', 'specs is an empty list, so the policy is empty and Cilium rejects it', 'add at least one rule to specs, or use spec');
    } else {
      report('spec', 'the policy has neither spec nor specs, so Cilium rejects it as empty', 'add spec with endpointSelector (or nodeSelector) and ingress/egress rules');
    }
  },
});
