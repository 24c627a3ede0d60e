import { isNonEmptyArray, PlainObject } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp, KUBE_DNS_EGRESS } from '../util/examples';
import { allElements, peerKinds } from '../util/walk';

/** The peer kinds of each direction, without the removed `*Requires` (removed-field reports them). */
const PEERS = {
  ingress: peerKinds('ingress').filter((k) => !k.endsWith('Requires')),
  egress: peerKinds('egress').filter((k) => !k.endsWith('Requires')),
};

/** How many of the peer kinds the element sets (non-empty lists). */
function peerKindCount(element: PlainObject, kinds: readonly string[]): number {
  let n = 0;
  for (const k of kinds) if (isNonEmptyArray(element[k])) n++;
  return n;
}

export const multiplePeerKinds = defineRule({
  id: 'multiple-peer-kinds',
  severity: 'error',
  title: 'One L3 peer kind per rule element',
  rationale:
    'Rule.Sanitize rejects an ingress/egress element that combines several peer kinds ("combining X and Y is not supported yet"), `fromCIDR` with `fromCIDRSet` included; `toFQDNs` cannot share an element with any other L3 field (docs/cilium-semantics.md, "How L3 and L4 combine", "FQDN rule shape" and "Validation"). Put each peer kind in its own element: elements are ORed.',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [{ toEndpoints: [{ matchLabels: { app: 'db' } }], toCIDR: ['192.0.2.0/24'] }],
      }),
    ],
    good: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [
          { toEndpoints: [{ matchLabels: { app: 'db' } }] },
          { toCIDR: ['192.0.2.0/24'] },
          KUBE_DNS_EGRESS,
        ],
      }),
    ],
  },
  check(ctx, report) {
    for (const el of allElements(ctx.policy)) {
      if (peerKindCount(el.element, PEERS[el.direction]) > 1) {
        const kinds = PEERS[el.direction].filter((k) => isNonEmptyArray(el.element[k]));
        report(
          el.path,
          `the element combines ${kinds.join(' and ')}; Cilium accepts one peer kind per element and rejects the policy`,
          `split it into one ${el.section} element per peer kind (${kinds.map((k) => `{${k}: ...}`).join(', ')}), each with its own toPorts`,
        );
      }
    }
  },
});
