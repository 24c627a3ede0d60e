import {
  IpAddress,
  parseCidrLabel,
  parseIp,
  Prefix,
  prefixContainsIp,
  prefixContainsPrefix,
} from '../cilium/cidr';
import { normalizeDnsName } from '../cilium/fqdn';
import { Identity } from './identity';
import { CidrPeer, Entry, L4Set, PeerSet } from './model';
import { Flow, FlowPeer } from './types';

/** Tri-state matching of entries against one flow (docs/cilium-semantics.md, "How L3 and L4 combine", "CIDR and FQDN peers", "Ports" and "toFQDNs"). */

export const NO = 0;
export const YES = 1;
export const UNKNOWN = 2;
/** Matched, and every matching port carries L7 rules. */
export const YES_L7 = 3;
export type MatchResult = typeof NO | typeof YES | typeof UNKNOWN | typeof YES_L7;

export interface MatchContext {
  readonly flow: Flow;
  /** The other end of the flow, seen from the enforcing endpoint. */
  readonly peer: FlowPeer;
  readonly peerId: Identity;
  readonly cidrMatchNodes: boolean;
  /** Reasons for UNKNOWN results, filled on demand. */
  reasons?: string[];
  /** The peer's parsed address (null: none or unparseable), computed once. */
  ip?: IpAddress | null;
}

function mostSpecificCidrLabel(id: Identity): Prefix | undefined {
  let best: Prefix | undefined;
  for (const l of id.labels) {
    if (l.source !== 'cidr') continue;
    const p = parseCidrLabel(l.key);
    if (p && (!best || p.length > best.length)) best = p;
  }
  return best;
}

function cidrMatches(c: CidrPeer, ctx: MatchContext): MatchResult {
  const id = ctx.peerId;
  if (!id.isWorld && !(ctx.cidrMatchNodes && id.isNode)) return NO;
  // Cilium turns the all-addresses prefix into the world selector: it never selects nodes (conformance correction).
  if (!id.isWorld && c.prefix.length === 0) return NO;
  if (ctx.ip === undefined) ctx.ip = (ctx.peer.ip !== undefined ? parseIp(ctx.peer.ip) : undefined) ?? null;
  const ip = ctx.ip;
  if (ip) {
    if (!prefixContainsIp(c.prefix, ip)) return NO;
    return c.except.some((e) => prefixContainsIp(e, ip)) ? NO : YES;
  }
  const label = id.isWorld ? mostSpecificCidrLabel(id) : undefined;
  if (label) {
    if (!prefixContainsPrefix(c.prefix, label)) return NO;
    if (c.except.some((e) => prefixContainsPrefix(e, label))) return NO;
    if (c.except.some((e) => prefixContainsPrefix(label, e))) return UNKNOWN;
    return YES;
  }
  // 0.0.0.0/0 (or ::/0) without exceptions is the world entity itself.
  if (id.isWorld && c.prefix.length === 0 && c.except.length === 0) return YES;
  return UNKNOWN;
}

function note(ctx: MatchContext, text: string): void {
  (ctx.reasons ??= []).push(text);
}

export function peerMatches(peers: PeerSet, ctx: MatchContext, explain: boolean): MatchResult {
  if (peers.kind === 'any') return YES;
  if (peers.kind === 'none') return NO;
  const id = ctx.peerId;
  for (const sel of peers.selectors) if (sel.matches(id)) return YES;
  let unknown = false;
  for (const c of peers.cidrs) {
    const r = cidrMatches(c, ctx);
    if (r === YES) return YES;
    if (r === UNKNOWN) {
      unknown = true;
      if (explain) note(ctx, `the CIDR rule ${c.prefix.text} may match, but the peer's address is unknown`);
    }
  }
  if (peers.fqdns.length > 0 && id.isWorld) {
    const names = ctx.peer.dnsNames;
    if (names && names.length > 0) {
      for (const n of names) {
        const normalized = normalizeDnsName(n);
        for (const f of peers.fqdns) if (f.matches(normalized)) return YES;
      }
    } else {
      unknown = true;
      if (explain) {
        note(
          ctx,
          `the world destination has no DNS names, so the toFQDNs selector (${peers.fqdns.map((f) => f.text).join(', ')}) may or may not match it`,
        );
      }
    }
  }
  for (const o of peers.opaque) {
    if (o.worldOnly && !id.isWorld) continue;
    unknown = true;
    if (explain) note(ctx, o.reason);
  }
  return unknown ? UNKNOWN : NO;
}

export function l4Matches(l4: L4Set | undefined, ctx: MatchContext, explain: boolean): MatchResult {
  if (!l4) return YES;
  const flow = ctx.flow;
  if (flow.protocol === 'ICMPv4' || flow.protocol === 'ICMPv6') {
    let unknown = false;
    for (const c of l4.icmps) {
      if (c.protocol !== flow.protocol) continue;
      if (flow.icmpType === undefined) unknown = true;
      // Type 0 becomes ICMP "port" 0, Cilium's wildcard: every type of the family (conformance correction).
      else if (c.type === 0 || c.type === flow.icmpType) return YES;
    }
    if (unknown && explain) note(ctx, 'the flow has no ICMP type, and an icmps rule depends on it');
    return unknown ? UNKNOWN : NO;
  }
  let matched = false;
  let plain = false;
  let unknown = false;
  for (const p of l4.ports) {
    if (!p.protocols.includes(flow.protocol)) continue;
    if (p.name !== undefined) {
      const named = flow.destination.namedPorts;
      if (named === undefined) {
        if (ctx.peerId.isWorld && flow.destination === ctx.peer) continue; // named ports never apply to world peers
        unknown = true;
        if (explain)
          note(ctx, `named port "${p.name}" cannot be resolved: the destination's named ports are not known`);
        continue;
      }
      const hit = named.some(
        (np) => np.name.toLowerCase() === p.name && np.protocol === flow.protocol && np.port === flow.port,
      );
      if (!hit) continue;
    } else if (
      flow.port === undefined ? !(p.low === 0 && p.high === 65535) : flow.port < p.low || flow.port > p.high
    ) {
      continue;
    }
    matched = true;
    if (!p.l7) plain = true;
  }
  if (matched) return plain ? YES : YES_L7;
  return unknown ? UNKNOWN : NO;
}

/** An entry matches when both its peers and its ports match (L3 AND L4). */
export function entryMatches(entry: Entry, ctx: MatchContext, explain: boolean): MatchResult {
  const port = ctx.flow.port;
  if (port !== undefined && (port < entry.lowestPort || port > entry.highestPort)) return NO;
  const l4 = l4Matches(entry.l4, ctx, false);
  if (l4 === NO) return NO;
  const l3 = peerMatches(entry.peers, ctx, false);
  if (l3 === NO) return NO;
  if (l3 === UNKNOWN || l4 === UNKNOWN) {
    if (explain) {
      if (l3 === UNKNOWN) peerMatches(entry.peers, ctx, true);
      if (l4 === UNKNOWN) l4Matches(entry.l4, ctx, true);
    }
    return UNKNOWN;
  }
  return l4;
}
