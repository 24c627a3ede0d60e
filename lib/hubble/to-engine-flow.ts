import { CLUSTER_KEY, K8S_NAMESPACE_KEY } from '../cilium/labels';
import { Flow, FlowPeer, FlowProtocol } from '../engine/types';
import { HubbleEndpoint, HubbleFlow } from './flow-json';
import { LabelSet, LabelSets } from './label-sets';
import { dropReason } from './policy-relevance';

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
  const src = flow.source ?? {};
  const dst = flow.destination ?? {};
  if (!src.labels?.length || !dst.labels?.length) {
    return {
      ok: false,
      reason: 'source or destination has no identity labels (export field mask without `labels`?)',
    };
  }
  const l4 = flow.l4 ?? {};
  let protocol: FlowProtocol;
  let port: number | undefined;
  let icmpType: number | undefined;
  if (l4.TCP || l4.UDP || l4.SCTP) {
    protocol = l4.TCP ? 'TCP' : l4.UDP ? 'UDP' : 'SCTP';
    port = (l4.TCP ?? l4.UDP ?? l4.SCTP)!.destination_port;
    if (!port) return { ok: false, reason: 'no destination port' };
  } else if (l4.ICMPv4 || l4.ICMPv6) {
    protocol = l4.ICMPv4 ? 'ICMPv4' : 'ICMPv6';
    icmpType = (l4.ICMPv4 ?? l4.ICMPv6)!.type ?? 0;
  } else if (l4.VRRP) {
    protocol = 'VRRP';
  } else if (l4.IGMP) {
    protocol = 'IGMP';
  } else {
    return { ok: false, reason: 'no L4 header' };
  }
  const sourceSet = labelSets.of(src);
  const destinationSet = labelSets.of(dst);
  return {
    ok: true,
    sourceSet,
    destinationSet,
    flow: {
      source: toPeer(src, sourceSet, flow.IP?.source, flow.source_names),
      destination: toPeer(dst, destinationSet, flow.IP?.destination, flow.destination_names),
      protocol,
      ...(port !== undefined ? { port } : {}),
      ...(icmpType !== undefined ? { icmpType } : {}),
    },
  };
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
  // `ID` marks a local Cilium endpoint; one without pod or reserved labels (a non-Kubernetes
  // container, say) still enforces, which label-based derivation would miss.
  const unlabelledEndpoint = ep.ID !== undefined && !set.labelled;
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
