import { Flow, FlowResult } from '../engine/types';
import { GroupAccumulator } from './group-accumulator';

/*
 * What a replay computes (its result, and the state a group file saves): types only, so that
 * they can be used without the reading side (its streams and buffers).
 */
export interface GroupPeer {
  /** Identity labels, sorted. */
  readonly labels: readonly string[];
  /** DNS names (destination only). */
  readonly dnsNames?: readonly string[];
  /** The address, for a destination only an address identifies (world without DNS names). */
  readonly ip?: string;
  /** Short form: `blog/app=blog`, `entity:host`, `fqdn:github.com`, `cidr:1.2.3.4`. */
  readonly display: string;
}

/** Flows with the same identities, protocol, port and predicted outcome. */
export interface ReplayGroup {
  /** 1-based position in the report order. */
  readonly id: number;
  readonly source: GroupPeer;
  readonly destination: GroupPeer;
  readonly protocol: Flow['protocol'];
  readonly port?: number;
  readonly icmpType?: number;
  /** The engine's answer with enforcement on (policyAuditMode false). */
  readonly predicted: FlowResult;
  /** Evaluated events (one connection may show up at several observation points and nodes). */
  readonly events: number;
  /** Distinct connections (same 5-tuple within two minutes counts once: retransmits, both ends). */
  readonly connections: number;
  /** What Hubble reported: `FORWARDED`, `AUDIT`, `DROPPED (POLICY_DENIED)` ... -> events. */
  readonly observed: Readonly<Record<string, number>>;
  /** `traffic_direction` of the events -> count. */
  readonly directions: Readonly<Record<string, number>>;
  readonly firstSeen?: string;
  readonly lastSeen?: string;
  /** Up to 5 nodes (sorted); `moreNodes` when there were more. */
  readonly nodes: readonly string[];
  readonly moreNodes: boolean;
  /** Up to 3 example pods per end (`ns/pod`). */
  readonly sourcePods: readonly string[];
  readonly destinationPods: readonly string[];
  /** Up to 16 addresses per end (for world peers and CIDR suggestions); `more*` when there were more. */
  readonly sourceIps: readonly string[];
  readonly moreSourceIps: boolean;
  readonly destinationIps: readonly string[];
  readonly moreDestinationIps: boolean;
  /** Line number of the first evaluated event. */
  readonly firstLine: number;
  /**
   * Events Hubble observed as dropped or audited by policy (`DROPPED (POLICY_DENIED|POLICY_DENY)`,
   * `AUDIT`); with a FORWARDED prediction, the model and the cluster disagree.
   */
  readonly observedPolicyDrops: number;
  /** The policies Hubble named on those events (`egress_denied_by`, `ingress_denied_by`): `Kind ns/name`, up to 8. */
  readonly observedDenyingPolicies: readonly string[];
  /** The group is predicted FORWARDED although Hubble observed policy drops or audits in it. */
  readonly disagreement: boolean;
}

export interface ReplaySummary {
  readonly lines: number;
  readonly evaluated: number;
  readonly skipped: number;
  readonly malformed: number;
  readonly groups: number;
  /** Groups predicted DROPPED. */
  readonly wouldDrop: number;
  readonly wouldDropEvents: number;
  readonly wouldDropConnections: number;
  /** Groups predicted UNDECIDED. */
  readonly undecided: number;
  readonly skippedByReason: Readonly<Record<string, number>>;
  /** The first 100 malformed lines. */
  readonly malformedLines: ReadonlyArray<{ readonly line: number; readonly reason: string }>;
  /** Set when the stream broke (corrupt or cut-off gzip, read error): the lines after it were never read. */
  readonly incomplete?: { readonly afterLine: number; readonly reason: string };
  /** Evaluated flows per cluster they were observed in (see `flowCluster`); flows with no cluster information are not counted. */
  readonly clusters: Readonly<Record<string, number>>;
  /** Groups predicted FORWARDED that Hubble observed dropped or audited by policy. */
  readonly disagreements: number;
}

export interface PerFlowResult {
  readonly line: number;
  readonly observed: string;
  readonly group: ReplayGroup;
}

export interface ReplayResult {
  readonly input: { readonly name: string; readonly gzip: boolean };
  readonly summary: ReplaySummary;
  /** Every group: predicted DROPPED first, then UNDECIDED, then FORWARDED; most connections first. */
  readonly groups: readonly ReplayGroup[];
  /** One entry per evaluated line, in line order (only with `perFlow`). */
  perFlow(): Iterable<PerFlowResult>;
  /** The group files merged into this result, in the order their lines are numbered (only for a merge). */
  readonly parts?: readonly ReplayPartSummary[];
  /** What the result was computed from: saved as a group file (see group-file.ts). */
  readonly state: ReplayState;
  /**
   * Threads the chunks of the flows were shared among, the reading thread and `jobs - 1` worker
   * threads (0: all in the reading thread, also when the first lines showed that workers would
   * not pay; else `jobs`).
   */
  readonly threads?: number;
}

/** One merged group file: where its lines sit in the merged numbering. */
export interface ReplayPartSummary {
  /** The group file. */
  readonly file: string;
  /** The flow export it was made from. */
  readonly input: string;
  /** Its line 1 is line `firstLine` of the merged numbering. */
  readonly firstLine: number;
  readonly lines: number;
  readonly evaluated: number;
  readonly skipped: number;
  readonly malformed: number;
  readonly incomplete?: { readonly afterLine: number; readonly reason: string };
}

/** The first event of a connection (5-tuple key) in a run, and the time of its last event (-1: no time). */
export interface ConnectionSpan {
  first: number;
  last: number;
  readonly group: GroupAccumulator;
}

/** Everything a replay result is computed from: mergeable with another run's (group-file.ts). */
export interface ReplayState {
  readonly input: { readonly name: string; readonly gzip: boolean };
  lines: number;
  evaluated: number;
  skipped: number;
  malformed: number;
  readonly skippedByReason: Map<string, number>;
  /** The first 100, in line order. */
  readonly malformedLines: Array<{ line: number; reason: string }>;
  incomplete?: { afterLine: number; reason: string };
  readonly clusters: Map<string, number>;
  /** In the order they were first seen. */
  readonly groups: GroupAccumulator[];
  /** The cluster name the engine was built with (from --cluster-name or the first flow), once a flow was evaluated. */
  engineClusterName?: string;
  /** Only with `recordConnections`. */
  readonly connections?: Map<string, ConnectionSpan>;
}
