import { KubeManifest } from '../../manifest/types';
import { asArray } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { ClusterModel, perCluster, Workload, workloadsMatching } from '../util/cluster';
import { elementAllowsEntity, elementCoversPort } from '../util/peers';
import { effectiveSubject } from '../util/selector';
import { elementsOf, hasL3, ruleDefaultDenies, RuleRef, rulesOf } from '../util/walk';
import { compareStrings } from '../../util/order';

const API_DEPLOYMENT: KubeManifest = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', namespace: 'shop' },
  spec: {
    selector: { matchLabels: { app: 'api' } },
    template: {
      metadata: { labels: { app: 'api' } },
      spec: {
        containers: [
          {
            name: 'api',
            image: 'api:1',
            ports: [{ name: 'http', containerPort: 8080 }],
            readinessProbe: { httpGet: { path: '/healthz', port: 'http' } },
          },
        ],
      },
    },
  },
};
const apiPolicy = (extra: object[]): KubeManifest =>
  cnp(
    'api-ingress',
    {
      endpointSelector: { matchLabels: { app: 'api' } },
      ingress: [
        {
          fromEndpoints: [{ matchLabels: { app: 'web' } }],
          toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }],
        },
        ...extra,
      ],
    },
    'shop',
  );

function sortKey(m: KubeManifest): string {
  return `${m.kind}\u0000${m.metadata?.namespace ?? ''}\u0000${m.metadata?.name ?? ''}`;
}

function probePort(w: Workload, port: number | string): number | undefined {
  if (typeof port === 'number') return port;
  if (/^[0-9]+$/.test(port)) return Number(port);
  return w.containerPorts.find((c) => c.name === port)?.port;
}

export const probesWithoutHostIngress = defineRule({
  id: 'probes-without-host-ingress',
  severity: 'warning',
  title: 'Probed pods under ingress default-deny without `fromEntities: host`',
  rationale:
    'Kubelet probes come from the host. By default (allow-localhost=always in Kubernetes) Cilium adds a lowest-tier allow from the host, so probes pass; they fail when the agent runs with `allow-localhost=policy`, when a deny (fromEntities host/cluster/all, or a port-only deny) covers the host, or with policyEnforcementMode=always and no ingress rule (docs/cilium-semantics.md, "Host, probes and allow-localhost", issue #48444). Allowing the host explicitly makes the policy independent of that setting.',
  examples: {
    bad: [API_DEPLOYMENT, apiPolicy([])],
    good: [
      API_DEPLOYMENT,
      apiPolicy([{ fromEntities: ['host'], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }] }]),
    ],
  },
  check(ctx, report) {
    for (const p of probeReports(ctx.cluster).get(ctx.policy) ?? []) report(p.path, p.problem, p.fix);
  },
});

interface ProbeReport {
  readonly path: string;
  readonly problem: string;
  readonly fix: string;
}

/** A rule of some policy that selects workloads, with the policy carrying it. */
interface SelectingRule {
  readonly policy: KubeManifest;
  readonly rule: RuleRef;
}

/** Reports for the whole run, keyed by the policy that carries them (the first selecting one, by kind/namespace/name). */
function probeReports(cluster: ClusterModel): Map<KubeManifest, ProbeReport[]> {
  return perCluster(cluster, 'probes-without-host-ingress', () => {
    const out = new Map<KubeManifest, ProbeReport[]>();
    // Most runs hold no probed pods (a policy repository without its workloads): nothing to match.
    if (!cluster.workloads.some((w) => !w.hostNetwork && w.probes.length > 0)) return out;
    const selectingByWorkload = selectingRules(cluster);
    for (const w of cluster.workloads) {
      if (w.hostNetwork || w.probes.length === 0) continue;
      const selecting = selectingByWorkload.get(w) ?? [];
      const enforcing = selecting.filter((s) => ruleDefaultDenies(s.rule, 'ingress'));
      if (enforcing.length === 0) continue;
      const first = [...enforcing].sort((a, b) => compareStrings(sortKey(a.policy), sortKey(b.policy)))[0];
      const report = workloadReport(w, selecting, first);
      if (!report) continue;
      const list = out.get(first.policy) ?? [];
      list.push(report);
      out.set(first.policy, list);
    }
    return out;
  });
}

/** The endpointSelector rules selecting each workload. */
function selectingRules(cluster: ClusterModel): Map<Workload, SelectingRule[]> {
  const byWorkload = new Map<Workload, SelectingRule[]>();
  for (const p of cluster.policies) {
    for (const rule of rulesOf(p.manifest)) {
      const subject = effectiveSubject(p.manifest, rule.rule);
      if (rule.rule.endpointSelector === undefined || !subject) continue;
      for (const w of workloadsMatching(cluster, subject))
        byWorkload.set(w, [...(byWorkload.get(w) ?? []), { policy: p.manifest, rule }]);
    }
  }
  return byWorkload;
}

/** The report for one probed workload under ingress default-deny, unless its rules allow the host on every probed port. */
function workloadReport(
  w: Workload,
  selecting: readonly SelectingRule[],
  first: SelectingRule,
): ProbeReport | undefined {
  const ports = [
    ...new Set(w.probes.map((p) => probePort(w, p.port)).filter((p): p is number => p !== undefined)),
  ].sort((a, b) => a - b);
  const hostAllowed = (port: number | undefined): boolean =>
    selecting.some((s) =>
      elementsOf(s.rule, ['ingress']).some(
        (el) =>
          elementAllowsEntity(el, ['host', 'cluster']) &&
          (port === undefined || elementCoversPort(el, 'TCP', port)),
      ),
    );
  const missing =
    ports.length > 0 ? ports.filter((p) => !hostAllowed(p)) : hostAllowed(undefined) ? [] : [undefined];
  if (missing.length === 0) return undefined;
  const deny = selecting
    .flatMap((s) => elementsOf(s.rule, ['ingressDeny']))
    .find(
      (el) =>
        !hasL3(el) || ['host', 'cluster', 'all'].some((e) => asArray(el.element.fromEntities).includes(e)),
    );
  const portText = missing.every((p) => p !== undefined) ? ` on port ${missing.join(', ')}` : '';
  const why = deny
    ? `and the deny at ${deny.path} covers the host, so the probes are dropped`
    : 'probes still pass by default (allow-localhost=always) but fail under allow-localhost=policy or if a deny ever covers the host';
  return {
    path: `${first.rule.path}.ingress`,
    problem: `${w.kind} ${w.namespace}/${w.name} has kubelet probes (${w.probes.map((p) => p.description).join(', ')}) but no ingress rule selecting it allows the host${portText}; ${why}`,
    fix: `add \`{fromEntities: [host]${ports.length > 0 ? `, toPorts: [{ports: [${ports.map((p) => `{port: "${p}", protocol: TCP}`).join(', ')}]}]` : ''}}\` to ingress`,
  };
}
