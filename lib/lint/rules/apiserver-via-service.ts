import { asArray, isObject } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { allElements } from '../util/walk';

export const apiserverViaService = defineRule({
  id: 'apiserver-via-service',
  severity: 'warning',
  fields: ['toServices'],
  title: 'Reach the API server with the kube-apiserver entity, not the `kubernetes` Service',
  rationale:
    '`default/kubernetes` is a selectorless Service pointing at the API server\'s node or external IPs; l3.rst does not recommend toServices for selectorless Services, and the API server traffic carries the `kube-apiserver` identity (docs/cilium-semantics.md, "kube-apiserver", issue #20550).',
  examples: {
    bad: [
      cnp('operator', {
        endpointSelector: { matchLabels: { app: 'operator' } },
        egress: [{ toServices: [{ k8sService: { serviceName: 'kubernetes', namespace: 'default' } }] }],
      }),
    ],
    good: [
      cnp('operator', {
        endpointSelector: { matchLabels: { app: 'operator' } },
        egress: [
          {
            toEntities: ['kube-apiserver'],
            toPorts: [
              {
                ports: [
                  { port: '443', protocol: 'TCP' },
                  { port: '6443', protocol: 'TCP' },
                ],
              },
            ],
          },
        ],
      }),
    ],
  },
  check(ctx, report) {
    for (const el of allElements(ctx.policy, ['egress', 'egressDeny'])) {
      asArray(el.element.toServices).forEach((s, i) => {
        const svc = isObject(s) && isObject(s.k8sService) ? s.k8sService : undefined;
        if (!svc || svc.serviceName !== 'kubernetes' || (svc.namespace ?? 'default') !== 'default') return;
        report(
          `${el.path}.toServices[${i}]`,
          'toServices default/kubernetes targets the API server through a selectorless Service',
          "use `toEntities: [kube-apiserver]` with `toPorts` 443 and 6443 (the API server's real port)",
        );
      });
    }
  },
});
