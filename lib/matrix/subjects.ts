import { NAMESPACE_KEY, NAMESPACE_LABELS_PREFIX, NAMESPACE_NAME_LABEL } from '../cilium/labels';
import { PolicyEngine } from '../engine/engine';
import { Identity } from '../engine/identity';
import { MatrixNode } from './model';
import { compareStrings } from '../util/order';

/** The `workloadKind` of a node built from a policy subject rather than a workload manifest. */
export const POLICY_SUBJECT_KIND = 'PolicySubject';

/** Label keys that name an app, most telling first: the node's name. */
const NAME_KEYS = ['app.kubernetes.io/name', 'app', 'k8s-app', 'app.kubernetes.io/instance', 'name'];

/**
 * Pods a CiliumNetworkPolicy selects that no workload manifest describes (Traefik or Argo CD
 * installed by Helm): one node per distinct subject, built from its selector, so the matrix and
 * the service map show them. A subject that selects a discovered workload adds nothing.
 */
export function policySubjectNodes(engine: PolicyEngine, workloads: readonly MatrixNode[]): MatrixNode[] {
  const byNamespace = new Map<string | undefined, Identity[]>();
  for (const w of workloads) {
    if (w.hostNetwork) continue;
    const id = new Identity(w.peer.labels, engine.options.clusterName);
    const list = byNamespace.get(id.namespace);
    if (list) list.push(id);
    else byNamespace.set(id.namespace, [id]);
  }
  const taken = new Set(workloads.map((w) => w.id));
  const seen = new Set<string>();
  const out: MatrixNode[] = [];
  for (const rule of engine.rules) {
    const namespace = rule.namespace;
    if (namespace === undefined) continue;
    const key = `${namespace}|${rule.subject.canonical}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if ((byNamespace.get(namespace) ?? []).some((id) => rule.subject.matches(id))) continue;
    const own: string[] = [];
    for (const r of rule.subject.requirements) {
      if (r.key === NAMESPACE_KEY || r.key.startsWith(NAMESPACE_LABELS_PREFIX)) continue;
      const source = r.source === 'any' ? 'k8s' : r.source;
      if (r.operator === 'In') own.push(`${source}:${r.key}=${[...r.values].sort()[0]}`);
      else if (r.operator === 'Exists') own.push(`${source}:${r.key}=x`);
    }
    if (own.length === 0) continue; // `{}` selects every pod of the namespace: no one workload stands for it
    const labels = [
      ...new Set([
        `k8s:${NAMESPACE_KEY}=${namespace}`,
        `k8s:${NAMESPACE_LABELS_PREFIX}${NAMESPACE_NAME_LABEL}=${namespace}`,
        ...own,
      ]),
    ].sort();
    if (!rule.subject.matches(new Identity(labels, engine.options.clusterName))) continue;
    const nameLabel = NAME_KEYS.map((k) =>
      own.find((l) => l.slice(l.indexOf(':') + 1).startsWith(`${k}=`)),
    ).find((l) => l !== undefined);
    const name = nameLabel ? nameLabel.slice(nameLabel.indexOf('=') + 1) : rule.source.name;
    let id = `${namespace}/${name}`;
    if (taken.has(id)) id = `${id}@subject`;
    if (taken.has(id)) continue;
    taken.add(id);
    out.push({
      id,
      kind: 'workload',
      namespace,
      name,
      workloadKind: POLICY_SUBJECT_KIND,
      labels,
      declaredPorts: [],
      origin: `${rule.source.kind} ${namespace}/${rule.source.name}${rule.source.file ? ` (${rule.source.file}${rule.source.line ? `:${rule.source.line}` : ''})` : ''}`,
      peer: { labels },
    });
  }
  return out.sort((a, b) => compareStrings(a.id, b.id));
}
