import { text } from '../../util/shape';
import { defineRule } from '../util/finding';
import { ccnp } from '../util/examples';
import { isCcnp } from '../util/selector';

export const ccnpWithNamespace = defineRule({
  id: 'ccnp-with-namespace',
  severity: 'warning',
  title: 'metadata.namespace does not scope a CiliumClusterwideNetworkPolicy',
  rationale:
    'A CCNP is cluster-scoped: the apiserver ignores metadata.namespace, and nothing adds a namespace to its selectors, so the policy applies to matching endpoints of every namespace (docs/cilium-semantics.md, "Selectors"). cdk8s charts with a `namespace` set it on every object they contain.',
  examples: {
    bad: [
      {
        ...ccnp('web', { endpointSelector: { matchLabels: { app: 'web' } }, ingress: [{}] }),
        metadata: { name: 'web', namespace: 'shop' },
      },
    ],
    good: [
      ccnp('web', {
        endpointSelector: { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'shop', app: 'web' } },
        ingress: [{}],
      }),
    ],
  },
  check(ctx, report) {
    const ns = ctx.policy.metadata?.namespace;
    if (!isCcnp(ctx.policy) || ns === undefined || ns === null || ns === '') return;
    report(
      'metadata.namespace',
      `the cluster-wide policy has metadata.namespace ${text(ns)}, which is ignored: it applies to matching endpoints in every namespace`,
      `remove metadata.namespace and add \`k8s:io.kubernetes.pod.namespace: ${text(ns)}\` to the endpointSelector, or use a CiliumNetworkPolicy in ${text(ns)}`,
    );
  },
});
