import { K8S_NAMESPACE_KEY, NAMESPACE_LABELS_PREFIX as NAMESPACE_LABELS_KEY_PREFIX } from '../cilium/labels';
import {
  invalidSelectorKeyReason,
  isLabelValue,
  isNamespaceName,
  splitSelectorKey,
} from '../cilium/label-keys';
import { invalidProp } from './errors';

/** The label Cilium gives every pod for its namespace. */
export const NAMESPACE_LABEL = K8S_NAMESPACE_KEY;
/** Namespace labels as Cilium exposes them on pod identities (`<prefix><namespace label key>`). */
export const NAMESPACE_LABELS_PREFIX = `k8s:${NAMESPACE_LABELS_KEY_PREFIX}`;

/**
 * Checks a selector key the way Cilium does: an optional `source:` prefix (alphanumeric),
 * then a Kubernetes qualified name (`prefix/name`).
 */
export function validateLabelKey(field: string, key: string): void {
  if (splitSelectorKey(key).source === 'any' && (key.startsWith('reserved.') || key === 'reserved')) {
    invalidProp(
      field,
      key,
      'reserved labels need a colon',
      'use an entity (Entity.HEALTH ...) or write `reserved:health`',
    );
  }
  const why = invalidSelectorKeyReason(key);
  if (why) {
    invalidProp(
      field,
      key,
      `not a valid Cilium label key: ${why}`,
      'use a Kubernetes label key such as `app`, `app.kubernetes.io/name` or `k8s:app`',
    );
  }
}

export function validateLabelValue(field: string, value: string): void {
  if (!isLabelValue(value)) {
    invalidProp(
      field,
      value,
      'not a valid label value (at most 63 characters, alphanumeric with `-_.` inside)',
      'use a value such as `blog` or `traefik-traefik`',
    );
  }
}

/** Checks a Kubernetes namespace name (RFC 1123 label). */
export function validateNamespaceName(field: string, namespace: string): void {
  if (!isNamespaceName(namespace)) {
    invalidProp(
      field,
      namespace,
      'not a valid namespace name',
      'use a lowercase RFC 1123 name such as `blog`',
    );
  }
}
