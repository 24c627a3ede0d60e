/**
 * Entities (docs/cilium-semantics.md, "Entities"): names for reserved identities or groups of them.
 */

/**
 * The `fromEntities`/`toEntities` enum of the CRDs shipped in imports/cilium/1.20. The agent also
 * knows `world-ipv4`, `world-ipv6` and `cluster-mesh`, which this enum rejects.
 */
export const CRD_ENTITY_NAMES = [
  'all',
  'world',
  'cluster',
  'host',
  'init',
  'ingress',
  'unmanaged',
  'remote-node',
  'health',
  'none',
  'kube-apiserver',
] as const;
export type CrdEntityName = (typeof CRD_ENTITY_NAMES)[number];

/** Entities that stand for reserved labels (`reserved:<key>`): the entity selects each of them. */
export const RESERVED_ENTITY_LABELS: Readonly<Record<string, readonly string[]>> = {
  host: ['host'],
  'remote-node': ['remote-node'],
  'kube-apiserver': ['kube-apiserver'],
  ingress: ['ingress'],
  health: ['health'],
  init: ['init'],
  unmanaged: ['unmanaged'],
  world: ['world', 'world-ipv4', 'world-ipv6'],
  'world-ipv4': ['world-ipv4'],
  'world-ipv6': ['world-ipv6'],
};

/** Reserved identities inside `cluster` and `cluster-mesh`, beside the pods of the cluster(s). */
export const CLUSTER_RESERVED_LABELS: readonly string[] = [
  'host',
  'remote-node',
  'init',
  'ingress',
  'health',
  'unmanaged',
  'kube-apiserver',
];

/** Every entity the 1.20 agent accepts. */
export const AGENT_ENTITY_NAMES: readonly string[] = [
  ...Object.keys(RESERVED_ENTITY_LABELS),
  'cluster',
  'cluster-mesh',
  'all',
  'none',
];

export function isCrdEntityName(name: unknown): name is CrdEntityName {
  return (CRD_ENTITY_NAMES as readonly unknown[]).includes(name);
}

/** Entities of single reserved identities, most specific first (identity 7 is kube-apiserver and remote-node). */
const ENTITY_PREFERENCE = [
  'kube-apiserver',
  'host',
  'remote-node',
  'health',
  'ingress',
  'init',
  'unmanaged',
  'world',
];

/** The narrowest entity that selects an identity with these reserved label keys (`world-ipv4` -> `world`). */
export function entityForReserved(reservedKeys: Iterable<string>): string | undefined {
  const keys = new Set(reservedKeys);
  if ([...keys].some((k) => k.startsWith('world'))) keys.add('world');
  return ENTITY_PREFERENCE.find((e) => keys.has(e));
}
