import { asArray, isObject } from '../../util/shape';
import { defineRule } from '../util/finding';
import { ccnp } from '../util/examples';
import { isEmptySelector, isCcnp } from '../util/selector';
import { allElements, elementsOf } from '../util/walk';

export const ingressAllowAll = defineRule({
  id: 'ingress-allow-all',
  severity: 'warning',
  title: 'Ingress from `all`, or from every pod of the cluster',
  rationale:
    '`fromEntities: [all]` allows every peer, world included; in a CiliumClusterwideNetworkPolicy `fromEndpoints: [{}]` means every pod of every namespace (docs/cilium-semantics.md, "Selectors" and "Entities"). The pattern of denying world and allowing all (from_world_deny.yaml) is not reported.',
  examples: {
    bad: [
      ccnp('dns', {
        endpointSelector: {
          matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' },
        },
        ingress: [{ fromEndpoints: [{}], toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }] }] }],
      }),
    ],
    good: [
      ccnp('dns', {
        endpointSelector: {
          matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' },
        },
        ingress: [{ fromEntities: ['cluster'], toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }] }] }],
      }),
    ],
  },
  check(ctx, report) {
    for (const el of allElements(ctx.policy, ['ingress'])) {
      const deniesWorld = elementsOf(el.rule, ['ingressDeny']).some(
        (d) => asArray(d.element.fromEntities).includes('world') && d.element.toPorts === undefined,
      );
      asArray(el.element.fromEntities).forEach((e, i) => {
        if (e === 'all' && !deniesWorld)
          report(
            `${el.path}.fromEntities[${i}]`,
            'ingress from all allows every peer, the internet included',
            'allow `cluster` for in-cluster clients, or name the client pods with fromEndpoints',
          );
      });
      if (!isCcnp(ctx.policy)) continue;
      asArray(el.element.fromEndpoints).forEach((sel, i) => {
        if (isObject(sel) && isEmptySelector(sel))
          report(
            `${el.path}.fromEndpoints[${i}]`,
            'fromEndpoints {} in a CiliumClusterwideNetworkPolicy allows every pod of every namespace',
            'name the client pods and their namespace (`k8s:io.kubernetes.pod.namespace`), or write `fromEntities: [cluster]` if the whole cluster is meant',
          );
      });
    }
  },
});
