import { text } from '../util/shape';
import { CNP_KIND } from '../../manifest/types';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { workloadsMatching } from '../util/cluster';
import { NAMESPACE_KEY } from '../../cilium/labels';
import { hasReservedKey, namesNamespace, requirementsOf } from '../util/selector';
import { identitySelectorsOf } from '../util/selectors-of';

const KUBE_DNS_APPS = ['kube-dns', 'coredns'];

export const cnpPeerMissingNamespace = defineRule({
  id: 'cnp-peer-missing-namespace',
  severity: 'warning',
  title: 'A CiliumNetworkPolicy peer without a namespace only matches its own namespace',
  rationale: 'Cilium adds the policy\'s namespace to CNP peer selectors that name no namespace, so `toEndpoints: [{matchLabels: {k8s-app: kube-dns}}]` in namespace `web` matches nothing (PR #6399, semantics note 1.6). Reported when the selected labels exist only in other namespaces of the run, or for kube-dns.',
  examples: {
    bad: [cnp('web', { endpointSelector: { matchLabels: { app: 'web' } }, egress: [{ toEndpoints: [{ matchLabels: { 'k8s-app': 'kube-dns' } }], toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }] }] }] }, 'web')],
    good: [cnp('web', { endpointSelector: { matchLabels: { app: 'web' } }, egress: [{ toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } }], toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }] }] }] }, 'web')],
  },
  check(ctx, report) {
    if (ctx.policy.kind !== CNP_KIND) return;
    const ns = text(ctx.policy.metadata?.namespace, 'default');
    for (const s of identitySelectorsOf(ctx.policy)) {
      if (s.role !== 'peer') continue;
      const reqs = requirementsOf(s.selector);
      if (!reqs || reqs.length === 0 || hasReservedKey(reqs) || namesNamespace(reqs)) continue;
      const everywhere = workloadsMatching(ctx.cluster, reqs);
      const here = everywhere.filter((w) => w.namespace === ns);
      const elsewhere = [...new Set(everywhere.filter((w) => w.namespace !== ns).map((w) => w.namespace))].sort();
      const kubeDns = ns !== 'kube-system' && reqs.some((r) => (r.key === 'k8s-app' || r.key === 'app.kubernetes.io/name') && r.operator === 'In' && r.values.some((v) => KUBE_DNS_APPS.includes(v)));
      if (here.length > 0 || (elsewhere.length === 0 && !kubeDns)) continue;
      const target = elsewhere.length > 0 ? elsewhere : ['kube-system'];
      report(s.path, `the peer has no namespace key, so it only matches pods in ${ns}; the pods it names run in ${target.join(', ')}`,
        target.length === 1
          ? `add \`k8s:${NAMESPACE_KEY}: ${target[0]}\` to the selector`
          : `add a matchExpression \`{key: k8s:${NAMESPACE_KEY}, operator: In, values: [${target.join(', ')}]}\``);
    }
  },
});
