import { defineRule } from '../util/finding';
import { ccnp } from '../util/examples';
import { isEmptyElement } from '../util/peers';
import { isCcnp } from '../util/selector';
import { selectsNearlyAll } from './ccnp-default-deny-without-dns';
import { enableDefaultDeny, elementsOf, rulesOf } from '../util/walk';

export const ccnpImplicitDefaultDeny = defineRule({
  id: 'ccnp-implicit-default-deny',
  severity: 'warning',
  title: 'A single ingress allow rule in a cluster-wide policy puts every pod into ingress default-deny',
  rationale:
    'An ingress allow rule puts the endpoints the policy selects into ingress default-deny unless `enableDefaultDeny` says otherwise. In a CiliumClusterwideNetworkPolicy with an (almost) empty endpointSelector, one allowance meant as "also let the monitoring scrape everything" therefore denies every other connection to every pod of the cluster, kube-system included (docs/cilium-semantics.md, "Default deny" and "Selectors"). Say what is meant: `enableDefaultDeny: {ingress: false}` to only add the allowance, or an explicit default-deny (`enableDefaultDeny: {ingress: true}` or an empty `{}` rule) with the exemptions it needs.',
  examples: {
    bad: [
      ccnp('allow-prometheus-scrape', {
        endpointSelector: {},
        ingress: [
          {
            fromEndpoints: [
              {
                matchLabels: {
                  'k8s:io.kubernetes.pod.namespace': 'monitoring',
                  'app.kubernetes.io/name': 'prometheus',
                },
              },
            ],
          },
        ],
      }),
    ],
    good: [
      ccnp('allow-prometheus-scrape', {
        endpointSelector: {},
        enableDefaultDeny: { ingress: false },
        ingress: [
          {
            fromEndpoints: [
              {
                matchLabels: {
                  'k8s:io.kubernetes.pod.namespace': 'monitoring',
                  'app.kubernetes.io/name': 'prometheus',
                },
              },
            ],
          },
        ],
      }),
    ],
  },
  check(ctx, report) {
    if (!isCcnp(ctx.policy)) return;
    for (const r of rulesOf(ctx.policy)) {
      if (r.rule.endpointSelector === undefined || !selectsNearlyAll(r.rule.endpointSelector)) continue;
      // Egress lockdowns are written this way on purpose (an allowance to the API server, DNS...); an ingress allowance is the trap.
      for (const dir of ['ingress'] as const) {
        if (enableDefaultDeny(r, dir) !== undefined) continue;
        const elements = elementsOf(r, [dir, `${dir}Deny`]);
        // A single allowance is the trap; a list of allowances, an empty `{}` element or a deny rule reads as a lockdown meant as such.
        if (elements.length !== 1 || elements.some((el) => el.deny || isEmptyElement(el))) continue;
        report(
          `${r.path}.${dir}`,
          `this one allow rule puts every endpoint of the cluster into ${dir} default-deny: whatever ${dir === 'ingress' ? 'reaches' : 'leaves'} a pod and is not allowed here or by another policy is dropped`,
          `add \`enableDefaultDeny: {${dir}: false}\` to only allow this, or \`enableDefaultDeny: {${dir}: true}\` if a cluster-wide ${dir} default-deny is meant`,
        );
      }
    }
  },
});
