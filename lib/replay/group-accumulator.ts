import { Flow, FlowResult } from '../engine/types';
import { HubbleEndpoint, HubbleFlow } from '../hubble/flow-json';
import { isObservedPolicyDrop, namedPolicies } from '../hubble/observed-policy';
import { observedVerdict } from '../hubble/to-engine-flow';
import { CappedSet, Counter, COUNTER_KEY_LIMIT } from './bounded';
import { flowTimeMs } from './time-window';

/**
 * A group while flows are added to it (or group files and chunks of a run merged into it). A run
 * holds thousands of them and a line touches one at random: the per-event state lives in the
 * group itself (a run of equal verdicts and directions is counted in a field, the counters are
 * made for a second key), so that an event reads few objects.
 */
export class GroupAccumulator {
  events = 0;
  connections = 0;
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
  readonly denyingPolicies = new CappedSet(8);
  /** The pod last added per end (a run of events from one pod adds it once). */
  lastSourcePod?: string;
  lastSourceNamespace?: string;
  lastDestinationPod?: string;
  lastDestinationNamespace?: string;
  /** The observed verdict and direction of the current run of events, and its length (not yet counted). */
  runObserved?: string;
  runDirection?: string;
  run = 0;
  private observedCounts?: Counter;
  private directionCounts?: Counter;

  constructor(
    readonly flow: Flow,
    readonly predicted: FlowResult,
    readonly signature: string,
    readonly addressOnly: boolean,
    readonly firstLine: number,
    private readonly counterCap = COUNTER_KEY_LIMIT,
  ) {}

  /** Observed verdict -> events. */
  get observed(): Counter {
    this.endRun();
    return (this.observedCounts ??= new Counter(this.counterCap));
  }

  /** Traffic direction -> events. */
  get directions(): Counter {
    this.endRun();
    return (this.directionCounts ??= new Counter(this.counterCap));
  }

  /** Counts the current run of equal verdicts and directions. */
  endRun(): void {
    if (this.run === 0) return;
    const n = this.run;
    this.run = 0;
    (this.observedCounts ??= new Counter(this.counterCap)).addCount(this.runObserved!, n);
    (this.directionCounts ??= new Counter(this.counterCap)).addCount(this.runDirection!, n);
  }
}

/** Adds one evaluated event to its group. */
export function addEvent(
  group: GroupAccumulator,
  hubble: HubbleFlow,
  node: string | undefined,
  time: string | undefined,
  ms: number | undefined,
): void {
  group.events++;
  const observed =
    hubble.verdict === 'DROPPED' ? observedVerdict(hubble) : (hubble.verdict ?? 'VERDICT_UNKNOWN');
  const direction = hubble.traffic_direction ?? 'TRAFFIC_DIRECTION_UNKNOWN';
  if (group.run === 0 || observed !== group.runObserved || direction !== group.runDirection) {
    group.endRun();
    group.runObserved = observed;
    group.runDirection = direction;
  }
  group.run++;
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
  addPods(group, hubble.source, hubble.destination);
  group.sourceIps.add(hubble.IP?.source);
  group.destinationIps.add(hubble.IP?.destination);
  if (isObservedPolicyDrop(hubble)) {
    group.observedPolicyDrops++;
    for (const p of namedPolicies(hubble)) group.denyingPolicies.add(p);
  }
}

/** Adds each end's pod, unless it is the pod last added there. */
function addPods(
  group: GroupAccumulator,
  src: HubbleEndpoint | undefined,
  dst: HubbleEndpoint | undefined,
): void {
  if (
    src?.pod_name &&
    (src.pod_name !== group.lastSourcePod || src.namespace !== group.lastSourceNamespace)
  ) {
    group.lastSourcePod = src.pod_name;
    group.lastSourceNamespace = src.namespace;
    group.sourcePods.add(podName(src));
  }
  if (
    dst?.pod_name &&
    (dst.pod_name !== group.lastDestinationPod || dst.namespace !== group.lastDestinationNamespace)
  ) {
    group.lastDestinationPod = dst.pod_name;
    group.lastDestinationNamespace = dst.namespace;
    group.destinationPods.add(podName(dst));
  }
}

function podName(ep: HubbleEndpoint): string {
  return ep.namespace ? `${ep.namespace}/${ep.pod_name}` : ep.pod_name!;
}

/** What identifies a group (group files; the groups a worker thread found). */
export interface GroupIdentityJson {
  readonly source: readonly string[];
  readonly destination: readonly string[];
  readonly dnsNames?: readonly string[];
  readonly protocol: string;
  readonly port?: number;
  readonly icmpType?: number;
  /** What makes two predictions the same outcome (part of the group's identity). */
  readonly signature: string;
  readonly addressOnly: boolean;
  readonly predicted: FlowResult;
}

export interface CappedJson {
  /** The smallest distinct values, sorted. */
  readonly values: readonly string[];
  /** More distinct values were seen. */
  readonly more: boolean;
}

/** What a group counted (group files; a chunk of a run): merged with `mergeGroupStats`. */
export interface GroupStatsJson {
  readonly events: number;
  readonly connections: number;
  /** `[key, count]` in the order the keys first came. */
  readonly observed: ReadonlyArray<readonly [string, number]>;
  readonly directions: ReadonlyArray<readonly [string, number]>;
  readonly firstSeen?: string;
  readonly lastSeen?: string;
  readonly nodes: CappedJson;
  readonly sourcePods: CappedJson;
  readonly destinationPods: CappedJson;
  readonly sourceIps: CappedJson;
  readonly destinationIps: CappedJson;
  readonly firstLine: number;
  readonly observedPolicyDrops: number;
  readonly denyingPolicies: CappedJson;
}

export function groupIdentity(g: GroupAccumulator): GroupIdentityJson {
  const f = g.flow;
  return {
    source: f.source.labels,
    destination: f.destination.labels,
    ...(f.destination.dnsNames ? { dnsNames: f.destination.dnsNames } : {}),
    protocol: f.protocol,
    ...(f.port !== undefined ? { port: f.port } : {}),
    ...(f.icmpType !== undefined ? { icmpType: f.icmpType } : {}),
    signature: g.signature,
    addressOnly: g.addressOnly,
    predicted: g.predicted,
  };
}

function capped(set: CappedSet): CappedJson {
  return { values: set.sorted(), more: set.more };
}

export function groupStats(g: GroupAccumulator): GroupStatsJson {
  return {
    events: g.events,
    connections: g.connections,
    observed: g.observed.entries(),
    directions: g.directions.entries(),
    ...(g.firstText !== undefined ? { firstSeen: g.firstText } : {}),
    ...(g.lastText !== undefined ? { lastSeen: g.lastText } : {}),
    nodes: capped(g.nodes),
    sourcePods: capped(g.sourcePods),
    destinationPods: capped(g.destinationPods),
    sourceIps: capped(g.sourceIps),
    destinationIps: capped(g.destinationIps),
    firstLine: g.firstLine,
    observedPolicyDrops: g.observedPolicyDrops,
    denyingPolicies: capped(g.denyingPolicies),
  };
}

/** An empty group for an identity; its first event was line `firstLine`. */
export function accumulatorOf(
  g: GroupIdentityJson,
  firstLine: number,
  counterCap = COUNTER_KEY_LIMIT,
): GroupAccumulator {
  const flow = {
    source: { labels: g.source },
    destination: { labels: g.destination, ...(g.dnsNames ? { dnsNames: g.dnsNames } : {}) },
    protocol: g.protocol,
    ...(g.port !== undefined ? { port: g.port } : {}),
    ...(g.icmpType !== undefined ? { icmpType: g.icmpType } : {}),
  } as Flow;
  return new GroupAccumulator(flow, g.predicted, g.signature, g.addressOnly, firstLine, counterCap);
}

/** Adds what another part of the flows counted for the same group (its connections as counted there). */
export function mergeGroupStats(acc: GroupAccumulator, g: GroupStatsJson): void {
  acc.events += g.events;
  acc.connections += g.connections;
  for (const [k, n] of g.observed) acc.observed.addCount(k, n);
  for (const [k, n] of g.directions) acc.directions.addCount(k, n);
  const firstMs = flowTimeMs(g.firstSeen);
  if (
    g.firstSeen !== undefined &&
    firstMs !== undefined &&
    (firstMs < acc.firstMs || (firstMs === acc.firstMs && g.firstSeen < acc.firstText!))
  ) {
    acc.firstMs = firstMs;
    acc.firstText = g.firstSeen;
  }
  const lastMs = flowTimeMs(g.lastSeen);
  if (
    g.lastSeen !== undefined &&
    lastMs !== undefined &&
    (lastMs > acc.lastMs || (lastMs === acc.lastMs && g.lastSeen > acc.lastText!))
  ) {
    acc.lastMs = lastMs;
    acc.lastText = g.lastSeen;
  }
  acc.nodes.merge(g.nodes.values, g.nodes.more);
  acc.sourcePods.merge(g.sourcePods.values, g.sourcePods.more);
  acc.destinationPods.merge(g.destinationPods.values, g.destinationPods.more);
  acc.sourceIps.merge(g.sourceIps.values, g.sourceIps.more);
  acc.destinationIps.merge(g.destinationIps.values, g.destinationIps.more);
  acc.observedPolicyDrops += g.observedPolicyDrops;
  acc.denyingPolicies.merge(g.denyingPolicies.values, g.denyingPolicies.more);
}

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
