import { Flow, FlowResult, Verdict } from '../engine/types';
import { HubbleFlow } from '../hubble/flow-json';
import { FlowInput } from '../hubble/line-reader';
import { parseLine } from '../hubble/parse-line';
import { policyRelevance } from '../hubble/policy-relevance';
import { endpointNamespace, flowCluster, observedVerdict, toEngineFlow } from '../hubble/to-engine-flow';
import { isObservedPolicyDrop, namedPolicies } from '../hubble/observed-policy';
import { LabelSet, LabelSets } from '../hubble/label-sets';
import { CappedSet, Counter, GrowableUint32 } from './bounded';
import { ConnectionTable } from './connections';
import { describePeer } from '../engine/describe';
import { isAddressOnly } from './identity';
import { flowTimeMs } from './time-window';
import { FLOW_PROTOCOL_INDEX } from '../engine/verdict';

/** What replay needs from the engine (`PolicyEngine` satisfies it). */
export interface FlowEvaluator {
  evaluate(flow: Flow): FlowResult;
  /** The cluster name the policies are evaluated for (recorded in group files). */
  clusterName?(): string | undefined;
}

export interface ReplayOptions {
  /** Keep flows whose source or destination is in one of these namespaces. */
  readonly namespaces?: readonly string[];
  /** Keep flows at or after this time (epoch ms). */
  readonly since?: number;
  /** Keep flows at or before this time (epoch ms). */
  readonly until?: number;
  /** Record one result per evaluated line. @default false */
  readonly perFlow?: boolean;
  /** Keep the first and last time of every connection, so the result can be saved as a group file and merged. @default false */
  readonly recordConnections?: boolean;
  /** Called now and then while reading. */
  readonly onProgress?: (bytesRead: number, lines: number) => void;
}

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

export const MAX_MALFORMED_LINES = 100;
const MAX_TRACKED_CONNECTIONS = 100_000;
const MAX_CACHED_EVALUATIONS = 200_000;
const MAX_CACHED_ADDRESS_EVALUATIONS = 100_000;
export const MAX_CLUSTERS = 64;

/** A group while flows are added to it (or group files merged into it). */
export class GroupAccumulator {
  events = 0;
  connections = 0;
  readonly observed = new Counter();
  readonly directions = new Counter();
  firstMs = Infinity;
  firstText?: string;
  lastMs = -Infinity;
  lastText?: string;
  readonly nodes = new CappedSet(5);
  readonly sourcePods = new CappedSet(3);
  readonly destinationPods = new CappedSet(3);
  readonly sourceIps = new CappedSet(16);
  readonly destinationIps = new CappedSet(16);
  observedPolicyDrops = 0;
  lastSourcePod?: string;
  lastDestinationPod?: string;
  readonly denyingPolicies = new CappedSet(8);

  constructor(
    readonly flow: Flow,
    readonly predicted: FlowResult,
    readonly signature: string,
    readonly addressOnly: boolean,
    readonly firstLine: number,
  ) {}
}

interface Evaluation {
  readonly result: FlowResult;
  /** Equal for equal outcomes (see `signatureOf`). */
  readonly signature: number;
  readonly signatureText: string;
  /** The group of the flows with this evaluation (an evaluation key is finer than a group key). */
  group?: GroupAccumulator;
}

const ID_SPACE = 131072;

/** Reads a flow export and predicts, group by group, what enforcement would do to it. */
export async function replayFlows(
  input: FlowInput,
  evaluator: FlowEvaluator,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  const namespaces = options.namespaces?.length ? new Set(options.namespaces) : undefined;
  const timeFiltered = options.since !== undefined || options.until !== undefined;
  const groups = new Map<string, GroupAccumulator>();
  let evaluations = new Map<string, Evaluation>();
  const connections = new ConnectionTable(MAX_TRACKED_CONNECTIONS);
  const clusters = new Map<string, number>();
  const labelSets = new LabelSets();
  const signatures = new Map<string, number>();
  const skippedByReason = new Map<string, number>();
  const malformedLines: Array<{ line: number; reason: string }> = [];
  const perFlow = options.perFlow
    ? { lines: new GrowableUint32(), groups: new GrowableUint32(), observed: new GrowableUint32() }
    : undefined;
  const groupIndex: GroupAccumulator[] = [];
  const groupIds = new Map<GroupAccumulator, number>();
  const observedNames: string[] = [];
  const observedIds = new Map<string, number>();
  const connectionLog = options.recordConnections ? new Map<string, ConnectionSpan>() : undefined;
  let lines = 0;
  let evaluated = 0;
  let skipped = 0;
  let malformed = 0;

  const skip = (reason: string) => {
    skipped++;
    skippedByReason.set(reason, (skippedByReason.get(reason) ?? 0) + 1);
  };
  const bad = (line: number, reason: string) => {
    malformed++;
    if (malformedLines.length < MAX_MALFORMED_LINES) malformedLines.push({ line, reason });
  };

  let pairEvaluations = new Map<number, Map<number, Evaluation>>();
  let cached = 0;
  /** Pod to pod: the engine reads only the two identities and the port, so the key is two numbers, no string. */
  const evaluatePods = (flow: Flow, src: LabelSet, dst: LabelSet): Evaluation => {
    const pair = src.id * ID_SPACE + dst.id;
    const l4 = FLOW_PROTOCOL_INDEX[flow.protocol] * ID_SPACE + (flow.port ?? 65536 + (flow.icmpType ?? 0));
    let byL4 = pairEvaluations.get(pair);
    let e = byL4?.get(l4);
    if (!e) {
      e = newEvaluation(flow, true);
      if (!byL4) pairEvaluations.set(pair, (byL4 = new Map()));
      byL4.set(l4, e);
    }
    return e;
  };
  // The engine hands out the same direction result objects for the same decision: their
  // signature is computed once per pair of objects, not once per flow.
  const sideIds = new WeakMap<object, number>();
  const sideId = (side: object) => {
    let id = sideIds.get(side);
    if (id === undefined) sideIds.set(side, (id = nextSideId++));
    return id;
  };
  let nextSideId = 0;
  const bySides = new Map<number, { signature: number; text: string }>();
  const newEvaluation = (flow: Flow, keep: boolean): Evaluation => {
    const result = safeEvaluate(evaluator, flow);
    const e = sideId(result.egress);
    const i = sideId(result.ingress);
    const pairKey = e < 0x4000000 && i < 0x4000000 ? e * 0x4000000 + i : -1;
    let known = pairKey >= 0 ? bySides.get(pairKey) : undefined;
    if (!known) {
      const text = signatureOf(result);
      let signature = signatures.get(text);
      if (signature === undefined) signatures.set(text, (signature = signatures.size));
      known = { signature, text };
      if (pairKey >= 0 && bySides.size < MAX_CACHED_EVALUATIONS) bySides.set(pairKey, known);
    }
    const { signature, text } = known;
    if (keep && ++cached > MAX_CACHED_EVALUATIONS) {
      evaluations = new Map();
      pairEvaluations = new Map();
      cached = 1;
    }
    return { result, signature, signatureText: text };
  };
  // Keyed by an address, evaluations have a cache of their own, so that an export with ever new
  // addresses does not flush the others.
  let addressEvaluations = new Map<string, Evaluation>();
  const evaluate = (flow: Flow, key: string, byAddress: boolean): Evaluation => {
    let e = (byAddress ? addressEvaluations : evaluations).get(key);
    if (!e) {
      e = newEvaluation(flow, !byAddress);
      if (!byAddress) evaluations.set(key, e);
      else {
        if (addressEvaluations.size >= MAX_CACHED_ADDRESS_EVALUATIONS) addressEvaluations = new Map();
        addressEvaluations.set(key, e);
      }
    }
    return e;
  };

  const handleLine = (number: number, text: string, terminated: boolean): void => {
    const record = parseLine(text, terminated);
    if (!record) return skip('blank line');
    if (record.kind === 'malformed') return bad(number, record.reason);
    if (record.kind === 'skip') return skip(record.reason);
    const hubble = record.flow;
    const relevance = policyRelevance(hubble);
    if (!relevance.evaluate) return skip(relevance.reason);
    if (
      namespaces &&
      !namespaces.has(endpointNamespace(hubble.source) ?? '') &&
      !namespaces.has(endpointNamespace(hubble.destination) ?? '')
    ) {
      return skip('filtered out by --namespace');
    }
    const ms = flowTimeMs(record.time);
    if (timeFiltered) {
      if (ms === undefined) return skip('no timestamp (--since/--until cannot apply)');
      if (options.since !== undefined && ms < options.since) return skip('filtered out by --since');
      if (options.until !== undefined && ms > options.until) return skip('filtered out by --until');
    }
    const conversion = toEngineFlow(hubble, labelSets);
    if (!conversion.ok) return skip(conversion.reason);
    const flow = conversion.flow;
    evaluated++;
    const cluster = flowCluster(hubble, conversion);
    if (cluster !== undefined && (clusters.has(cluster) || clusters.size < MAX_CLUSTERS))
      increment(clusters, cluster);
    const src = conversion.sourceSet;
    const dst = conversion.destinationSet;
    const fast =
      src.isPod &&
      dst.isPod &&
      src.id < ID_SPACE &&
      dst.id < ID_SPACE &&
      !flow.source.dnsNames &&
      !flow.destination.dnsNames &&
      flow.source.managed === undefined &&
      flow.destination.managed === undefined;
    // What the engine reads: addresses only matter for peers that are not pods.
    const sourceIp = src.isPod ? '' : (flow.source.ip ?? '');
    const destinationIp = dst.isPod ? '' : (flow.destination.ip ?? '');
    const e = fast
      ? evaluatePods(flow, src, dst)
      : evaluate(
          flow,
          `${src.id}#${sourceIp}#${flow.source.dnsNames?.join(',') ?? ''}#${flow.source.managed ?? ''}|` +
            `${dst.id}#${destinationIp}#${flow.destination.dnsNames?.join(',') ?? ''}#${flow.destination.managed ?? ''}|${flow.protocol}|${flow.port ?? ''}|${flow.icmpType ?? ''}`,
          !!sourceIp || !!destinationIp,
        );
    let group = e.group;
    if (!group) {
      const names = flow.destination.dnsNames?.join(',') ?? '';
      // Addresses of world peers are not part of the group (they are sampled per group), so groups stay bounded.
      const key = `${src.id}|${dst.id}|${names}|${flow.protocol}|${flow.port ?? ''}|${flow.icmpType ?? ''}|${e.signature}`;
      group = groups.get(key);
      if (!group) {
        group = new GroupAccumulator(
          flow,
          e.result,
          e.signatureText,
          !names && isAddressOnly(flow.destination.labels),
          number,
        );
        groups.set(key, group);
        groupIndex.push(group);
      }
      e.group = group;
    }
    addEvent(group, hubble, record.nodeName, record.time, ms);
    if (connections.isNew(hubble, ms)) group.connections++;
    if (connectionLog) {
      const key = connections.lastKey();
      if (key !== undefined) {
        const span = connectionLog.get(key);
        if (span) span.last = ms ?? -1;
        else connectionLog.set(key, { first: ms ?? -1, last: ms ?? -1, group });
      }
    }
    if (perFlow) {
      const observed = observedVerdict(hubble);
      let oid = observedIds.get(observed);
      if (oid === undefined) {
        oid = observedNames.length;
        observedNames.push(observed);
        observedIds.set(observed, oid);
      }
      let gid = groupIds.get(group);
      if (gid === undefined) {
        gid = groupIds.size;
        groupIds.set(group, gid);
      }
      perFlow.lines.push(number);
      perFlow.groups.push(gid);
      perFlow.observed.push(oid);
    }
  };

  const outcome = await input.forEachLine(({ number, text, terminated }) => {
    lines = number;
    if (options.onProgress && (number & 0x3fff) === 0) options.onProgress(input.bytesRead(), number);
    try {
      handleLine(number, text, terminated);
    } catch (e) {
      // A line that breaks the handling is that line's problem, never the end of the read.
      bad(number, `could not be handled (${(e as Error).message})`);
    }
  });
  options.onProgress?.(input.bytesRead(), lines);

  const state: ReplayState = {
    input: { name: input.name, gzip: input.gzip },
    lines,
    evaluated,
    skipped,
    malformed,
    skippedByReason,
    malformedLines,
    ...(outcome.error ? { incomplete: { afterLine: outcome.lines, reason: outcome.error } } : {}),
    clusters,
    groups: groupIndex,
    ...(evaluated && evaluator.clusterName ? { engineClusterName: evaluator.clusterName() } : {}),
    ...(connectionLog ? { connections: connectionLog } : {}),
  };
  return finishReplay(
    state,
    perFlow
      ? (byGroup) => {
          const byPerFlowId: ReplayGroup[] = [];
          for (const [g, id] of groupIds) byPerFlowId[id] = byGroup.get(g)!;
          return function* () {
            for (let i = 0; i < perFlow.lines.length; i++) {
              yield {
                line: perFlow.lines.at(i),
                observed: observedNames[perFlow.observed.at(i)],
                group: byPerFlowId[perFlow.groups.at(i)],
              };
            }
          };
        }
      : undefined,
  );
}

/** Sorts, numbers and summarises the groups: the same state gives the same result, whatever order the lines came in. */
export function finishReplay(
  state: ReplayState,
  perFlow?: (byGroup: Map<GroupAccumulator, ReplayGroup>) => () => Iterable<PerFlowResult>,
  parts?: readonly ReplayPartSummary[],
): ReplayResult {
  const displays = new Map<readonly string[], string>();
  const sortKeys = new Map<GroupAccumulator, string>();
  for (const g of state.groups) sortKeys.set(g, contentKey(g));
  const sorted = [...state.groups].sort((a, b) => compareGroups(a, b, sortKeys));
  const finished = new Map<GroupAccumulator, ReplayGroup>();
  const display = (labels: readonly string[]) => {
    let d = displays.get(labels);
    if (d === undefined) displays.set(labels, (d = describePeer({ labels })));
    return d;
  };
  sorted.forEach((g, i) => finished.set(g, finishGroup(g, i + 1, display)));
  const result = sorted.map((g) => finished.get(g)!);
  const dropping = result.filter((g) => g.predicted.verdict === 'DROPPED');
  const flows = perFlow?.(finished);

  return {
    input: state.input,
    summary: {
      lines: state.lines,
      evaluated: state.evaluated,
      skipped: state.skipped,
      malformed: state.malformed,
      groups: result.length,
      wouldDrop: dropping.length,
      wouldDropEvents: dropping.reduce((n, g) => n + g.events, 0),
      wouldDropConnections: dropping.reduce((n, g) => n + g.connections, 0),
      undecided: result.filter((g) => g.predicted.verdict === 'UNDECIDED').length,
      skippedByReason: sortedRecord(state.skippedByReason),
      malformedLines: state.malformedLines,
      ...(state.incomplete ? { incomplete: state.incomplete } : {}),
      clusters: sortedRecord(state.clusters),
      disagreements: result.filter((g) => g.disagreement).length,
    },
    groups: result,
    perFlow: flows ?? (() => []),
    ...(parts ? { parts } : {}),
    state,
  };
}

function safeEvaluate(evaluator: FlowEvaluator, flow: Flow): FlowResult {
  try {
    return evaluator.evaluate(flow);
  } catch (e) {
    const note = `the evaluator failed on this flow: ${(e as Error).message}`;
    const side = { decision: 'UNDECIDED' as const, rules: [], notes: [note] };
    return { verdict: 'UNDECIDED', egress: side, ingress: side };
  }
}

/** What makes two predictions the same outcome: notes only count when they are the reason (UNDECIDED). */
function signatureOf(result: FlowResult): string {
  const side = (d: FlowResult['egress']) =>
    [
      d.decision,
      d.audited ? 'audit' : '',
      d.l7 ? 'l7' : '',
      d.rules.map((r) => `${r.kind}/${r.namespace ?? ''}/${r.name}/${r.path}`).join(','),
      d.decision === 'UNDECIDED' ? d.notes.join(';') : '',
    ].join('#');
  return `${result.verdict}|${side(result.egress)}|${side(result.ingress)}`;
}

function addEvent(
  group: GroupAccumulator,
  hubble: HubbleFlow,
  node: string | undefined,
  time: string | undefined,
  ms: number | undefined,
): void {
  group.events++;
  group.observed.add(
    hubble.verdict === 'DROPPED' ? observedVerdict(hubble) : (hubble.verdict ?? 'VERDICT_UNKNOWN'),
  );
  group.directions.add(hubble.traffic_direction ?? 'TRAFFIC_DIRECTION_UNKNOWN');
  if (time !== undefined && ms !== undefined) {
    if (ms < group.firstMs || (ms === group.firstMs && time < group.firstText!)) {
      group.firstMs = ms;
      group.firstText = time;
    }
    if (ms > group.lastMs || (ms === group.lastMs && time > group.lastText!)) {
      group.lastMs = ms;
      group.lastText = time;
    }
  }
  group.nodes.add(node);
  if (hubble.source?.pod_name !== group.lastSourcePod) {
    group.lastSourcePod = hubble.source?.pod_name;
    group.sourcePods.add(podName(hubble.source));
  }
  if (hubble.destination?.pod_name !== group.lastDestinationPod) {
    group.lastDestinationPod = hubble.destination?.pod_name;
    group.destinationPods.add(podName(hubble.destination));
  }
  group.sourceIps.add(hubble.IP?.source);
  group.destinationIps.add(hubble.IP?.destination);
  if (isObservedPolicyDrop(hubble)) {
    group.observedPolicyDrops++;
    for (const p of namedPolicies(hubble)) group.denyingPolicies.add(p);
  }
}

function podName(ep: HubbleFlow['source']): string | undefined {
  if (!ep?.pod_name) return undefined;
  return ep.namespace ? `${ep.namespace}/${ep.pod_name}` : ep.pod_name;
}

const VERDICT_ORDER: Record<Verdict, number> = { DROPPED: 0, UNDECIDED: 1, AUDIT: 2, FORWARDED: 3 };

/** What a group is, independent of the order the lines came in (ids are not). */
export function contentKey(g: GroupAccumulator): string {
  const f = g.flow;
  return [
    f.source.labels.join(','),
    f.destination.labels.join(','),
    f.destination.dnsNames?.join(',') ?? '',
    f.protocol,
    f.port ?? '',
    f.icmpType ?? '',
    g.signature,
  ].join('|');
}

function compareGroups(
  a: GroupAccumulator,
  b: GroupAccumulator,
  keys: Map<GroupAccumulator, string>,
): number {
  const ka = keys.get(a)!;
  const kb = keys.get(b)!;
  return (
    VERDICT_ORDER[a.predicted.verdict] - VERDICT_ORDER[b.predicted.verdict] ||
    b.connections - a.connections ||
    b.events - a.events ||
    (ka < kb ? -1 : ka > kb ? 1 : 0)
  );
}

function finishGroup(
  g: GroupAccumulator,
  id: number,
  display: (labels: readonly string[]) => string,
): ReplayGroup {
  const f = g.flow;
  return {
    id,
    source: { labels: f.source.labels, display: display(f.source.labels) },
    destination: destinationPeer(g, display),
    protocol: f.protocol,
    ...(f.port !== undefined ? { port: f.port } : {}),
    ...(f.icmpType !== undefined ? { icmpType: f.icmpType } : {}),
    predicted: g.predicted,
    events: g.events,
    connections: g.connections,
    observed: sortedRecord(g.observed.toMap()),
    directions: sortedRecord(g.directions.toMap()),
    ...(g.firstText !== undefined ? { firstSeen: g.firstText } : {}),
    ...(g.lastText !== undefined ? { lastSeen: g.lastText } : {}),
    nodes: g.nodes.sorted(),
    moreNodes: g.nodes.more,
    sourcePods: g.sourcePods.sorted(),
    destinationPods: g.destinationPods.sorted(),
    sourceIps: g.sourceIps.sorted(),
    moreSourceIps: g.sourceIps.more,
    destinationIps: g.destinationIps.sorted(),
    moreDestinationIps: g.destinationIps.more,
    firstLine: g.firstLine,
    observedPolicyDrops: g.observedPolicyDrops,
    observedDenyingPolicies: g.denyingPolicies.sorted(),
    disagreement: g.predicted.verdict === 'FORWARDED' && g.observedPolicyDrops > 0,
  };
}

/** A world destination seen at one address shows it; at several, the (sampled) addresses. */
function destinationPeer(
  g: GroupAccumulator,
  labelsDisplay: (labels: readonly string[]) => string,
): GroupPeer {
  const f = g.flow;
  const ips = g.destinationIps.sorted();
  const single = g.addressOnly && ips.length === 1 && !g.destinationIps.more ? ips[0] : undefined;
  let display =
    f.destination.dnsNames || single
      ? describePeer({ labels: f.destination.labels, dnsNames: f.destination.dnsNames, ip: single })
      : labelsDisplay(f.destination.labels);
  if (g.addressOnly && !single && ips.length)
    display = `${display} (${ips.slice(0, 3).join(', ')}${ips.length > 3 || g.destinationIps.more ? ', ...' : ''})`;
  return {
    labels: f.destination.labels,
    ...(f.destination.dnsNames ? { dnsNames: f.destination.dnsNames } : {}),
    ...(single ? { ip: single } : {}),
    display,
  };
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Most frequent first, then by key. */
function sortedRecord(map: Map<string, number>): Record<string, number> {
  const entries = [...map.entries()].sort(([ka, a], [kb, b]) => b - a || (ka < kb ? -1 : ka > kb ? 1 : 0));
  return Object.fromEntries(entries);
}
