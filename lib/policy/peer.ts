import { IConstruct } from 'constructs';
import { parsePrefix, prefixContainsPrefix } from '../cilium/cidr';
import { Entity, EntityName } from './entity';
import { invalidProp, underField } from './errors';
import { Fqdn, RenderedFqdn } from './fqdn';
import { uniqueSorted } from './canonical';
import { EndpointSelector, RenderedSelector } from './selector';

export type PeerKind = 'endpoints' | 'entities' | 'cidr' | 'fqdns' | 'any';

/** A rendered CIDR set item. */
export interface RenderedCidr {
  readonly cidr: string;
  readonly except?: string[];
}

/** The rendered L3 part of one rule element (exactly one kind, or none for "any peer"). */
export interface RenderedPeer {
  readonly endpoints?: RenderedSelector[];
  readonly entities?: EntityName[];
  readonly cidrs?: RenderedCidr[];
  readonly fqdns?: RenderedFqdn[];
}

export interface CidrOptions {
  /** Sub-ranges of the CIDR to leave out; each must lie inside it. @default - none */
  readonly except?: readonly string[];
}

/** Where a rule renders: the policy's namespace fills peers that name none. */
export interface RenderContext {
  /** The CNP's namespace; undefined in a CCNP. */
  readonly namespace?: string;
}

/**
 * The other end of a rule: pods, entities, CIDRs or DNS names. Cilium allows one kind per
 * rule element; add several rules to combine kinds.
 */
export class Peer {
  /** Pods selected by labels (or workload constructs). In a CNP, selectors without a namespace mean the policy's namespace. */
  static endpoints(...selectors: Array<EndpointSelector | IConstruct>): Peer {
    return new Peer(
      'endpoints',
      selectors.map((s) => EndpointSelector.of(s)),
    );
  }

  /** Entities such as `Entity.HOST` or `Entity.KUBE_APISERVER`. */
  static entities(...entities: Entity[]): Peer {
    return new Peer('entities', entities);
  }

  /** Addresses outside the cluster. In-cluster peers have identities: select them by labels or entities instead. */
  static cidr(cidr: string, options: CidrOptions = {}): Peer {
    return new Peer('cidr', [{ cidr, except: options.except }]);
  }

  /** DNS names (egress only); needs a DNS rule on the same pods, which FqdnEgress adds for you. */
  static fqdns(...fqdns: Array<Fqdn | Fqdn[]>): Peer {
    return new Peer('fqdns', fqdns.flat());
  }

  /**
   * Any peer at all, world included: a rule with only ports. Prefer a named peer.
   */
  static anyPeer(): Peer {
    return new Peer('any', []);
  }

  /** CoreDNS / kube-dns pods in kube-system (`k8s-app: kube-dns`). */
  static kubeDns(namespace = 'kube-system'): Peer {
    return Peer.endpoints(EndpointSelector.labels({ 'k8s-app': 'kube-dns' }, { namespace }));
  }

  private constructor(
    readonly kind: PeerKind,
    private readonly items: readonly unknown[],
  ) {}

  /** The pod selectors of an `endpoints` peer. */
  get endpointSelectors(): readonly EndpointSelector[] {
    return this.kind === 'endpoints' ? (this.items as EndpointSelector[]) : [];
  }

  /** @internal The entities of an `entities` peer. */
  get _entities(): readonly Entity[] {
    return this.kind === 'entities' ? (this.items as Entity[]) : [];
  }

  /** True when the peer names namespaces: explicitly, or by namespace labels. */
  get namesNamespaces(): boolean {
    return this.kind !== 'endpoints' || this.endpointSelectors.every((s) => s.constrainsNamespace);
  }

  /** @internal */
  _render(field: string, context: RenderContext): RenderedPeer {
    if (this.kind !== 'any' && this.items.length === 0) {
      invalidProp(
        field,
        [],
        `an empty ${this.kind} list selects nothing`,
        'name at least one peer, or drop the rule',
      );
    }
    switch (this.kind) {
      case 'any':
        return {};
      case 'endpoints':
        return {
          endpoints: uniqueSorted(
            (this.items as EndpointSelector[]).map((s, i) =>
              s.withDefaultNamespace(context.namespace)._render(`${field}[${i}]`),
            ),
          ),
        };
      case 'entities':
        return {
          entities: [
            ...new Set(
              (this.items as Entity[]).map((e, i) =>
                underField(`${field}[${i}]`, () => Entity.of(e.name).name),
              ),
            ),
          ].sort(),
        };
      case 'cidr':
        return {
          cidrs: (this.items as Array<{ cidr: string; except?: string[] }>).map((c, i) =>
            renderCidr(`${field}[${i}]`, c.cidr, c.except),
          ),
        };
      case 'fqdns':
        return { fqdns: uniqueSorted((this.items as Fqdn[]).map((f, i) => f._render(`${field}[${i}]`))) };
    }
  }
}

function renderCidr(field: string, cidr: string, except?: readonly string[]): RenderedCidr {
  const parsed = parsePrefix(cidr);
  if (!parsed)
    invalidProp(
      `${field}.cidr`,
      cidr,
      'not a CIDR in prefix notation',
      'write e.g. `203.0.113.0/24` or `2001:db8::/32`',
    );
  const out = (except ?? []).map((e, i) => {
    const sub = parsePrefix(e);
    if (!sub)
      invalidProp(
        `${field}.except[${i}]`,
        e,
        'not a CIDR in prefix notation',
        'write e.g. `203.0.113.128/25`',
      );
    if (!prefixContainsPrefix(parsed, sub)) {
      invalidProp(
        `${field}.except[${i}]`,
        e,
        `Cilium rejects an except range that is not inside ${cidr}`,
        `give a sub-range of ${cidr}`,
      );
    }
    return e;
  });
  return out.length ? { cidr, except: [...out].sort() } : { cidr };
}
