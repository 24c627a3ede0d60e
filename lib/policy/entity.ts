import { CRD_ENTITY_NAMES, CrdEntityName, isCrdEntityName } from '../cilium/entities';
import { invalidProp } from './errors';

/** The entity names the Cilium 1.20 CRD accepts in `fromEntities` / `toEntities`. */
export const ENTITY_NAMES = CRD_ENTITY_NAMES;
export type EntityName = CrdEntityName;

/** A Cilium entity: a reserved identity or a group of them (docs/cilium-semantics.md, "Entities"). */
export class Entity {
  /** The local node, including host-network pods on it (kubelet probes come from here). */
  static readonly HOST = new Entity('host');
  /** Other nodes and their host-network pods. */
  static readonly REMOTE_NODE = new Entity('remote-node');
  /** The Kubernetes API server, wherever it runs. */
  static readonly KUBE_APISERVER = new Entity('kube-apiserver');
  /** Cilium's own Envoy for Ingress and Gateway API. */
  static readonly INGRESS = new Entity('ingress');
  /** The per-node cilium-health endpoint (TCP 4240 and ICMP). */
  static readonly HEALTH = new Entity('health');
  /** Endpoints whose identity is not resolved yet. */
  static readonly INIT = new Entity('init');
  /** In-cluster endpoints that Cilium does not manage. */
  static readonly UNMANAGED = new Entity('unmanaged');
  /** Everything outside the cluster (same as 0.0.0.0/0 and ::/0). */
  static readonly WORLD = new Entity('world');
  /** Everything in the local cluster: pods and the reserved in-cluster identities, never world. */
  static readonly CLUSTER = new Entity('cluster');
  /** Everything, world included. */
  static readonly ALL = new Entity('all');
  /** Nothing. */
  static readonly NONE = new Entity('none');

  /**
   * An entity by name. The name is checked against the 1.20 CRD enum at synth, where the error can
   * name the construct and the field.
   */
  static of(name: string): Entity {
    return new Entity(name as EntityName);
  }

  /** @internal The name if Cilium 1.20 accepts it; refused otherwise (call under the field's path). */
  static _checkName(name: string): EntityName {
    if (!isCrdEntityName(name)) {
      const hint =
        name === 'world-ipv4' || name === 'world-ipv6'
          ? 'the 1.20 CRD rejects the family-specific world entities; use `world` or a CIDR rule (0.0.0.0/0 or ::/0)'
          : `use one of ${ENTITY_NAMES.join(', ')}`;
      invalidProp('entity', name, 'not an entity Cilium 1.20 accepts', hint);
    }
    return name;
  }

  /** @param name the entity name as Cilium writes it, e.g. `kube-apiserver` */
  private constructor(readonly name: EntityName) {}
}
