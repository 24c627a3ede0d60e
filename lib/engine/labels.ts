/**
 * Identity labels (`source:key=value`) and the label filter Cilium applies before building
 * identities (semantics note 1.6 "Labels that are not in the identity", 10.10).
 */

export interface Label {
  readonly source: string;
  readonly key: string;
  readonly value: string;
}

export const NAMESPACE_KEY = 'io.kubernetes.pod.namespace';
export const CLUSTER_KEY = 'io.cilium.k8s.policy.cluster';
export const NAMESPACE_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';

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

const EXCLUDED_EXACT = new Set([
  'pod-template-hash', 'pod-template-generation', 'controller-revision-hash', 'controller-uid', 'etcd_node',
]);

/**
 * Whether Cilium's default label filter keeps this label in the identity. Only labels from
 * workload sources are filtered; reserved, cidr and fqdn labels always stay.
 */
export function isIdentityLabel(l: Label): boolean {
  if (l.source === 'reserved' || l.source === 'cidr' || l.source === 'fqdn') return true;
  const key = l.key;
  if (key === NAMESPACE_KEY || key.startsWith(NAMESPACE_LABELS_PREFIX)) return true;
  if (key.startsWith('io.cilium.k8s.policy.')) return true;
  if (key.startsWith('app.kubernetes.io')) return true;
  if (key.startsWith('io.kubernetes.')) return false;
  if (EXCLUDED_EXACT.has(key) || key.startsWith('annotation.')) return false;
  if (key.startsWith('k8s.io')) return false;
  const slash = key.indexOf('/');
  const domain = slash < 0 ? key : key.slice(0, slash);
  if (domain === 'kubernetes.io' || domain.endsWith('.kubernetes.io')) return false;
  return true;
}
