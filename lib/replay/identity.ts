import { classifyIdentity, IdentityClass } from '../cilium/identity-class';
import {
  CLUSTER_KEY,
  NAMESPACE_KEY,
  NAMESPACE_LABELS_PREFIX,
  parseLabel,
  SERVICE_ACCOUNT_KEY,
} from '../cilium/labels';
import { byKey } from '../util/order';

/** Reading Cilium identity labels (`source:key=value`) for reports and suggestions. */

/** Label keys that name a workload, in the order a selector prefers them. */
const WORKLOAD_KEYS: ReadonlyArray<readonly string[]> = [
  ['app'],
  ['k8s-app'],
  ['app.kubernetes.io/name', 'app.kubernetes.io/instance'],
  ['app.kubernetes.io/instance'],
  ['name'],
  ['component'],
  [SERVICE_ACCOUNT_KEY],
];

/** Keys that are part of every pod identity and do not tell workloads apart. */
function isContextKey(key: string): boolean {
  return key === NAMESPACE_KEY || key === CLUSTER_KEY || key.startsWith(NAMESPACE_LABELS_PREFIX);
}

/** Which identity the labels of a flow end are (its namespace, entity, address-only). */
export function identityClassOf(labels: readonly string[]): IdentityClass {
  return classifyIdentity(labels.map(parseLabel));
}

export function namespaceOf(labels: readonly string[]): string | undefined {
  return identityClassOf(labels).namespace;
}

/** The entity a reserved identity belongs to (`reserved:host` -> `host`), if any. */
export function entityOf(labels: readonly string[]): string | undefined {
  return identityClassOf(labels).entity;
}

/** A peer that only an address identifies: world, CIDR or FQDN identities. */
export function isAddressOnly(labels: readonly string[]): boolean {
  return identityClassOf(labels).isAddressOnly;
}

/**
 * The labels (without the `k8s:` source) that identify a pod's workload: `app`, `k8s-app`,
 * `app.kubernetes.io/name` (+ instance) ..., else every non-context k8s label.
 */
export function workloadLabels(labels: readonly string[]): Record<string, string> {
  const k8s = new Map<string, string>();
  for (const l of labels) {
    const p = parseLabel(l);
    if (p.source === 'k8s' && !isContextKey(p.key)) k8s.set(p.key, p.value);
  }
  for (const keys of WORKLOAD_KEYS) {
    if (k8s.has(keys[0])) {
      const out: Record<string, string> = {};
      for (const k of keys) if (k8s.has(k)) out[k] = k8s.get(k)!;
      return out;
    }
  }
  return Object.fromEntries([...k8s.entries()].sort(byKey));
}

/** A short workload name: the first workload label value (`blog`), or `pods`. */
export function workloadName(labels: readonly string[]): string {
  const values = Object.values(workloadLabels(labels));
  return values[0] ?? 'pods';
}
