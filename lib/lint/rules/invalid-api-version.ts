import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { CILIUM_API_VERSION } from '../../manifest/types';
import { show } from '../../util/shape';

export const invalidApiVersion = defineRule({
  id: 'invalid-api-version',
  severity: 'error',
  title: 'Cilium policies are `apiVersion: cilium.io/v2`',
  rationale:
    'The Cilium 1.20 CRDs serve CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy only as `cilium.io/v2`: `cilium.io/v1`, `v2alpha1` or a missing apiVersion is refused by the API server ("no matches for kind"), so the policy never exists in the cluster (docs/cilium-semantics.md, "Validation").',
  examples: {
    bad: [
      {
        ...cnp('web', { endpointSelector: { matchLabels: { app: 'web' } }, ingress: [{}] }),
        apiVersion: 'cilium.io/v2alpha1',
      },
    ],
    good: [cnp('web', { endpointSelector: { matchLabels: { app: 'web' } }, ingress: [{}] })],
  },
  check(ctx, report) {
    const v = ctx.policy.apiVersion;
    if (v === CILIUM_API_VERSION) return;
    report(
      'apiVersion',
      v === undefined || v === null
        ? 'the document has no apiVersion, so the API server refuses it'
        : `apiVersion ${show(v)} is not served by the Cilium 1.20 CRD, so the API server refuses it`,
      `write \`apiVersion: ${CILIUM_API_VERSION}\``,
    );
  },
});
