import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { isCcnp, policyNamespace } from '../util/selector';

export const namespaceUnknown = defineRule({
  id: 'namespace-unknown',
  severity: 'warning',
  title: 'A CiliumNetworkPolicy without metadata.namespace lands wherever it is applied',
  rationale:
    'A CNP applies to the pods of its own namespace, and its peers without a namespace key also mean that namespace. Without `metadata.namespace`, `kubectl apply` uses the current context\'s namespace and kustomize or Flux the one they set, so what the policy selects is decided outside the file. The linter does not guess `default`: it treats the namespace as unknown (it proves nothing about other policies from it and reports nothing that depends on it; docs/cilium-semantics.md, "Selectors").',
  examples: {
    bad: [
      {
        ...cnp('web', {
          endpointSelector: { matchLabels: { app: 'web' } },
          ingress: [{ fromEndpoints: [{ matchLabels: { app: 'lb' } }] }],
        }),
        metadata: { name: 'web' },
      },
    ],
    good: [
      cnp(
        'web',
        {
          endpointSelector: { matchLabels: { app: 'web' } },
          ingress: [{ fromEndpoints: [{ matchLabels: { app: 'lb' } }] }],
        },
        'blog',
      ),
    ],
  },
  check(ctx, report) {
    if (isCcnp(ctx.policy) || policyNamespace(ctx.policy) !== undefined) return;
    const ns = ctx.policy.metadata?.namespace;
    if (typeof ns === 'string' && ns !== '') return; // a substitution: reported by unrendered-substitution
    report(
      'metadata.namespace',
      'the namespace is unknown (no metadata.namespace): the policy selects pods of whatever namespace it is applied to',
      'set metadata.namespace, or make sure the kustomization or Flux Kustomization that includes it sets the namespace',
    );
  },
});
