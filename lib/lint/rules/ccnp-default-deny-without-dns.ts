import { defineRule } from '../util/finding';
import { ccnp, KUBE_DNS_EGRESS } from '../util/examples';
import { elementCoversPort } from '../util/peers';
import { effectivePeer, isCcnp, requirementsMatch, requirementsOf } from '../util/selector';
import { podIdentity } from '../util/cluster';
import { dnsRulesOf, elementsOf, hasL3, ruleDefaultDenies, rulesOf } from '../util/walk';
import { asArray } from '../../util/shape';

const KUBE_DNS_IDENTITIES = ['kube-dns', 'coredns'].map((app) =>
  podIdentity('kube-system', { 'k8s-app': app }, 'coredns', undefined),
);

/** Whether a subject selector selects (nearly) every endpoint: no requirement, or only exclusions. */
export function selectsNearlyAll(selector: unknown): boolean {
  const reqs = requirementsOf(selector);
  return !!reqs && reqs.every((r) => r.operator === 'NotIn' || r.operator === 'DoesNotExist');
}

export const ccnpDefaultDenyWithoutDns = defineRule({
  id: 'ccnp-default-deny-without-dns',
  severity: 'error',
  title: 'A cluster-wide egress default-deny must allow DNS in the same policy',
  rationale:
    'A CiliumClusterwideNetworkPolicy with an (almost) empty endpointSelector and egress rules puts every pod into egress default-deny at once; unless the same resource allows DNS, every lookup in the cluster fails and workloads, probes of dependencies and hubble-relay break together (issue #41894, docs/cilium-semantics.md, "Default deny" and "Selectors").',
  examples: {
    bad: [
      ccnp('default-deny', {
        endpointSelector: {
          matchExpressions: [
            { key: 'k8s:io.kubernetes.pod.namespace', operator: 'NotIn', values: ['kube-system'] },
          ],
        },
        egress: [
          { toEntities: ['kube-apiserver'], toPorts: [{ ports: [{ port: '6443', protocol: 'TCP' }] }] },
        ],
      }),
    ],
    good: [
      ccnp('default-deny', {
        endpointSelector: {
          matchExpressions: [
            { key: 'k8s:io.kubernetes.pod.namespace', operator: 'NotIn', values: ['kube-system'] },
          ],
        },
        egress: [
          { toEntities: ['kube-apiserver'], toPorts: [{ ports: [{ port: '6443', protocol: 'TCP' }] }] },
          KUBE_DNS_EGRESS,
        ],
      }),
    ],
  },
  check(ctx, report) {
    if (!isCcnp(ctx.policy)) return;
    const rules = rulesOf(ctx.policy);
    const egress = rules.flatMap((r) => elementsOf(r, ['egress']));
    const dnsPods = [
      ...KUBE_DNS_IDENTITIES,
      ...ctx.cluster.workloads
        .filter((w) => w.namespace === 'kube-system' && /dns/.test(w.name))
        .map((w) => w.identity),
    ];
    const toDns = (el: (typeof egress)[number]): boolean =>
      !hasL3(el) ||
      ['cluster', 'all'].some((e) => asArray(el.element.toEntities).includes(e)) ||
      asArray(el.element.toEndpoints).some((sel) => {
        const reqs = effectivePeer(ctx.policy, sel);
        return !!reqs && dnsPods.some((id) => requirementsMatch(reqs, id));
      });
    const allowsDns = egress.some(
      (el) => dnsRulesOf(el).length > 0 || (elementCoversPort(el, 'UDP', 53) && toDns(el)),
    );
    if (allowsDns) return;
    for (const r of rules) {
      if (
        r.rule.endpointSelector === undefined ||
        !selectsNearlyAll(r.rule.endpointSelector) ||
        !ruleDefaultDenies(r, 'egress')
      )
        continue;
      const section = asArray(r.rule.egress).length > 0 ? 'egress' : 'egressDeny';
      report(
        `${r.path}.${section}`,
        'the rule puts (nearly) every pod of the cluster into egress default-deny and this policy allows no DNS, so name resolution fails cluster-wide',
        'add an egress element to kube-dns in this policy: `{toEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: kube-system, k8s:k8s-app: kube-dns}}], toPorts: [{ports: [{port: "53", protocol: ANY}], rules: {dns: [{matchPattern: "*"}]}}]}`',
      );
    }
  },
});
