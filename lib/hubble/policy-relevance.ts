import { DROP_REASON_NAMES, HubbleFlow } from './flow-json';

/** Why a flow event is (or is not) something L3/L4 policy decided. */
export type Relevance =
  | { readonly evaluate: true; readonly event: 'policy-verdict' | 'policy-drop' | 'first-packet' }
  | { readonly evaluate: false; readonly reason: string };

const POLICY_DROP: Relevance = { evaluate: true, event: 'policy-drop' };
const POLICY_VERDICT: Relevance = { evaluate: true, event: 'policy-verdict' };
const FIRST_PACKET: Relevance = { evaluate: true, event: 'first-packet' };

const EVENT_DROP = 1;
const EVENT_DEBUG = 2;
const EVENT_CAPTURE = 3;
const EVENT_POLICY_VERDICT = 5;
const EVENT_TRACE_SOCK = 7;
const EVENT_ACCESS_LOG = 129;
const EVENT_AGENT = 130;

const POLICY_DROP_REASONS = new Set(['POLICY_DENIED', 'POLICY_DENY']);
/** Conntrack states of a trace event that say "not the first packet of a connection". */
const NOT_NEW_TRACE_REASONS = new Set(['ESTABLISHED', 'REPLY', 'RELATED', 'REOPENED']);
/** ICMP echo replies and error messages: conntrack passes them as replies or related traffic. */
const ICMPV4_NOT_NEW = new Set([0, 3, 4, 5, 11, 12, 14, 16, 18]);
const ICMPV6_NOT_NEW = new Set([1, 2, 3, 4, 129]);

/**
 * Keeps what L3/L4 policy decides: policy-verdict events, policy drops and first packets of
 * connections (TCP SYN without ACK, UDP, SCTP, ICMP requests ...). Everything else gets a
 * reason: L7 events, replies, non-policy drops, later packets of established connections.
 */
export function policyRelevance(flow: HubbleFlow): Relevance {
  const eventType = flow.event_type?.type;
  if (flow.Type === 'L7' || eventType === EVENT_ACCESS_LOG || flow.l7 !== undefined) {
    return skip('L7 event (HTTP/DNS/Kafka, decided by the proxy, not L3/L4 policy)');
  }
  if (flow.Type === 'SOCK' || eventType === EVENT_TRACE_SOCK) return skip('socket trace event');
  if (eventType === EVENT_DEBUG || eventType === EVENT_CAPTURE || eventType === EVENT_AGENT) {
    return skip('debug, capture or agent event');
  }
  if (flow.verdict === 'TRANSLATED') return skip('service translation event (TRANSLATED)');
  if (flow.verdict === 'ERROR') return skip('ERROR verdict');
  if (flow.is_reply === true || (flow.is_reply === undefined && flow.reply === true)) {
    return skip('reply packet (is_reply: true)');
  }
  if (flow.verdict === 'DROPPED' || eventType === EVENT_DROP) {
    const reason = dropReason(flow);
    if (reason && POLICY_DROP_REASONS.has(reason)) return POLICY_DROP;
    return skip(`drop not caused by policy (${reason ?? 'reason unknown'})`);
  }
  if (eventType === EVENT_POLICY_VERDICT || flow.verdict === 'AUDIT') return POLICY_VERDICT;
  if (flow.trace_reason && NOT_NEW_TRACE_REASONS.has(flow.trace_reason)) {
    return skip('packet of an established, reply or related connection (trace_reason)');
  }
  const l4 = flow.l4;
  if (!l4 || typeof l4 !== 'object') return skip('no L4 header');
  if (l4.TCP) {
    const flags = l4.TCP.flags;
    if (!flags) return skip('TCP packet without flags (cannot tell the first packet)');
    if (flags.SYN && !flags.ACK) return FIRST_PACKET;
    return skip('TCP packet of an established connection (not SYN, or SYN-ACK)');
  }
  if (l4.ICMPv4 && ICMPV4_NOT_NEW.has(l4.ICMPv4.type ?? 0))
    return skip('ICMP echo reply or error (related to an existing flow)');
  if (l4.ICMPv6 && ICMPV6_NOT_NEW.has(l4.ICMPv6.type ?? 0))
    return skip('ICMP echo reply or error (related to an existing flow)');
  if (l4.UDP || l4.SCTP || l4.ICMPv4 || l4.ICMPv6 || l4.VRRP || l4.IGMP) return FIRST_PACKET;
  return skip('no L4 header');
}

/** `drop_reason_desc`, else the deprecated numeric `drop_reason`, else a drop event's sub_type. */
export function dropReason(flow: HubbleFlow): string | undefined {
  if (flow.drop_reason_desc) return flow.drop_reason_desc;
  const code =
    flow.drop_reason ?? (flow.event_type?.type === EVENT_DROP ? flow.event_type.sub_type : undefined);
  if (code === undefined) return undefined;
  return DROP_REASON_NAMES[code] ?? `drop reason ${code}`;
}

function skip(reason: string): Relevance {
  return { evaluate: false, reason };
}
