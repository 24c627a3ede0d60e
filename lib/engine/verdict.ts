import { DirectionResult, FlowProtocol, Verdict } from './types';

/** A side that drops the flow: an explicit deny, or default deny with nothing allowing it. */
export function isDrop(r: DirectionResult): boolean {
  return r.decision === 'DENIED' || r.decision === 'DEFAULT_DENY';
}

/**
 * DROPPED if a side really drops; UNDECIDED if a side is undecided (it might still drop);
 * AUDIT if drops happen only on audited sides; FORWARDED otherwise.
 */
export function overallVerdict(egress: DirectionResult, ingress: DirectionResult): Verdict {
  const sides = [egress, ingress];
  if (sides.some((s) => isDrop(s) && !s.audited)) return 'DROPPED';
  if (sides.some((s) => s.decision === 'UNDECIDED')) return 'UNDECIDED';
  if (sides.some((s) => isDrop(s))) return 'AUDIT';
  return 'FORWARDED';
}

/** Each flow protocol's rank: the order reports list ports in, and a small code for cache keys. */
export const FLOW_PROTOCOL_INDEX: Readonly<Record<FlowProtocol, number>> = {
  TCP: 0,
  UDP: 1,
  SCTP: 2,
  ICMPv4: 3,
  ICMPv6: 4,
  VRRP: 5,
  IGMP: 6,
};
