import { CNP_KIND } from '../../manifest/types';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { splitSelectorKey } from '../../cilium/label-keys';
import { NAMESPACE_LABELS_PREFIX } from '../../cilium/labels';
import { selectorKeys } from '../util/selector';
import { identitySelectorsOf } from '../util/selectors-of';

export const namespaceLabelsInCnpPeer = defineRule({
  id: 'namespace-labels-in-cnp-peer',
  severity: 'warning',
  title: 'Namespace-label peer selectors in a CiliumNetworkPolicy are version-dependent',
  rationale:
    'kubernetes.rst says `io.cilium.k8s.namespace.labels.*` is ignored in a CiliumNetworkPolicy, while the 1.19/1.20 code lets such a peer select pods of other namespaces (docs/cilium-semantics.md, "Selectors"). Name the namespace explicitly so the meaning does not depend on the version.',
  examples: {
    bad: [
      cnp(
        'api',
        {
          endpointSelector: { matchLabels: { app: 'api' } },
          ingress: [{ fromEndpoints: [{ matchLabels: { 'io.cilium.k8s.namespace.labels.team': 'web' } }] }],
        },
        'api',
      ),
    ],
    good: [
      cnp(
        'api',
        {
          endpointSelector: { matchLabels: { app: 'api' } },
          ingress: [
            {
              fromEndpoints: [
                {
                  matchExpressions: [
                    { key: 'k8s:io.kubernetes.pod.namespace', operator: 'In', values: ['web', 'web-canary'] },
                  ],
                },
              ],
            },
          ],
        },
        'api',
      ),
    ],
  },
  check(ctx, report) {
    if (ctx.policy.kind !== CNP_KIND) return;
    for (const s of identitySelectorsOf(ctx.policy)) {
      if (s.role !== 'peer') continue;
      for (const k of selectorKeys(s.selector, s)) {
        if (splitSelectorKey(k.raw).key.startsWith(NAMESPACE_LABELS_PREFIX)) {
          report(
            k.path,
            `the peer selects namespaces by label (${k.raw}); the docs say this is ignored in a CiliumNetworkPolicy, the 1.19/1.20 code honours it`,
            'select the namespaces by name with `k8s:io.kubernetes.pod.namespace` (In [...]), or move the rule into a CiliumClusterwideNetworkPolicy',
          );
        }
      }
    }
  },
});
