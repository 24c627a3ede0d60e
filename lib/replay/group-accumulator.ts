import { FlowResult } from '../engine/types';
import { HubbleEndpoint, HubbleFlow } from '../hubble/flow-json';
import { isObservedPolicyDrop, namedPolicies } from '../hubble/observed-policy';
import { observedVerdict } from '../hubble/to-engine-flow';
import {
  addToSample,
  Counter,
  COUNTER_KEY_LIMIT,
  mergeSample,
  Sample,
  sampleMore,
  sampleValues,
} from './bounded';
import { addressSet } from './address-set';
import { NO_FORM, readSeenTime, SeenTime, seenBefore, seenTimeText } from './seen-time';

/** What a group keeps of each sampled field: nodes, example pods, addresses, the policies Hubble named. */
const MAX_NODES = 5;
const MAX_PODS = 3;
const MAX_IPS = 16;
const MAX_DENYING_POLICIES = 8;

const mergeTime: SeenTime = { ms: undefined, form: NO_FORM };

/**
 * A time's milliseconds are kept as `high * 2^24 + low`, with `low` from 0 to 2^24: both small
 * integers for every time a Date can hold (under 8.64e15 ms from the epoch either way).
 */
const TWO_24 = 16_777_216;
/** `firstHigh` before any time (past every time's `high`) and `lastHigh` (before every one). */
const NO_FIRST = 2 ** 30 - 1;
const NO_LAST = -(2 ** 30);

/**
 * A group while flows are added to it (or group files and chunks of a run merged into it). A run
 * holds thousands of them and a line touches one at random: the per-event state lives in the
 * group itself (a run of equal verdicts and directions is counted in a field, the counters are
 * made for a second key), so that an event reads few objects.
 */
export class GroupAccumulator {
  // (Fields in the order an event reads them: they share the object's first cache lines.)
  events = 0;
  /** The observed verdict and direction of the current run of events, and its length (not yet counted). */
  run = 0;
  runObserved?: string;
  runDirection?: string;
  /**
   * First and last seen (see seen-time.ts): epoch milliseconds in two small integers (`splitMs`;
   * a number field would be a number object of its own, one more read per event) and the form;
   * the texts are kept only for `NO_FORM`.
   */
  firstHigh = NO_FIRST;
  firstLow = 0;
  firstForm = NO_FORM;
  lastHigh = NO_LAST;
  lastLow = 0;
  lastForm = NO_FORM;
  nodes: Sample = undefined;
  /** The pod last added per end (a run of events from one pod adds it once). */
  lastSourcePod?: string;
  lastSourceNamespace?: string;
  lastDestinationPod?: string;
  lastDestinationNamespace?: string;
  sourceIps: Sample = undefined;
  destinationIps: Sample = undefined;
  connections = 0;
  firstText?: string;
  lastText?: string;
  sourcePods: Sample = undefined;
  destinationPods: Sample = undefined;
  observedPolicyDrops = 0;
  denyingPolicies: Sample = undefined;
  private observedCounts?: Counter;
  private directionCounts?: Counter;
  /** What the group is (shared with the `GroupRef` or group file that made it). */
  readonly identity: GroupIdentityJson;
  readonly firstLine: number;
  private readonly counterCap: number;

  constructor(identity: GroupIdentityJson, firstLine: number, counterCap = COUNTER_KEY_LIMIT) {
    this.identity = identity;
    this.firstLine = firstLine;
    this.counterCap = counterCap;
  }

  get predicted(): FlowResult {
    return this.identity.predicted;
  }

  get signature(): string {
    return this.identity.signature;
  }

  get addressOnly(): boolean {
    return this.identity.addressOnly;
  }

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

  /** The observed verdicts (`observed`) or directions as `Counter.entries` gives them. */
  countEntries(which: 'observed' | 'directions'): Array<[string, number]> {
    const counter = which === 'observed' ? this.observedCounts : this.directionCounts;
    if (counter || this.run === 0) return this[which].entries();
    return [[(which === 'observed' ? this.runObserved : this.runDirection)!, this.run]];
  }

  /** The observed verdicts (`observed`) or directions as `Counter.shown` gives them. */
  countsShown(which: 'observed' | 'directions'): Map<string, number> {
    const counter = which === 'observed' ? this.observedCounts : this.directionCounts;
    if (counter || this.run === 0) return this[which].shown();
    return new Map(this.countEntries(which));
  }

  /** Epoch milliseconds first seen; Infinity before any time. */
  get firstMs(): number {
    return this.firstHigh === NO_FIRST ? Infinity : this.firstHigh * TWO_24 + this.firstLow;
  }

  /** Epoch milliseconds last seen; -Infinity before any time. */
  get lastMs(): number {
    return this.lastHigh === NO_LAST ? -Infinity : this.lastHigh * TWO_24 + this.lastLow;
  }

  get firstSeen(): string | undefined {
    return this.firstHigh === NO_FIRST
      ? undefined
      : seenTimeText(this.firstMs, this.firstForm, this.firstText);
  }

  get lastSeen(): string | undefined {
    return this.lastHigh === NO_LAST ? undefined : seenTimeText(this.lastMs, this.lastForm, this.lastText);
  }

  /** Counts the current run of equal verdicts and directions. */
  endRun(): void {
    if (this.run === 0) return;
    const n = this.run;
    this.run = 0;
    (this.observedCounts ??= new Counter(this.counterCap)).addCount(this.runObserved!, n);
    (this.directionCounts ??= new Counter(this.counterCap)).addCount(this.runDirection!, n);
  }

  /** Adds a time to first and last seen. */
  seen(ms: number, form: number, text: string): void {
    const high = Math.floor(ms / TWO_24);
    const low = ms - high * TWO_24;
    const { firstHigh, firstLow, lastHigh, lastLow } = this;
    if (
      high < firstHigh ||
      (high === firstHigh &&
        (low < firstLow ||
          (low === firstLow && seenBefore(ms, form, text, ms, this.firstForm, this.firstText))))
    ) {
      this.firstHigh = high;
      this.firstLow = low;
      this.firstForm = form;
      this.firstText = form === NO_FORM ? text : undefined;
    }
    if (
      high > lastHigh ||
      (high === lastHigh &&
        (low > lastLow || (low === lastLow && seenBefore(ms, this.lastForm, this.lastText, ms, form, text))))
    ) {
      this.lastHigh = high;
      this.lastLow = low;
      this.lastForm = form;
      this.lastText = form === NO_FORM ? text : undefined;
    }
  }
}

/** Adds one evaluated event to its group. */
export function addEvent(
  group: GroupAccumulator,
  hubble: HubbleFlow,
  node: string | undefined,
  time: string | undefined,
  ms: number | undefined,
  timeForm: number,
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
  if (time !== undefined && ms !== undefined) group.seen(ms, timeForm, time);
  group.nodes = addToSample(group.nodes, node, MAX_NODES);
  addPods(group, hubble.source, hubble.destination);
  const ip = hubble.IP;
  if (ip) {
    group.sourceIps = addToSample(group.sourceIps, ip.source, MAX_IPS, addressSet);
    group.destinationIps = addToSample(group.destinationIps, ip.destination, MAX_IPS, addressSet);
  }
  if (isObservedPolicyDrop(hubble)) {
    group.observedPolicyDrops++;
    for (const p of namedPolicies(hubble))
      group.denyingPolicies = addToSample(group.denyingPolicies, p, MAX_DENYING_POLICIES);
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
    group.sourcePods = addToSample(group.sourcePods, podName(src), MAX_PODS);
  }
  if (
    dst?.pod_name &&
    (dst.pod_name !== group.lastDestinationPod || dst.namespace !== group.lastDestinationNamespace)
  ) {
    group.lastDestinationPod = dst.pod_name;
    group.lastDestinationNamespace = dst.namespace;
    group.destinationPods = addToSample(group.destinationPods, podName(dst), MAX_PODS);
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
  const id = g.identity;
  return {
    source: id.source,
    destination: id.destination,
    ...(id.dnsNames ? { dnsNames: id.dnsNames } : {}),
    protocol: id.protocol,
    ...(id.port !== undefined ? { port: id.port } : {}),
    ...(id.icmpType !== undefined ? { icmpType: id.icmpType } : {}),
    signature: id.signature,
    addressOnly: id.addressOnly,
    predicted: id.predicted,
  };
}

function capped(sample: Sample): CappedJson {
  return { values: sampleValues(sample), more: sampleMore(sample) };
}

export function groupStats(g: GroupAccumulator): GroupStatsJson {
  return {
    events: g.events,
    connections: g.connections,
    observed: g.countEntries('observed'),
    directions: g.countEntries('directions'),
    ...(g.firstHigh !== NO_FIRST ? { firstSeen: g.firstSeen } : {}),
    ...(g.lastHigh !== NO_LAST ? { lastSeen: g.lastSeen } : {}),
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
  return new GroupAccumulator(g, firstLine, counterCap);
}

/** Adds what another part of the flows counted for the same group (its connections as counted there). */
export function mergeGroupStats(acc: GroupAccumulator, g: GroupStatsJson): void {
  acc.events += g.events;
  acc.connections += g.connections;
  for (const [k, n] of g.observed) acc.observed.addCount(k, n);
  for (const [k, n] of g.directions) acc.directions.addCount(k, n);
  for (const text of [g.firstSeen, g.lastSeen]) {
    readSeenTime(text, mergeTime);
    if (text !== undefined && mergeTime.ms !== undefined) acc.seen(mergeTime.ms, mergeTime.form, text);
  }
  acc.nodes = mergeSample(acc.nodes, g.nodes.values, g.nodes.more, MAX_NODES);
  acc.sourcePods = mergeSample(acc.sourcePods, g.sourcePods.values, g.sourcePods.more, MAX_PODS);
  acc.destinationPods = mergeSample(
    acc.destinationPods,
    g.destinationPods.values,
    g.destinationPods.more,
    MAX_PODS,
  );
  acc.sourceIps = mergeSample(acc.sourceIps, g.sourceIps.values, g.sourceIps.more, MAX_IPS, addressSet);
  acc.destinationIps = mergeSample(
    acc.destinationIps,
    g.destinationIps.values,
    g.destinationIps.more,
    MAX_IPS,
    addressSet,
  );
  acc.observedPolicyDrops += g.observedPolicyDrops;
  acc.denyingPolicies = mergeSample(
    acc.denyingPolicies,
    g.denyingPolicies.values,
    g.denyingPolicies.more,
    MAX_DENYING_POLICIES,
  );
}

/**
 * What a group is, independent of the order the lines came in (ids are not). `joined` remembers
 * each label list's text across calls (groups share their label lists).
 */
export function contentKey(g: GroupAccumulator, joined?: Map<readonly string[], string>): string {
  const id = g.identity;
  // (One flat string: sorting compares these.)
  return [
    labelsText(id.source, joined),
    labelsText(id.destination, joined),
    id.dnsNames?.join(',') ?? '',
    id.protocol,
    id.port ?? '',
    id.icmpType ?? '',
    id.signature,
  ].join('|');
}

function labelsText(labels: readonly string[], joined: Map<readonly string[], string> | undefined): string {
  let text = joined?.get(labels);
  if (text === undefined) {
    text = labels.join(',');
    joined?.set(labels, text);
  }
  return text;
}
