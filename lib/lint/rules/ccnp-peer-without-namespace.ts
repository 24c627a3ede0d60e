import { defineRule } from '../util/finding';
import { ccnp } from '../util/examples';
import { hasReservedKey, isCcnp, namesNamespace, requirementsOf } from '../util/selector';
import { identitySelectorsOf } from '../util/selectors-of';

export const ccnpPeerWithoutNamespace = defineRule({
  id: 'ccnp-peer-without-namespace',
  severity: 'warning',
  title: 'CiliumClusterwideNetworkPolicy peers without a namespace match every namespace',
  rationale:
    'In a CCNP, a fromEndpoints/toEndpoints selector without `k8s:io.kubernetes.pod.namespace` (or a namespace-labels key) only gets "namespace exists" added: `app: frontend` matches pods labelled so in every namespace, including ones other teams control (docs/cilium-semantics.md, "Selectors").',
  examples: {
    bad: [
      ccnp('api', {
        endpointSelector: { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'api', app: 'api' } },
        ingress: [{ fromEndpoints: [{ matchLabels: { app: 'frontend' } }] }],
      }),
    ],
    good: [
      ccnp('api', {
        endpointSelector: { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'api', app: 'api' } },
        ingress: [
          { fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'web', app: 'frontend' } }] },
        ],
      }),
    ],
  },
  check(ctx, report) {
    if (!isCcnp(ctx.policy)) return;
    for (const s of identitySelectorsOf(ctx.policy)) {
      if (s.role !== 'peer') continue;
      const reqs = requirementsOf(s.selector);
      // `{}` is reported by ingress-allow-all
      if (!reqs || reqs.length === 0 || hasReservedKey(reqs) || namesNamespace(reqs)) continue;
      report(
        s.path,
        'the peer selector has no namespace key, so it matches these labels in every namespace of the cluster',
        'add `k8s:io.kubernetes.pod.namespace: <namespace>` to the selector (matchExpressions In [...] for several namespaces)',
      );
    }
  },
});
