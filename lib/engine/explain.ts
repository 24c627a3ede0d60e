import { stringify } from 'yaml';
import { describePeer, describePort, describeRule } from './describe';
import { isIdentityLabel } from '../cilium/identity-labels';
import { NAMESPACE_KEY, parseLabel } from '../cilium/labels';
import { Direction, DirectionDecision, Flow, FlowPeer, FlowResult, RuleRef, Verdict } from './types';
import { classifyIdentity } from '../cilium/identity-class';

/** Per-direction explanation in words a person can act on (used by `explain` and reports). */
export interface DirectionExplanation {
  readonly direction: Direction;
  /** The enforcing end, in endpoint syntax. */
  readonly endpoint: string;
  readonly decision: DirectionDecision;
  readonly audited: boolean;
  readonly l7: boolean;
  readonly rules: readonly RuleRef[];
  readonly notes: readonly string[];
  /** One line: `ingress at blog/app=blog: DEFAULT_DENY — ...`. */
  readonly summary: string;
  /** For DEFAULT_DENY: the smallest rule element that would allow the flow, and where to add it. */
  readonly fix?: {
    readonly target: string;
    readonly element: Record<string, unknown>;
    readonly yaml: string;
  };
}

export interface FlowExplanation {
  readonly verdict: Verdict;
  readonly from: string;
  readonly to: string;
  readonly port: string;
  readonly egress: DirectionExplanation;
  readonly ingress: DirectionExplanation;
}

function peerClause(peer: FlowPeer, direction: Direction): Record<string, unknown> {
  const p = direction === 'ingress' ? 'from' : 'to';
  const labels = peer.labels.map(parseLabel).filter(isIdentityLabel);
  const { namespace: ns, entity, byAddress } = classifyIdentity(labels);
  if (ns !== undefined) {
    const matchLabels: Record<string, string> = { [`k8s:${NAMESPACE_KEY}`]: ns };
    for (const l of labels) {
      if (l.key === NAMESPACE_KEY || l.key.startsWith('io.cilium.k8s.')) continue;
      matchLabels[`${l.source}:${l.key}`] = l.value;
    }
    return { [`${p}Endpoints`]: [{ matchLabels }] };
  }
  if (byAddress && direction === 'egress' && peer.dnsNames && peer.dnsNames.length > 0) {
    return { toFQDNs: [{ matchName: peer.dnsNames[0].replace(/\.$/, '') }] };
  }
  if (byAddress && peer.ip) return { [`${p}CIDR`]: [`${peer.ip}/${peer.ip.includes(':') ? 128 : 32}`] };
  const selected = entity ?? (byAddress ? 'world' : undefined);
  return selected ? { [`${p}Entities`]: [selected] } : {};
}

function portClause(flow: Flow): Record<string, unknown> {
  if (flow.protocol === 'ICMPv4' || flow.protocol === 'ICMPv6') {
    return flow.icmpType === undefined
      ? {}
      : {
          icmps: [
            { fields: [{ family: flow.protocol === 'ICMPv4' ? 'IPv4' : 'IPv6', type: flow.icmpType }] },
          ],
        };
  }
  const port = flow.port === undefined ? '0' : String(flow.port);
  return { toPorts: [{ ports: [{ port, protocol: flow.protocol }] }] };
}

function fixFor(flow: Flow, direction: Direction, endpoint: FlowPeer, result: FlowResult['egress']) {
  const peer = direction === 'ingress' ? flow.source : flow.destination;
  const element = Object.assign({}, peerClause(peer, direction), portClause(flow));
  const ns = classifyIdentity(endpoint.labels.map(parseLabel)).namespace;
  // Never widen a cluster-wide policy for one pod: it would open the peer to every pod it selects.
  const ref =
    result.rules.find((r) => r.namespace !== undefined) ?? (ns === undefined ? result.rules[0] : undefined);
  let target: string;
  if (ref) {
    const section = ref.path.replace(/Deny$/, '');
    target = `${describeRule(ref, false)} ${section}`;
  } else {
    target = ns
      ? `a CiliumNetworkPolicy in namespace ${ns} selecting ${describePeer(endpoint)}, under spec.${direction}`
      : `a CiliumClusterwideNetworkPolicy selecting ${describePeer(endpoint)}, under spec.${direction}`;
  }
  return { target, element, yaml: stringify([element]).trimEnd() };
}

function explainSide(flow: Flow, result: FlowResult, direction: Direction): DirectionExplanation {
  const r = result[direction];
  const endpointPeer = direction === 'egress' ? flow.source : flow.destination;
  const peer = direction === 'egress' ? flow.destination : flow.source;
  const endpoint = describePeer(endpointPeer);
  const port = describePort(flow);
  const rules = r.rules.map((x) => describeRule(x)).join(', ');
  let text: string;
  switch (r.decision) {
    case 'ALLOWED':
      text =
        r.rules.length > 0
          ? `ALLOWED by ${rules}${r.l7 ? ' (at L3/L4; its L7 rules still apply)' : ''}`
          : `ALLOWED — ${r.notes[0]}`;
      break;
    case 'DENIED':
      text = `DENIED by ${rules} (deny beats allow)`;
      break;
    case 'DEFAULT_DENY': {
      const by =
        r.rules.length > 0
          ? `selected by ${[...new Set(r.rules.map((x) => describeRule(x, false)))]
              .map(
                (id) =>
                  `${id} (${r.rules
                    .filter((x) => describeRule(x, false) === id)
                    .map((x) => x.path)
                    .join(', ')})`,
              )
              .join(', ')}`
          : r.notes[0];
      text = `DEFAULT_DENY — ${by}, nothing allows ${describePeer(peer)} on ${port}`;
      break;
    }
    case 'UNDECIDED':
      text = `UNDECIDED — ${r.notes.join('; ')}`;
      break;
    default:
      text = `NOT_ENFORCED — ${r.notes[0]}`;
  }
  if (r.audited) text += ' [audit mode: forwarded and reported as AUDIT]';
  return {
    direction,
    endpoint,
    decision: r.decision,
    audited: !!r.audited,
    l7: !!r.l7,
    rules: r.rules,
    notes: r.notes,
    summary: `${direction} at ${endpoint}: ${text}`,
    ...(r.decision === 'DEFAULT_DENY' ? { fix: fixFor(flow, direction, endpointPeer, r) } : {}),
  };
}

export function explainFlow(flow: Flow, result: FlowResult): FlowExplanation {
  return {
    verdict: result.verdict,
    from: describePeer(flow.source),
    to: describePeer(flow.destination),
    port: describePort(flow),
    egress: explainSide(flow, result, 'egress'),
    ingress: explainSide(flow, result, 'ingress'),
  };
}
