import { Prefix } from '../cilium/cidr';
import { NameMatcher } from '../cilium/fqdn';
import { CompiledSelector } from './selector';
import { Direction, FlowProtocol, RuleRef } from './types';

/** The compiled form of policies: one Entry per element of ingress/ingressDeny/egress/egressDeny. */

/**
 * The empty list compiled policies share (never written to): many lists are empty, and each
 * list kept for the run costs memory and collection time.
 */
export const NO_ITEMS: readonly never[] = [];

export interface PolicySource {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly file?: string;
  readonly line?: number;
}

export interface CidrPeer {
  readonly prefix: Prefix;
  readonly except: readonly Prefix[];
}

export interface FqdnPeer {
  readonly text: string;
  readonly matches: NameMatcher;
}

/** A peer kind that cannot be resolved offline (toServices, toGroups, cidrGroupRef ...). */
export interface OpaquePeer {
  readonly reason: string;
  /** Only world (non-identity) peers can match, as for CIDR-based peers. */
  readonly worldOnly: boolean;
}

export type PeerSet =
  | { readonly kind: 'any' }
  | { readonly kind: 'none' }
  | {
      readonly kind: 'list';
      readonly selectors: readonly CompiledSelector[];
      readonly cidrs: readonly CidrPeer[];
      readonly fqdns: readonly FqdnPeer[];
      readonly opaque: readonly OpaquePeer[];
    };

export interface PortClause {
  readonly protocols: readonly FlowProtocol[];
  readonly low: number;
  readonly high: number;
  /** Named port (lower-cased), resolved against the destination's named ports. */
  readonly name?: string;
  /** The toPorts entry carries L7 rules (http/dns/kafka/l7proto), SNI or a listener. */
  readonly l7: boolean;
}

export interface IcmpClause {
  readonly protocol: 'ICMPv4' | 'ICMPv6';
  readonly type: number;
}

/** Undefined L4 means every port of every protocol, ICMP included. */
export interface L4Set {
  readonly ports: readonly PortClause[];
  readonly icmps: readonly IcmpClause[];
}

export interface Entry {
  readonly ref: RuleRef;
  readonly direction: Direction;
  readonly deny: boolean;
  readonly defaultDeny: boolean;
  readonly peers: PeerSet;
  readonly l4?: L4Set;
  /**
   * Every port a flow may have for `l4` to match lies in lowestPort..highestPort (0..65535 without
   * L4 or with a named port; an empty range for ICMP only): a cheap test before `l4`.
   */
  readonly lowestPort: number;
  readonly highestPort: number;
  /** A DNS L7 rule (learns FQDN IPs through the DNS proxy). */
  readonly dnsRule: boolean;
}

export interface CompiledRule {
  readonly source: PolicySource;
  readonly path: string;
  readonly subject: CompiledSelector;
  /** The CNP namespace (subjects only select pods of it); undefined for CCNP. */
  readonly namespace?: string;
  readonly entries: { readonly ingress: readonly Entry[]; readonly egress: readonly Entry[] };
  readonly defaultDeny: { readonly ingress: boolean; readonly egress: boolean };
  /** Sections present per direction (`ingress`, `ingressDeny`, ...), as DEFAULT_DENY reports name them. */
  readonly sections: { readonly ingress: readonly RuleRef[]; readonly egress: readonly RuleRef[] };
}
