import { CNP_KIND } from '../../manifest/types';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { ClusterModel, perCluster, workloadsMatching } from '../util/cluster';
import { Requirement } from '../../cilium/requirements';
import { NAMESPACE_KEY } from '../../cilium/labels';
import { hasReservedKey, isCcnp, namesNamespace, policyNamespace, requirementsOf } from '../util/selector';
import { identitySelectorsOf } from '../util/selectors-of';

/** Cluster add-ons that run in a namespace of their own, by the app label value their charts set. */
const ADD_ON_NAMESPACES: Readonly<Record<string, readonly string[]>> = {
  'kube-dns': ['kube-system'],
  coredns: ['kube-system'],
  'ingress-nginx': ['ingress-nginx'],
  traefik: ['traefik', 'kube-system'],
  'cert-manager': ['cert-manager'],
  'cert-manager-webhook': ['cert-manager'],
  'hubble-relay': ['kube-system'],
  'hubble-ui': ['kube-system'],
  'argocd-server': ['argocd'],
  'argocd-repo-server': ['argocd'],
  'external-dns': ['external-dns'],
  'metrics-server': ['kube-system'],
};
const APP_KEYS = [
  'k8s-app',
  'app',
  'app.kubernetes.io/name',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/component',
];

/** Namespaces a run mentions: of its objects, and named by selectors of its policies. */
function namespacesOf(cluster: ClusterModel): Set<string> {
  return perCluster(cluster, 'namespaces-mentioned', () => {
    const out = new Set<string>([
      ...cluster.namespaceLabels.keys(),
      ...cluster.workloads.map((w) => w.namespace),
    ]);
    for (const p of cluster.policies) {
      const ns = policyNamespace(p.manifest);
      if (ns !== undefined && !isCcnp(p.manifest)) out.add(ns);
      for (const sel of identitySelectorsOf(p.manifest)) {
        for (const r of requirementsOf(sel.selector) ?? [])
          if (r.key === NAMESPACE_KEY && r.operator === 'In') r.values.forEach((v) => out.add(v));
      }
    }
    return out;
  });
}

/** Where the pods an app label names evidently run, when that is not `ns`: a known add-on, or a namespace of the run named like the app. */
function evidentNamespaces(reqs: readonly Requirement[], ns: string, cluster: ClusterModel): string[] {
  const out = new Set<string>();
  const known = namespacesOf(cluster);
  for (const r of reqs) {
    if (!APP_KEYS.includes(r.key) || r.operator !== 'In' || r.values.length !== 1) continue;
    const v = r.values[0];
    for (const target of ADD_ON_NAMESPACES[v] ?? []) out.add(target);
    if (known.has(v)) out.add(v);
  }
  if (out.has(ns)) return [];
  return [...out].sort();
}

export const cnpPeerMissingNamespace = defineRule({
  id: 'cnp-peer-missing-namespace',
  severity: 'warning',
  title: 'A CiliumNetworkPolicy peer without a namespace only matches its own namespace',
  rationale:
    'Cilium adds the policy\'s namespace to CNP peer selectors that name no namespace, so `toEndpoints: [{matchLabels: {k8s-app: kube-dns}}]` in namespace `web` matches nothing (PR #6399, docs/cilium-semantics.md, "Selectors"). Reported when the selected labels exist only in other namespaces of the run, or name an add-on that runs in its own namespace (`app.kubernetes.io/name: ingress-nginx`, kube-dns, cert-manager...) or a namespace of the run, and the policy is elsewhere.',
  examples: {
    bad: [
      cnp(
        'web',
        {
          endpointSelector: { matchLabels: { app: 'web' } },
          egress: [
            {
              toEndpoints: [{ matchLabels: { 'k8s-app': 'kube-dns' } }],
              toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }] }],
            },
          ],
        },
        'web',
      ),
    ],
    good: [
      cnp(
        'web',
        {
          endpointSelector: { matchLabels: { app: 'web' } },
          egress: [
            {
              toEndpoints: [
                { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } },
              ],
              toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }] }],
            },
          ],
        },
        'web',
      ),
    ],
  },
  check(ctx, report) {
    if (ctx.policy.kind !== CNP_KIND) return;
    const ns = policyNamespace(ctx.policy);
    if (ns === undefined) return;
    for (const s of identitySelectorsOf(ctx.policy)) {
      if (s.role !== 'peer') continue;
      const reqs = requirementsOf(s.selector);
      if (!reqs || reqs.length === 0 || hasReservedKey(reqs) || namesNamespace(reqs)) continue;
      const everywhere = workloadsMatching(ctx.cluster, reqs);
      const here = everywhere.filter((w) => w.namespace === ns);
      const elsewhere = [
        ...new Set(everywhere.filter((w) => w.namespace !== ns).map((w) => w.namespace)),
      ].sort();
      if (here.length > 0) continue;
      const target = elsewhere.length > 0 ? elsewhere : evidentNamespaces(reqs, ns, ctx.cluster);
      if (target.length === 0) continue;
      report(
        s.path,
        `the peer has no namespace key, so it only matches pods in ${ns}; the pods it names run in ${target.join(' or ')}`,
        target.length === 1
          ? `add \`k8s:${NAMESPACE_KEY}: ${target[0]}\` to the selector`
          : `add a matchExpression \`{key: k8s:${NAMESPACE_KEY}, operator: In, values: [${target.join(', ')}]}\``,
      );
    }
  },
});
