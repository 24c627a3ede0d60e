import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { perCluster } from '../util/cluster';
import { isCcnp, policyNamespace } from '../util/selector';
import { KubeManifest } from '../../manifest/types';

function idOf(m: KubeManifest): string | undefined {
  const name = m.metadata?.name;
  if (typeof name !== 'string' || name === '') return undefined;
  if (isCcnp(m)) return `${m.kind}/${name}`;
  const ns = policyNamespace(m);
  return ns === undefined ? undefined : `${m.kind}/${ns}/${name}`;
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
    const id = idOf(ctx.policy);
    if (id === undefined) return;
    const byId = perCluster(ctx.cluster, 'policies-by-id', () => {
      const out = new Map<string, Array<{ file?: string; line?: number; manifest: KubeManifest }>>();
      for (const p of ctx.cluster.policies) {
        const k = idOf(p.manifest);
        if (k !== undefined) (out.get(k) ?? out.set(k, []).get(k)!).push(p);
      }
      return out;
    });
    const all = byId.get(id) ?? [];
    if (all.length < 2) return;
    // The same object written twice (a copy in docs, a repeated apply) loses nothing.
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
