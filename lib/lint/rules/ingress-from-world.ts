import { asArray, text } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { parsePrefix } from '../../cilium/cidr';
import { allElements } from '../util/walk';

export const ingressFromWorld = defineRule({
  id: 'ingress-from-world',
  severity: 'warning',
  title: 'Ingress from `world` opens the pods to the internet',
  rationale:
    '`fromEntities: [world]` (or `fromCIDR: 0.0.0.0/0`) allows every address outside the cluster; depending on the datapath, NodePort/LoadBalancer clients arrive as world or remote-node (docs/cilium-semantics.md, "Entities" and "Kube-proxy replacement"). Make sure this is intended and narrow it to the real client CIDRs or ports.',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [{ fromEntities: ['world'] }],
      }),
    ],
    good: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [
          { fromCIDR: ['203.0.113.0/24'], toPorts: [{ ports: [{ port: '8443', protocol: 'TCP' }] }] },
        ],
      }),
    ],
  },
  check(ctx, report) {
    for (const el of allElements(ctx.policy, ['ingress'])) {
      asArray(el.element.fromEntities).forEach((e, i) => {
        if (e === 'world')
          report(
            `${el.path}.fromEntities[${i}]`,
            'ingress from world allows every address outside the cluster',
            'allow only the client ranges (`fromCIDR: [203.0.113.0/24]`) on the serving ports; if these pods are the ingress controller, world on its entrypoint ports is its job (keep the ports, and silence this rule on that policy); any other app is reached through the controller (fromEndpoints)',
          );
      });
      asArray(el.element.fromCIDR).forEach((c, i) => {
        const p = parsePrefix(c);
        if (p && p.length === 0)
          report(
            `${el.path}.fromCIDR[${i}]`,
            `fromCIDR ${text(c)} is the whole IPv${p.family} internet (same as world)`,
            'allow only the client ranges on the serving port',
          );
      });
    }
  },
});
