import { entityForReserved, RESERVED_ENTITY_LABELS } from './entities';
import { Label, NAMESPACE_KEY } from './labels';

/**
 * Which identity a label set is (docs/cilium-semantics.md, "Entities"): a pod of a namespace, a
 * reserved identity (host, health, world ...), or an address outside the cluster (world, CIDR, FQDN).
 */
export interface IdentityClass {
  /** The pod's namespace (`k8s:io.kubernetes.pod.namespace`); undefined for other identities. */
  readonly namespace?: string;
  /** The keys of its `reserved:` labels, sorted. */
  readonly reserved: readonly string[];
  /** Not a cluster identity: world, a CIDR or FQDN identity, or no label at all. CIDR and FQDN rules apply. */
  readonly isWorld: boolean;
  /** Only an address identifies it: every label (at least one) is world, CIDR or FQDN. */
  readonly isAddressOnly: boolean;
  /**
   * Named by its address rather than an entity: no reserved label, or only world ones. Reports show
   * it as `cidr:`/`fqdn:` and a fix allows it by CIDR or FQDN (a kube-apiserver with CIDR labels
   * stays the entity).
   */
  readonly byAddress: boolean;
  /** The narrowest entity that selects it (`world-ipv4` -> `world`), if it is a reserved identity. */
  readonly entity?: string;
  /** Enforces policy unless told otherwise: pods and the health, ingress and init endpoints. */
  readonly managedByDefault: boolean;
}

const WORLD_RESERVED: ReadonlySet<string> = new Set(RESERVED_ENTITY_LABELS.world);

/** Reserved identities that are endpoints enforcing policy themselves, as pods do. */
export const SELF_ENFORCING_RESERVED: ReadonlySet<string> = new Set(['health', 'ingress', 'init']);

const isAddressLabel = (l: Label) =>
  l.source === 'cidr' || l.source === 'fqdn' || (l.source === 'reserved' && WORLD_RESERVED.has(l.key));

/** Classifies the (identity-relevant) labels of a peer. */
export function classifyIdentity(labels: readonly Label[]): IdentityClass {
  const namespace = labels.find((l) => l.source === 'k8s' && l.key === NAMESPACE_KEY)?.value;
  const reserved = labels
    .filter((l) => l.source === 'reserved')
    .map((l) => l.key)
    .sort();
  const isWorld =
    labels.length === 0 ||
    reserved.some((r) => WORLD_RESERVED.has(r)) ||
    labels.some((l) => l.source === 'cidr' || l.source === 'fqdn');
  const entity = reserved.length > 0 ? entityForReserved(reserved) : undefined;
  return {
    reserved,
    isWorld,
    byAddress: reserved.length === 0 || entity === 'world',
    isAddressOnly: labels.length > 0 && labels.every(isAddressLabel),
    managedByDefault: namespace !== undefined || reserved.some((r) => SELF_ENFORCING_RESERVED.has(r)),
    ...(namespace !== undefined ? { namespace } : {}),
    ...(entity !== undefined ? { entity } : {}),
  };
}
