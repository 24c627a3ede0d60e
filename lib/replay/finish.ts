import { describePeer } from '../engine/describe';
import { Writable } from './writable';
import { Verdict } from '../engine/types';
import { sampleMore, sampleValues } from './bounded';
import { contentKey, GroupAccumulator } from './group-accumulator';
import type {
  GroupPeer,
  PerFlowResult,
  ReplayGroup,
  ReplayPartSummary,
  ReplayResult,
  ReplayState,
} from './result';

/** Sorts, numbers and summarises the groups: the same state gives the same result, whatever order the lines came in. */
export function finishReplay(
  state: ReplayState,
  perFlow?: (byGroup: Map<GroupAccumulator, ReplayGroup>) => () => Iterable<PerFlowResult>,
  parts?: readonly ReplayPartSummary[],
): ReplayResult {
  const displays = new Map<readonly string[], string>();
  const display = (labels: readonly string[]) => {
    let d = displays.get(labels);
    if (d === undefined) displays.set(labels, (d = describePeer({ labels })));
    return d;
  };
  const sorted = sortedGroups(state.groups);
  const result = sorted.map((g, i) => finishGroup(g, i + 1, display));
  const dropping = result.filter((g) => g.predicted.verdict === 'DROPPED');
  const flows = perFlow?.(new Map(sorted.map((g, i) => [g, result[i]])));

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
    perFlow: flows ?? noFlows,
    ...(parts ? { parts } : {}),
    state,
  };
}

/**
 * The result's `perFlow` without per-flow results. (Made here, a closure would keep everything
 * finishReplay's closures share alive with the result: the sort keys, the groups by accumulator.)
 */
function noFlows(): Iterable<PerFlowResult> {
  return [];
}

const VERDICT_ORDER: Record<Verdict, number> = { DROPPED: 0, UNDECIDED: 1, AUDIT: 2, FORWARDED: 3 };

/**
 * The groups in the order of the result: verdict (drops first), connections and events (most
 * first), then content. The sort reads numbers and keys from arrays, not from the groups.
 */
function sortedGroups(groups: readonly GroupAccumulator[]): GroupAccumulator[] {
  const n = groups.length;
  const verdicts = new Uint8Array(n);
  const connections = new Float64Array(n);
  const events = new Float64Array(n);
  const keys: string[] = new Array(n);
  const joined = new Map<readonly string[], string>();
  for (let i = 0; i < n; i++) {
    const g = groups[i];
    verdicts[i] = VERDICT_ORDER[g.predicted.verdict];
    connections[i] = g.connections;
    events[i] = g.events;
    keys[i] = contentKey(g, joined);
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => {
    if (verdicts[a] !== verdicts[b]) return verdicts[a] - verdicts[b];
    if (connections[a] !== connections[b]) return connections[b] - connections[a];
    if (events[a] !== events[b]) return events[b] - events[a];
    const ka = keys[a];
    const kb = keys[b];
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  return order.map((i) => groups[i]);
}

function finishGroup(
  g: GroupAccumulator,
  id: number,
  display: (labels: readonly string[]) => string,
): ReplayGroup {
  const f = g.identity;
  // Properties added in order, no spread followed by more properties (slow on Node 20; see
  // DEVELOPMENT.md): a run finishes thousands of groups.
  const destinationIps = sampleValues(g.destinationIps);
  const group: Writable<ReplayGroup> = {
    id,
    source: { labels: f.source, display: display(f.source) },
    destination: destinationPeer(g, destinationIps, display),
    protocol: f.protocol as ReplayGroup['protocol'],
  } as Writable<ReplayGroup>;
  if (f.port !== undefined) group.port = f.port;
  if (f.icmpType !== undefined) group.icmpType = f.icmpType;
  group.predicted = g.predicted;
  group.events = g.events;
  group.connections = g.connections;
  group.observed = sortedRecord(g.countsShown('observed'));
  group.directions = sortedRecord(g.countsShown('directions'));
  const firstSeen = g.firstSeen;
  if (firstSeen !== undefined) group.firstSeen = firstSeen;
  const lastSeen = g.lastSeen;
  if (lastSeen !== undefined) group.lastSeen = lastSeen;
  group.nodes = sampleValues(g.nodes);
  group.moreNodes = sampleMore(g.nodes);
  group.sourcePods = sampleValues(g.sourcePods);
  group.destinationPods = sampleValues(g.destinationPods);
  group.sourceIps = sampleValues(g.sourceIps);
  group.moreSourceIps = sampleMore(g.sourceIps);
  group.destinationIps = destinationIps;
  group.moreDestinationIps = sampleMore(g.destinationIps);
  group.firstLine = g.firstLine;
  group.observedPolicyDrops = g.observedPolicyDrops;
  group.observedDenyingPolicies = sampleValues(g.denyingPolicies);
  group.disagreement = g.predicted.verdict === 'FORWARDED' && g.observedPolicyDrops > 0;
  return group;
}

/** A world destination seen at one address shows it; at several, the (sampled) addresses. */
function destinationPeer(
  g: GroupAccumulator,
  ips: readonly string[],
  labelsDisplay: (labels: readonly string[]) => string,
): GroupPeer {
  const { destination, dnsNames } = g.identity;
  const more = sampleMore(g.destinationIps);
  const single = g.addressOnly && ips.length === 1 && !more ? ips[0] : undefined;
  let display =
    dnsNames || single
      ? describePeer({ labels: destination, dnsNames, ip: single })
      : labelsDisplay(destination);
  if (g.addressOnly && !single && ips.length)
    display = `${display} (${ips.slice(0, 3).join(', ')}${ips.length > 3 || more ? ', ...' : ''})`;
  return {
    labels: destination,
    ...(dnsNames ? { dnsNames } : {}),
    ...(single ? { ip: single } : {}),
    display,
  };
}

/** Most frequent first, then by key. */
function sortedRecord(map: Map<string, number>): Record<string, number> {
  if (map.size === 1) {
    const [[key, n]] = map;
    return { [key]: n };
  }
  const entries = [...map.entries()].sort(([ka, a], [kb, b]) => b - a || (ka < kb ? -1 : ka > kb ? 1 : 0));
  return Object.fromEntries(entries);
}
