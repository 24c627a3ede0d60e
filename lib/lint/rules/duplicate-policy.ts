import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { ClusterModel, perCluster } from '../util/cluster';
import { isCcnp, policyNamespace } from '../util/selector';
import { KubeManifest } from '../../manifest/types';

function idOf(m: KubeManifest): string | undefined {
  const name = m.metadata?.name;
  if (typeof name !== 'string' || name === '') return undefined;
  if (isCcnp(m)) return `${m.kind}/${name}`;
  const ns = policyNamespace(m);
  return ns === undefined ? undefined : `${m.kind}/${ns}/${name}`;
}

type Sourced = { file?: string; line?: number; manifest: KubeManifest };

/** The run's policies that share their id with another, each with all the policies of its id. */
function sharingIds(cluster: ClusterModel): ReadonlyMap<KubeManifest, readonly Sourced[]> {
  return perCluster(cluster, 'policies-sharing-an-id', () => {
    const byId = new Map<string, Sourced[]>();
    for (const p of cluster.policies) {
      const k = idOf(p.manifest);
      if (k !== undefined) (byId.get(k) ?? byId.set(k, []).get(k)!).push(p);
    }
    const out = new Map<KubeManifest, readonly Sourced[]>();
    for (const all of byId.values()) if (all.length > 1) for (const p of all) out.set(p.manifest, all);
    return out;
  });
}

export const duplicatePolicy = defineRule({
  id: 'duplicate-policy',
  severity: 'error',
  title: 'Two policies with the same kind, namespace and name',
  rationale:
    'The cluster holds one object per kind, namespace and name: applying both, the second replaces the first, so the rules of one of them silently never apply. (Identical copies are not reported; Policies without a namespace are left out: their namespace is decided when they are applied; docs/cilium-semantics.md, "Validation".)',
  examples: {
    bad: [
      cnp('web', { endpointSelector: { matchLabels: { app: 'web' } }, ingress: [{}] }),
      cnp('web', { endpointSelector: { matchLabels: { app: 'api' } }, ingress: [{}] }),
    ],
    good: [
      cnp('web', { endpointSelector: { matchLabels: { app: 'web' } }, ingress: [{}] }),
      cnp('api', { endpointSelector: { matchLabels: { app: 'api' } }, ingress: [{}] }),
    ],
  },
  check(ctx, report) {
    const all = sharingIds(ctx.cluster).get(ctx.policy);
    if (all === undefined) return;
    const id = idOf(ctx.policy)!;
    const text = (m: KubeManifest): string => JSON.stringify(m);
    if (all.every((p) => text(p.manifest) === text(ctx.policy))) return;
    const others = all
      .filter((p) => p.manifest !== ctx.policy)
      .map((p) => (p.file ? `${p.file}${p.line ? `:${p.line}` : ''}` : 'another input'));
    report(
      'metadata.name',
      `${all.length} policies in this run are ${id.split('/').slice(1).join('/')} (also ${[...new Set(others)].sort().join(', ')}); applied together, the last one replaces the others`,
      'give each policy its own name, or keep one of them',
    );
  },
});
