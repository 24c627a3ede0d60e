import { IConstruct } from 'constructs';
import { parsePrefix, prefixContainsPrefix } from '../cilium/cidr';
import { Entity, EntityName } from './entity';
import { invalidProp, underField } from './errors';
import { Fqdn, RenderedFqdn } from './fqdn';
import { uniqueSorted } from './canonical';
import { EndpointSelector, RenderedSelector } from './selector';

/** A rendered CIDR set item. */
export interface RenderedCidr {
  readonly cidr: string;
  readonly except?: string[];
}

/** The rendered L3 part of one rule (exactly one kind, or none for "any peer"). */
export interface RenderedPeer {
  readonly endpoints?: RenderedSelector[];
  readonly entities?: EntityName[];
  readonly cidrs?: RenderedCidr[];
  readonly fqdns?: RenderedFqdn[];
}

/** Where a rule renders: the policy's namespace fills peers that name none. */
export interface RenderContext {
  /** The CNP's namespace; undefined in a CCNP. */
  readonly namespace?: string;
}

/** Options of `Peer.cidr`. */
export interface CidrOptions {
  /** Sub-ranges of the CIDR to leave out; each must lie inside it. @default - none */
  readonly except?: string[];
}

/**
 * The other end of an ingress or egress rule: pods, entities, CIDRs or DNS names. Made by the
 * `Peer` factories; Cilium allows one kind per rule, so add several rules to combine kinds.
 */
export interface IPeer {
  /** True when the peer names the namespaces of its pods (always true for peers that are not pods). */
  readonly namesNamespaces: boolean;
  /** @internal What the peer renders to in a rule; `field` names it in errors. */
  _render(field: string, context: RenderContext): RenderedPeer;
}

/** The peer factories. */
export class Peer {
  /** Pods selected by labels (or workload constructs). In a CNP, selectors without a namespace mean the policy's namespace. */
  static endpoints(...selectors: Array<EndpointSelector | IConstruct>): IPeer {
    return new EndpointsPeer(selectors.map((s) => EndpointSelector.of(s)));
  }

  /** Entities such as `Entity.HOST` or `Entity.KUBE_APISERVER`. */
  static entities(...entities: Entity[]): IPeer {
    return new EntitiesPeer(entities);
  }

  /** Addresses outside the cluster. In-cluster peers have identities: select them by labels or entities instead. */
  static cidr(cidr: string, options: CidrOptions = {}): IPeer {
    return new CidrPeer(cidr, options.except ?? []);
  }

  /** DNS names (egress only); needs a DNS rule on the same pods, which FqdnEgress adds for you. */
  static fqdns(...fqdns: Fqdn[]): IPeer {
    return new FqdnsPeer(fqdns);
  }

  /** Any peer at all, world included: a rule with only ports. Prefer a named peer. */
  static anyPeer(): IPeer {
    return new AnyPeer();
  }

  /** CoreDNS / kube-dns pods in kube-system (`k8s-app: kube-dns`). */
  static kubeDns(namespace?: string): IPeer {
    return Peer.endpoints(
      EndpointSelector.labels({ 'k8s-app': 'kube-dns' }, { namespace: namespace ?? 'kube-system' }),
    );
  }

  private constructor() {}
}

/** Pods by endpoint selector (`fromEndpoints` / `toEndpoints`). */
export class EndpointsPeer implements IPeer {
  constructor(readonly selectors: EndpointSelector[]) {}

  get namesNamespaces(): boolean {
    return this.selectors.every((s) => s.constrainsNamespace);
  }

  /** @internal */
  _render(field: string, context: RenderContext): RenderedPeer {
    requireItems(field, 'endpoints', this.selectors);
    return {
      endpoints: uniqueSorted(
        this.selectors.map((s, i) => s.withDefaultNamespace(context.namespace)._render(`${field}[${i}]`)),
      ),
    };
  }
}

/** Entities (`fromEntities` / `toEntities`). */
export class EntitiesPeer implements IPeer {
  readonly namesNamespaces = true;
  constructor(readonly entities: Entity[]) {}

  /** @internal */
  _render(field: string): RenderedPeer {
    requireItems(field, 'entities', this.entities);
    const names = this.entities.map((e, i) => underField(`${field}[${i}]`, () => Entity._checkName(e.name)));
    return { entities: [...new Set(names)].sort() };
  }
}

/** One CIDR with its exceptions (`fromCIDRSet` / `toCIDRSet`). */
export class CidrPeer implements IPeer {
  readonly namesNamespaces = true;
  constructor(
    readonly cidr: string,
    readonly except: string[],
  ) {}

  /** @internal */
  _render(field: string): RenderedPeer {
    return { cidrs: [renderCidr(`${field}[0]`, this.cidr, this.except)] };
  }
}

/** DNS names (`toFQDNs`). */
export class FqdnsPeer implements IPeer {
  readonly namesNamespaces = true;
  constructor(readonly fqdns: Fqdn[]) {}

  /** @internal */
  _render(field: string): RenderedPeer {
    requireItems(field, 'fqdns', this.fqdns);
    return { fqdns: uniqueSorted(this.fqdns.flatMap((f, i) => f._render(`${field}[${i}]`))) };
  }
}

/** No L3 selector: every peer. */
export class AnyPeer implements IPeer {
  readonly namesNamespaces = true;

  /** @internal */
  _render(): RenderedPeer {
    return {};
  }
}

/** The pod selectors of a peer made by `Peer.endpoints` (none for other peers). */
export function endpointSelectorsOf(peer: IPeer): EndpointSelector[] {
  return peer instanceof EndpointsPeer ? peer.selectors : [];
}

/** The entities of a peer made by `Peer.entities` (none for other peers). */
export function entitiesOf(peer: IPeer): Entity[] {
  return peer instanceof EntitiesPeer ? peer.entities : [];
}

function requireItems(field: string, kind: string, items: readonly unknown[]): void {
  if (items.length === 0) {
    invalidProp(
      field,
      [],
      `an empty ${kind} list selects nothing`,
      'name at least one peer, or drop the rule',
    );
  }
}

function renderCidr(field: string, cidr: string, except: readonly string[]): RenderedCidr {
  const parsed = parsePrefix(cidr);
  if (!parsed)
    invalidProp(
      `${field}.cidr`,
      cidr,
      'not a CIDR in prefix notation',
      'write e.g. `203.0.113.0/24` or `2001:db8::/32`',
    );
  const out = except.map((e, i) => {
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
