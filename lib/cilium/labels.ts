/**
 * Identity labels (`source:key=value`) and the label keys Cilium itself sets on pod identities
 * (docs/cilium-semantics.md, "Selectors").
 */

export interface Label {
  readonly source: string;
  readonly key: string;
  readonly value: string;
}

/** The pod's namespace. */
export const NAMESPACE_KEY = 'io.kubernetes.pod.namespace';
/** The ClusterMesh cluster name. */
export const CLUSTER_KEY = 'io.cilium.k8s.policy.cluster';
export const SERVICE_ACCOUNT_KEY = 'io.cilium.k8s.policy.serviceaccount';
/** Each namespace label `k=v` becomes `io.cilium.k8s.namespace.labels.k=v` on the namespace's pods. */
export const NAMESPACE_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';
/** The namespace key with its source, as selectors and flow labels write it. */
export const K8S_NAMESPACE_KEY = `k8s:${NAMESPACE_KEY}`;
/** The namespace label Kubernetes sets on every namespace. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Parses `k8s:app=blog`, `reserved:host`, `cidr:10.0.0.0/8`; no source means `unspec`. */
export function parseLabel(text: string): Label {
  const eq = text.indexOf('=');
  const colon = text.indexOf(':');
  let source = 'unspec';
  let rest = text;
  if (colon > 0 && (eq < 0 || colon < eq)) {
    source = text.slice(0, colon);
    rest = text.slice(colon + 1);
  }
  const restEq = rest.indexOf('=');
  if (restEq < 0) return { source, key: rest, value: '' };
  return { source, key: rest.slice(0, restEq), value: rest.slice(restEq + 1) };
}

export function formatLabel(l: Label): string {
  return l.value === '' && (l.source === 'reserved' || l.source === 'cidr')
    ? `${l.source}:${l.key}`
    : `${l.source}:${l.key}=${l.value}`;
}
