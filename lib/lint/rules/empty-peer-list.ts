import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { allElements, peerKinds } from '../util/walk';

const EMPTY_MEANS_ANY = new Set(['toFQDNs', 'fromGroups', 'toGroups', 'fromRequires', 'toRequires']);

export const emptyPeerList = defineRule({
  id: 'empty-peer-list',
  severity: 'warning',
  title: '`fromEndpoints: []` selects nothing',
  rationale:
    'An explicitly empty peer list (`fromEndpoints: []`, `toCIDR: []`, `toEntities: []` ...) selects no peer, unlike an omitted field (any peer) or `[{}]` (all pods of the namespace), so the element allows nothing (docs/cilium-semantics.md, "How L3 and L4 combine").',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [{ fromEndpoints: [], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] }],
      }),
    ],
    good: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [{ fromEndpoints: [{}], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] }],
      }),
    ],
  },
  check(ctx, report) {
    for (const el of allElements(ctx.policy)) {
      for (const kind of peerKinds(el.direction)) {
        const v = el.element[kind];
        if (!Array.isArray(v) || v.length > 0 || EMPTY_MEANS_ANY.has(kind)) continue;
        report(
          `${el.path}.${kind}`,
          `${kind}: [] selects no peer, so this element allows nothing`,
          `list the peers, write \`${kind === 'fromEndpoints' || kind === 'toEndpoints' ? `${kind}: [{}]` : `remove ${kind}`}\` to mean ${kind.endsWith('Endpoints') ? 'all pods of the namespace' : 'any peer'}, or remove the element`,
        );
      }
    }
  },
});
