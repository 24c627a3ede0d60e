import { invalidProp } from './errors';

/** The label Cilium gives every pod for its namespace. */
export const NAMESPACE_LABEL = 'k8s:io.kubernetes.pod.namespace';
/** Namespace labels as Cilium exposes them on pod identities (`<prefix><namespace label key>`). */
export const NAMESPACE_LABELS_PREFIX = 'k8s:io.cilium.k8s.namespace.labels.';

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * Checks a selector key the way Cilium does: an optional `source:` prefix (alphanumeric),
 * then a Kubernetes qualified name (`prefix/name`).
 */
export function validateLabelKey(field: string, key: string): void {
  const fix = 'use a Kubernetes label key such as `app`, `app.kubernetes.io/name` or `k8s:app`';
  const parts = key.split(':');
  if (parts.length > 2) invalidProp(field, key, 'a label key may contain at most one `:` (the source prefix)', fix);
  const [source, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (source !== undefined && !/^[A-Za-z0-9]+$/.test(source)) {
    invalidProp(field, key, `label source \`${source}\` must be alphanumeric`, 'write `k8s:`, `any:` or `reserved:` before the key');
  }
  if (source === undefined && (key.startsWith('reserved.') || key === 'reserved')) {
    invalidProp(field, key, 'reserved labels need a colon', 'use an entity (Entity.HEALTH ...) or write `reserved:health`');
  }
  const slash = name.lastIndexOf('/');
  const prefix = slash >= 0 ? name.slice(0, slash) : undefined;
  const base = slash >= 0 ? name.slice(slash + 1) : name;
  if (!QUALIFIED_NAME.test(base) || (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)))) {
    invalidProp(field, key, 'not a valid Kubernetes label key', fix);
  }
}

export function validateLabelValue(field: string, value: string): void {
  if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
    invalidProp(field, value, 'not a valid label value (at most 63 characters, alphanumeric with `-_.` inside)',
      'use a value such as `blog` or `traefik-traefik`');
  }
}

/** Checks a Kubernetes namespace name (RFC 1123 label). */
export function validateNamespaceName(field: string, namespace: string): void {
  if (typeof namespace !== 'string' || namespace.length > 63 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) {
    invalidProp(field, namespace, 'not a valid namespace name', 'use a lowercase RFC 1123 name such as `blog`');
  }
}

/** Label keys Cilium's default label filter keeps out of security identities (semantics note 1.6, 10.10). */
export function isIdentityInvisibleLabel(key: string): boolean {
  const name = key.includes(':') ? key.slice(key.indexOf(':') + 1) : key;
  if (name === 'io.kubernetes.pod.namespace' || name.startsWith('io.cilium.k8s.namespace.labels.')) return false;
  if (name.startsWith('app.kubernetes.io')) return false;
  if (name === 'io.cilium.k8s.policy.cluster' || name === 'io.cilium.k8s.policy.serviceaccount') return false;
  return INVISIBLE_PREFIXES.some((p) => name.startsWith(p)) || INVISIBLE_NAMES.has(name)
    || /(^|\.)beta\.kubernetes\.io\//.test(name) || name.startsWith('annotation.');
}

const INVISIBLE_PREFIXES = ['io.kubernetes.', 'kubernetes.io/', 'k8s.io', 'topology.kubernetes.io', 'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index', 'batch.kubernetes.io/job-completion-index', 'batch.kubernetes.io/controller-uid'];
const INVISIBLE_NAMES = new Set(['pod-template-hash', 'pod-template-generation', 'controller-revision-hash', 'controller-uid', 'etcd_node']);
