import { describeRule } from '../engine/describe';
import { DirectionResult } from '../engine/types';
import { SKIP_LOST_EVENTS } from '../hubble/parse-line';
import { ReplayGroup, ReplayResult } from './result';
import { decidingRules, groupTitle, undecidedReasons } from './report';
import { plural } from '../util/text';

/**
 * The rules of the rollout gate (README, "The rollout gate"): the gate is green only when the
 * whole export was read, every line was a well-formed flow (or `maxMalformed` allows the rest),
 * something was evaluated, every flow comes from the expected cluster, the model agrees with
 * what Hubble observed, and nothing would be dropped.
 */
export type GateBlockerKind =
  | 'incomplete-input'
  | 'lost-events'
  | 'malformed-lines'
  | 'nothing-evaluated'
  | 'unexpected-cluster'
  | 'disagreement'
  | 'would-drop'
  | 'undecided';

/** Blockers that say the input cannot vouch for anything: exit code 2. */
const INPUT_BLOCKERS: ReadonlySet<GateBlockerKind> = new Set([
  'incomplete-input',
  'lost-events',
  'malformed-lines',
  'nothing-evaluated',
  'unexpected-cluster',
]);

export interface GateBlocker {
  readonly kind: GateBlockerKind;
  readonly title: string;
  readonly details: readonly string[];
  /** The replay group it is about. */
  readonly group?: number;
}

export interface GateOptions {
  /** Malformed lines tolerated. @default 0 */
  readonly maxMalformed?: number;
  /** The cluster the flows must come from (`--cluster-name`); without it, the export must hold a single cluster. */
  readonly expectedCluster?: string;
  /** Flows the engine cannot decide offline block too. @default true */
  readonly undecidedBlocks?: boolean;
  /** The policies replayed against, as `Kind ns/name` (to say whether a policy Hubble named is among them). */
  readonly knownPolicies?: ReadonlySet<string>;
  /** Accept an export in which Hubble reported lost events (`--allow-lost-events`). @default false */
  readonly allowLostEvents?: boolean;
}

export interface Gate {
  readonly green: boolean;
  /** 0 green, 1 a blocker in the policies, 2 an input that cannot vouch for the answer. */
  readonly exitCode: 0 | 1 | 2;
  readonly blockers: readonly GateBlocker[];
  /** Not blocking, worth knowing. */
  readonly warnings: readonly string[];
}

export function isInputBlocker(kind: string): boolean {
  return INPUT_BLOCKERS.has(kind as GateBlockerKind);
}

/** Exit code for a list of blocker kinds: 2 if any says the input is unusable, else 1 if any, else 0. */
export function exitCodeOf(kinds: readonly string[]): 0 | 1 | 2 {
  if (kinds.some(isInputBlocker)) return 2;
  return kinds.length ? 1 : 0;
}

export function assessGate(result: ReplayResult, options: GateOptions = {}): Gate {
  const s = result.summary;
  const blockers: GateBlocker[] = [...inputBlockers(result, options)];
  const warnings: string[] = [];
  const clusterBlocker = clusterCheck(s.clusters, options.expectedCluster);
  if (clusterBlocker) blockers.push(clusterBlocker);
  blockers.push(...groupBlockers(result, options));
  const lost = s.skippedByReason[SKIP_LOST_EVENTS];
  if (lost && options.allowLostEvents) {
    warnings.push(
      `${plural(lost, 'lost_events line')} accepted by --allow-lost-events: Hubble dropped events while recording, so flows it never recorded are not in the export`,
    );
  } else if (lost) {
    blockers.push({
      kind: 'lost-events',
      title: `${plural(lost, 'lost_events line')} in ${result.input.name}: Hubble dropped events while recording, so a flow that would be dropped may be missing from the export`,
      details: [
        'capture again with fewer dropped events (a larger Hubble event buffer, `hubble.eventBufferCapacity`, or a narrower `hubble observe` filter), or accept the gap knowingly with --allow-lost-events',
      ],
    });
  }
  const maxMalformed = options.maxMalformed ?? 0;
  if (s.malformed && s.malformed <= maxMalformed)
    warnings.push(
      `${plural(s.malformed, 'malformed line')} ignored as --max-malformed ${maxMalformed} allows (first: line ${s.malformedLines[0]?.line})`,
    );
  const exitCode = exitCodeOf(blockers.map((b) => b.kind));
  return { green: blockers.length === 0, exitCode, blockers, warnings };
}

/** The input cannot vouch for the answer: cut off, malformed lines, nothing evaluated. */
function inputBlockers(result: ReplayResult, options: GateOptions): GateBlocker[] {
  const s = result.summary;
  const blockers: GateBlocker[] = [];
  if (s.incomplete) {
    blockers.push({
      kind: 'incomplete-input',
      title: `${result.input.name} could not be read to the end: ${s.incomplete.reason}`,
      details: [
        'the flows after that point were never seen; export again (or fix the copy) and replay the whole file',
      ],
    });
  }
  const maxMalformed = options.maxMalformed ?? 0;
  if (s.malformed > maxMalformed) {
    blockers.push({
      kind: 'malformed-lines',
      title: `${plural(s.malformed, 'malformed line')} in ${result.input.name}${maxMalformed ? ` (at most ${maxMalformed} allowed by --max-malformed)` : ''}: a flow on them could be one that would be dropped`,
      details: [
        ...s.malformedLines.slice(0, 5).map((m) => `line ${m.line}: ${m.reason}`),
        ...(s.malformed > 5
          ? [`... and ${s.malformed - 5} more (all listed in --format json, up to 100)`]
          : []),
        'fix or remove those lines, or accept them with --max-malformed N after reading them',
      ],
    });
  }
  if (s.evaluated === 0) {
    const reasons = Object.entries(s.skippedByReason)
      .slice(0, 3)
      .map(([r, n]) => `${r}: ${n}`);
    blockers.push({
      kind: 'nothing-evaluated',
      title: 'no flow of the export could be evaluated, so nothing shows the policies are complete',
      details: [
        ...(reasons.length ? [`skipped: ${reasons.join('; ')}`] : []),
        'capture traffic in audit mode with the identity labels, e.g. `hubble observe --since 24h -o json > flows.json` (an exporter field mask must keep source/destination labels, IP and l4)',
      ],
    });
  }
  return blockers;
}

/** Disagreements with what Hubble observed first, then groups that would be dropped or are undecided. */
function groupBlockers(result: ReplayResult, options: GateOptions): GateBlocker[] {
  const blockers: GateBlocker[] = [];
  for (const g of result.groups) {
    if (g.disagreement) blockers.push(disagreement(g, options.knownPolicies));
  }
  for (const g of result.groups) {
    if (g.predicted.verdict === 'DROPPED') {
      blockers.push({
        kind: 'would-drop',
        group: g.id,
        title: `${groupTitle(g)} would be dropped (${plural(g.connections, 'connection')})`,
        details: decidingRules(g.predicted),
      });
    } else if (g.predicted.verdict === 'UNDECIDED' && options.undecidedBlocks !== false) {
      blockers.push({
        kind: 'undecided',
        group: g.id,
        title: `${groupTitle(g)} cannot be decided offline (${plural(g.connections, 'connection')})`,
        details: undecidedReasons(g.predicted),
      });
    }
  }
  return blockers;
}

function clusterCheck(
  clusters: Readonly<Record<string, number>>,
  expected: string | undefined,
): GateBlocker | undefined {
  const names = Object.keys(clusters);
  const list = (ns: string[]) => ns.map((n) => `${n} (${plural(clusters[n], 'flow')})`).join(', ');
  if (expected !== undefined) {
    const others = names.filter((n) => n !== expected);
    if (!others.length) return undefined;
    return {
      kind: 'unexpected-cluster',
      title: `flows from ${others.length === 1 ? 'a cluster' : 'clusters'} other than ${expected} (--cluster-name): ${list(others)}`,
      details: [
        'the export is not (only) from the cluster the policies are checked for; export from that cluster, or correct --cluster-name',
      ],
    };
  }
  if (names.length <= 1) return undefined;
  return {
    kind: 'unexpected-cluster',
    title: `flows from several clusters: ${list(names)}`,
    details: [
      "replay one cluster's export at a time, or say which cluster the policies are for with --cluster-name",
    ],
  };
}

function side(direction: string, d: DirectionResult): string {
  const rules = [...new Set(d.rules.map((r) => describeRule(r)))];
  return `${direction} ${d.decision}${rules.length ? ` (${rules.join(', ')})` : ''}`;
}

function disagreement(g: ReplayGroup, known: ReadonlySet<string> | undefined): GateBlocker {
  const observed = Object.entries(g.observed)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const named = g.observedDenyingPolicies;
  const missing = known ? named.filter((p) => !known.has(p.replace(/^(egress|ingress): /, ''))) : [];
  return {
    kind: 'disagreement',
    group: g.id,
    title: `${groupTitle(g)}: Hubble observed it refused by policy, the model predicts FORWARDED`,
    details: [
      `cluster: ${observed}${named.length ? `; denied by ${named.join(', ')}` : '; Hubble named no policy (a default deny: no allow rule matched)'}`,
      `model: ${side('egress', g.predicted.egress)}; ${side('ingress', g.predicted.ingress)}`,
      ...(missing.length ? [`not among --policies: ${missing.join(', ')}`] : []),
      'if the policies changed since the capture, deploy them in audit mode and capture again; otherwise the offline model is wrong about this flow (please report it)',
    ],
  };
}
