/**
 * Cilium's default label filter (semantics note 1.6 and 10.10): which Kubernetes label keys
 * become part of a security identity. Selectors on the other keys never match anything.
 */

const INCLUDED_PREFIXES = ['io.kubernetes.pod.namespace', 'io.cilium.k8s.namespace.labels', 'io.cilium.k8s.policy', 'app.kubernetes.io'];

const EXCLUDED_EXACT = new Set([
  'pod-template-hash',
  'pod-template-generation',
  'controller-revision-hash',
  'controller-uid',
  'etcd_node',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'batch.kubernetes.io/job-completion-index',
  'batch.kubernetes.io/controller-uid',
]);

/**
 * Why a label key (without source prefix) is left out of identities, or undefined when it is kept.
 */
export function identityExclusionReason(key: string): string | undefined {
  if (INCLUDED_PREFIXES.some((p) => key.startsWith(p))) return undefined;
  if (EXCLUDED_EXACT.has(key)) return `\`${key}\` is set per pod or per revision by a controller and is filtered out of identities`;
  if (key.startsWith('annotation.')) return '`annotation.*` keys are filtered out of identities';
  if (key.startsWith('io.kubernetes.')) return '`io.kubernetes.*` keys (other than the pod namespace) are filtered out of identities';
  const prefix = key.includes('/') ? key.slice(0, key.indexOf('/')) : key;
  if (prefix === 'k8s.io' || prefix.endsWith('.k8s.io') || key.startsWith('k8s.io')) {
    return '`k8s.io*` keys are filtered out of identities';
  }
  if (prefix === 'kubernetes.io' || prefix.endsWith('.kubernetes.io')) {
    return `\`${prefix}/*\` keys are filtered out of identities (only \`app.kubernetes.io/*\` is kept)`;
  }
  return undefined;
}

export function isIdentityLabelKey(key: string): boolean {
  return identityExclusionReason(key) === undefined;
}
