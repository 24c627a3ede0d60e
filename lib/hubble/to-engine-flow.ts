import { CLUSTER_KEY, K8S_NAMESPACE_KEY } from '../cilium/labels';
import { Flow, FlowPeer, FlowProtocol } from '../engine/types';
import { HubbleEndpoint, HubbleFlow } from './flow-json';
import { LabelSet, LabelSets } from './label-sets';
import { dropReason } from './policy-relevance';

/** What the engine reads of a flow besides its addresses and DNS names: the identities and L4. */
export interface FlowShape {
  readonly sourceSet: LabelSet;
  readonly destinationSet: LabelSet;
  readonly protocol: FlowProtocol;
  readonly port?: number;
  readonly icmpType?: number;
}

export type ShapeConversion =
  ({ readonly ok: true } & FlowShape) | { readonly ok: false; readonly reason: string };

export type Conversion =
  | {
      readonly ok: true;
      readonly flow: Flow;
      readonly sourceSet: LabelSet;
      readonly destinationSet: LabelSet;
    }
  | { readonly ok: false; readonly reason: string };

/**
 * Turns a Hubble flow into an engine flow. Both ends keep their identity labels, so the
 * engine decides egress at the source and ingress at the destination whichever node saw it.
 */
export function toEngineFlow(flow: HubbleFlow, labelSets: LabelSets = new LabelSets()): Conversion {
  const shape = flowShape(flow, labelSets);
  if (!shape.ok) return shape;
  return {
    ok: true,
    sourceSet: shape.sourceSet,
    destinationSet: shape.destinationSet,
    flow: engineFlow(flow, shape),
  };
}

/** The identities and L4 of a Hubble flow (the engine flow is built from them only when needed). */
export function flowShape(flow: HubbleFlow, labelSets: LabelSets): ShapeConversion {
  const src = flow.source ?? {};
  const dst = flow.destination ?? {};
  if (!src.labels?.length || !dst.labels?.length) {
    return {
      ok: false,
      reason: 'source or destination has no identity labels (export field mask without `labels`?)',
    };
  }
  const l4 = flow.l4 ?? {};
  const ports = l4.TCP ?? l4.UDP ?? l4.SCTP;
  if (ports) {
    const port = ports.destination_port;
    if (!port) return { ok: false, reason: 'no destination port' };
    const protocol = l4.TCP ? 'TCP' : l4.UDP ? 'UDP' : 'SCTP';
    return { ok: true, sourceSet: labelSets.of(src), destinationSet: labelSets.of(dst), protocol, port };
  }
  const icmp = l4.ICMPv4 ?? l4.ICMPv6;
  if (icmp) {
    const protocol = l4.ICMPv4 ? 'ICMPv4' : 'ICMPv6';
    const icmpType = icmp.type ?? 0;
    return { ok: true, sourceSet: labelSets.of(src), destinationSet: labelSets.of(dst), protocol, icmpType };
  }
  if (!l4.VRRP && !l4.IGMP) return { ok: false, reason: 'no L4 header' };
  const protocol = l4.VRRP ? 'VRRP' : 'IGMP';
  return { ok: true, sourceSet: labelSets.of(src), destinationSet: labelSets.of(dst), protocol };
}

/** The engine flow of a Hubble flow of this shape. */
export function engineFlow(flow: HubbleFlow, shape: FlowShape): Flow {
  const { port, icmpType } = shape;
  // (Properties added in order, no spreads: made for every new question to the engine.)
  const out: { -readonly [K in keyof Flow]: Flow[K] } = {
    source: toPeer(flow.source ?? {}, shape.sourceSet, flow.IP?.source, flow.source_names),
    destination: toPeer(
      flow.destination ?? {},
      shape.destinationSet,
      flow.IP?.destination,
      flow.destination_names,
    ),
    protocol: shape.protocol,
  };
  if (port !== undefined) out.port = port;
  if (icmpType !== undefined) out.icmpType = icmpType;
  return out;
}

/** Whether an end is a local Cilium endpoint without pod or reserved labels (`FlowPeer.managed`). */
export function isUnlabelledEndpoint(ep: HubbleEndpoint | undefined, set: LabelSet): boolean {
  // `ID` marks a local Cilium endpoint; one without pod or reserved labels (a non-Kubernetes
  // container, say) still enforces, which label-based derivation would miss.
  return ep?.ID !== undefined && !set.labelled;
}

const CLUSTER_LABEL = `k8s:${CLUSTER_KEY}=`;

/** The cluster an endpoint belongs to: its cluster label, else its `cluster_name` field. */
export function endpointCluster(ep: HubbleEndpoint | undefined): string | undefined {
  if (!ep) return undefined;
  const label = ep.labels?.find((l) => l.startsWith(CLUSTER_LABEL));
  return label ? label.slice(CLUSTER_LABEL.length) : ep.cluster_name || undefined;
}

/**
 * The cluster a flow was observed in: that of the end Hubble saw locally (the source for
 * EGRESS, the destination for INGRESS, else the end with a local endpoint `ID`). The peer of
 * a cluster-mesh flow may belong to another cluster; the local end may not.
 */
export function flowCluster(
  flow: HubbleFlow,
  sets?: { readonly sourceSet: LabelSet; readonly destinationSet: LabelSet },
): string | undefined {
  const end =
    flow.traffic_direction === 'EGRESS'
      ? 'source'
      : flow.traffic_direction === 'INGRESS'
        ? 'destination'
        : flow.source?.ID !== undefined
          ? 'source'
          : flow.destination?.ID !== undefined
            ? 'destination'
            : undefined;
  if (!end) return undefined;
  const set = sets?.[end === 'source' ? 'sourceSet' : 'destinationSet'];
  if (set) return set.cluster ?? (flow[end]?.cluster_name || undefined);
  return endpointCluster(flow[end]);
}

function toPeer(
  ep: HubbleEndpoint,
  set: LabelSet,
  ip: string | undefined,
  names: readonly string[] | undefined,
): FlowPeer {
  const unlabelledEndpoint = isUnlabelledEndpoint(ep, set);
  const peer: { labels: readonly string[]; ip?: string; dnsNames?: string[]; managed?: boolean } = {
    labels: set.labels,
  };
  if (ip) peer.ip = ip;
  if (names?.length) peer.dnsNames = [...names].sort();
  if (unlabelledEndpoint) peer.managed = true;
  return peer;
}

/** What Hubble observed, e.g. `FORWARDED`, `AUDIT`, `DROPPED (POLICY_DENIED)`. */
export function observedVerdict(flow: HubbleFlow): string {
  const verdict = flow.verdict ?? 'VERDICT_UNKNOWN';
  if (verdict !== 'DROPPED') return verdict;
  return `DROPPED (${dropReason(flow) ?? 'reason unknown'})`;
}

/** The pod namespace of an endpoint: its `namespace` field or its namespace label. */
export function endpointNamespace(ep: HubbleEndpoint | undefined): string | undefined {
  if (!ep) return undefined;
  if (ep.namespace) return ep.namespace;
  const label = ep.labels?.find((l) => l.startsWith(`${K8S_NAMESPACE_KEY}=`));
  return label?.slice(K8S_NAMESPACE_KEY.length + 1);
}
