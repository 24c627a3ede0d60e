/** Reading Cilium identity labels (`source:key=value`) for reports and suggestions. */

export const NAMESPACE_KEY = 'k8s:io.kubernetes.pod.namespace';

/** Reserved labels that have a policy entity of the same name, most specific first. */
const RESERVED_ENTITIES = ['kube-apiserver', 'host', 'remote-node', 'health', 'ingress', 'init', 'unmanaged', 'world'];

/** Label keys that name a workload, in the order a selector prefers them. */
const WORKLOAD_KEYS: ReadonlyArray<readonly string[]> = [
  ['app'],
  ['k8s-app'],
  ['app.kubernetes.io/name', 'app.kubernetes.io/instance'],
  ['app.kubernetes.io/instance'],
  ['name'],
  ['component'],
  ['io.cilium.k8s.policy.serviceaccount'],
];

/** Keys that are part of every pod identity and do not tell workloads apart. */
function isContextKey(key: string): boolean {
  return key === 'io.kubernetes.pod.namespace' || key === 'io.cilium.k8s.policy.cluster'
    || key.startsWith('io.cilium.k8s.namespace.labels.');
}

export interface ParsedLabel {
  readonly source: string;
  readonly key: string;
  readonly value: string;
}

export function parseLabel(label: string): ParsedLabel {
  const colon = label.indexOf(':');
  const source = colon > 0 && colon < label.indexOf('=') || (colon > 0 && !label.includes('=')) ? label.slice(0, colon) : '';
  const rest = source ? label.slice(colon + 1) : label;
  const eq = rest.indexOf('=');
  return eq === -1 ? { source, key: rest, value: '' } : { source, key: rest.slice(0, eq), value: rest.slice(eq + 1) };
}

export function namespaceOf(labels: readonly string[]): string | undefined {
  const label = labels.find((l) => l.startsWith(`${NAMESPACE_KEY}=`));
  return label?.slice(NAMESPACE_KEY.length + 1);
}

/** The entity a reserved identity belongs to (`reserved:host` -> `host`), if any. */
export function entityOf(labels: readonly string[]): string | undefined {
  const reserved = new Set(labels.filter((l) => l.startsWith('reserved:')).map((l) => parseLabel(l).key));
  if ([...reserved].some((k) => k.startsWith('world'))) reserved.add('world');
  return RESERVED_ENTITIES.find((e) => reserved.has(e));
}

/** A peer that only an address identifies: world, CIDR or FQDN identities. */
export function isAddressOnly(labels: readonly string[]): boolean {
  return labels.length > 0 && labels.every((l) => l.startsWith('reserved:world') || l.startsWith('cidr:') || l.startsWith('fqdn:'));
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
  return Object.fromEntries([...k8s.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A short workload name: the first workload label value (`blog`), or `pods`. */
export function workloadName(labels: readonly string[]): string {
  const values = Object.values(workloadLabels(labels));
  return values[0] ?? 'pods';
}
