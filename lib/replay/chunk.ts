import { flowCluster, observedVerdict } from '../hubble/to-engine-flow';
import { connectionKey } from './connections';
import { Evaluation, EvaluationCache, FlowEvaluator } from './evaluation-cache';
import {
  accumulatorOf,
  addEvent,
  GroupAccumulator,
  GroupIdentityJson,
  GroupStatsJson,
  groupStats,
} from './group-accumulator';
import { LabelSet } from '../hubble/label-sets';
import { isAddressOnly } from './identity';
import { KeptLine, LineFilter, ReplayFilter } from './line-filter';
import { parseJson } from '../hubble/parse-line';
import { GroupOpener, GroupRef } from './group-ref';

export type { GroupOpener } from './group-ref';

export const MAX_MALFORMED_LINES = 100;

/**
 * Lines parsed one after the other before they are judged: `JSON.parse` runs faster without the
 * other steps in between, but the parsed lines of a whole chunk (a megabyte or more) would leave
 * the processor's cache before their turn comes.
 */
const PARSE_BATCH = 32;

/**
 * A group a chunk touched: `ref` numbers it for the processor; `identity` comes with its first
 * chunk. Its events are in `stats`, or, when the chunk was grouped straight into the run's
 * groups (`GroupOpener`), already in `live`.
 */
export type ChunkGroup =
  | { readonly ref: number; readonly identity?: GroupIdentityJson; readonly stats: GroupStatsJson }
  | { readonly ref: number; readonly live: GroupAccumulator };

/** The counts of a part of the flows (a chunk, a group file) whose line 1 is line `state.lines + 1`. */
export interface PartCounts {
  readonly lines: number;
  readonly evaluated: number;
  readonly skipped: number;
  readonly malformed: number;
  /** In the order first seen. */
  readonly skippedByReason: Iterable<readonly [string, number]>;
  /** The first 100. */
  readonly malformedLines: ReadonlyArray<{ readonly line: number; readonly reason: string }>;
  /** Evaluated flows per cluster, in the order first seen. */
  readonly clusters: Iterable<readonly [string, number]>;
}

/**
 * What a run of consecutive lines (a chunk) contributed, line numbers counted from the chunk's
 * first line (1). Connections are left to the record step: whether an event starts a new
 * connection depends on every line before it.
 */
export interface ChunkResult extends PartCounts {
  readonly skippedByReason: ReadonlyArray<readonly [string, number]>;
  readonly clusters: ReadonlyArray<readonly [string, number]>;
  /** In the order first touched. */
  readonly groups: readonly ChunkGroup[];
  /** Per evaluated line: its 5-tuple key (`keyed` 0: none), time (NaN: none) and group (index in `groups`). */
  readonly events: {
    readonly keyed: Uint8Array;
    readonly hi: Uint32Array;
    readonly lo: Uint32Array;
    readonly ms: Float64Array;
    readonly group: Uint32Array;
  };
  /** With `perFlow`: per evaluated line, its line, group (index in `groups`) and observed verdict. */
  readonly perFlow?: {
    readonly lines: Uint32Array;
    readonly observed: Uint32Array;
    readonly observedNames: readonly string[];
  };
}

export interface ChunkOptions {
  readonly filter?: ReplayFilter;
  readonly perFlow?: boolean;
}

/**
 * Filter, evaluate and group for chunk after chunk of one run (in one thread): the label sets,
 * the evaluations and the groups' identities are kept across chunks, the counts are the chunk's.
 */
export class ChunkProcessor {
  private readonly filter: LineFilter;
  private readonly evaluations: EvaluationCache;
  private readonly refs = new Map<string, GroupRef>();
  /** Per destination label set id: whether only an address identifies it. */
  private readonly addressOnly = new Map<number, boolean>();
  /** Chunks processed. */
  private chunks = 0;

  constructor(
    evaluator: FlowEvaluator,
    private readonly options: ChunkOptions = {},
  ) {
    this.filter = new LineFilter(options.filter);
    this.evaluations = new EvaluationCache(evaluator);
  }

  /**
   * Judges each line; `lastTerminated` is false when the input's last line had no line break.
   * With `open`, events go straight into the run's groups; else into the chunk's own, counted
   * without caps (merging the chunks in order caps them as one run would).
   */
  process(lines: readonly string[], lastTerminated: boolean, open?: GroupOpener): ChunkResult {
    const chunk = new ChunkAccumulator(lines.length, !!this.options.perFlow, ++this.chunks, open);
    const known = this.refs.size;
    const last = lines.length - 1;
    const json: unknown[] = new Array(PARSE_BATCH);
    for (let i = 0; i <= last; i++) {
      if (i % PARSE_BATCH === 0)
        for (let j = 0; j < PARSE_BATCH && i + j <= last; j++) json[j] = parseJson(lines[i + j]);
      try {
        this.line(chunk, i + 1, lines[i], i < last || lastTerminated, json[i % PARSE_BATCH]);
      } catch (e) {
        // A line that breaks the handling is that line's problem, never the end of the read.
        chunk.bad(i + 1, `could not be handled (${(e as Error).message})`);
      }
    }
    return chunk.result(known);
  }

  private line(
    chunk: ChunkAccumulator,
    number: number,
    text: string,
    terminated: boolean,
    json: unknown,
  ): void {
    const judged = this.filter.judge(text, terminated, json);
    if (judged.kind === 'skip') return chunk.skip(judged.reason);
    if (judged.kind === 'malformed') return chunk.bad(number, judged.reason);
    const e = this.evaluations.evaluate(judged.hubble, judged.shape);
    chunk.event(number, (e.group ??= this.refOf(judged, e)), judged);
  }

  /** The group of a kept line: world addresses are not part of it (they are sampled per group). */
  private refOf(line: KeptLine, e: Evaluation): GroupRef {
    const { sourceSet, destinationSet, protocol, port, icmpType } = line.shape;
    const dnsNames = line.hubble.destination_names?.length
      ? [...line.hubble.destination_names].sort()
      : undefined;
    const names = dnsNames?.join(',') ?? '';
    // (Joined, not concatenated: one flat string, not a rope of a dozen strings kept per group.)
    const key = [
      sourceSet.id,
      destinationSet.id,
      names,
      protocol,
      port ?? '',
      icmpType ?? '',
      e.signature,
    ].join('|');
    let ref = this.refs.get(key);
    if (ref === undefined) {
      ref = new GroupRef(this.refs.size, this.identityOf(line.shape, dnsNames, names, e));
      this.refs.set(key, ref);
    }
    return ref;
  }

  /** A new group's identity (every property in one literal: no object of its own for the later ones). */
  private identityOf(
    shape: KeptLine['shape'],
    dnsNames: string[] | undefined,
    names: string,
    e: Evaluation,
  ): GroupIdentityJson {
    const { sourceSet, destinationSet, protocol, port, icmpType } = shape;
    return {
      source: sourceSet.labels,
      destination: destinationSet.labels,
      dnsNames,
      protocol,
      port,
      icmpType,
      signature: e.signatureText,
      addressOnly: !names && this.isAddressOnly(destinationSet),
      predicted: e.result,
    };
  }

  private isAddressOnly(set: LabelSet): boolean {
    let only = this.addressOnly.get(set.id);
    if (only === undefined) this.addressOnly.set(set.id, (only = isAddressOnly(set.labels)));
    return only;
  }
}

/** One chunk's counts while its lines are judged. */
class ChunkAccumulator {
  private evaluated = 0;
  private skipped = 0;
  private malformed = 0;
  private readonly skippedByReason = new Map<string, number>();
  private readonly malformedLines: Array<{ line: number; reason: string }> = [];
  private readonly clusters = new Map<string, number>();
  /** The cluster of the last events, not yet counted in `clusters` (most lines name the one before's). */
  private lastCluster?: string;
  private lastClusterEvents = 0;
  /** The groups touched, in the order first touched, and their accumulators. */
  private readonly order: GroupRef[] = [];
  private readonly accumulators: GroupAccumulator[] = [];
  private readonly keyed: Uint8Array;
  private readonly hi: Uint32Array;
  private readonly lo: Uint32Array;
  private readonly ms: Float64Array;
  private readonly group: Uint32Array;
  private readonly flowLines?: Uint32Array;
  private readonly observed?: Uint32Array;
  private readonly observedIds = new Map<string, number>();
  private readonly h = new Uint32Array(2);

  constructor(
    private readonly lines: number,
    perFlow: boolean,
    /** The processor's number of this chunk. */
    private readonly stamp: number,
    private readonly open?: GroupOpener,
  ) {
    this.keyed = new Uint8Array(lines);
    this.hi = new Uint32Array(lines);
    this.lo = new Uint32Array(lines);
    this.ms = new Float64Array(lines);
    this.group = new Uint32Array(lines);
    if (perFlow) {
      this.flowLines = new Uint32Array(lines);
      this.observed = new Uint32Array(lines);
    }
  }

  skip(reason: string): void {
    this.skipped++;
    this.skippedByReason.set(reason, (this.skippedByReason.get(reason) ?? 0) + 1);
  }

  bad(line: number, reason: string): void {
    this.malformed++;
    if (this.malformedLines.length < MAX_MALFORMED_LINES) this.malformedLines.push({ line, reason });
  }

  event(number: number, g: GroupRef, line: KeptLine): void {
    const i = this.evaluated++;
    const cluster = flowCluster(line.hubble, line.shape);
    if (cluster !== undefined) {
      if (cluster !== this.lastCluster) {
        this.countCluster();
        this.lastCluster = cluster;
      }
      this.lastClusterEvents++;
    }
    let slot = g.slot;
    if (g.chunk !== this.stamp) {
      slot = this.order.length;
      g.chunk = this.stamp;
      g.slot = slot;
      this.order.push(g);
      this.accumulators.push(
        this.open ? g.openWith(this.open, number) : accumulatorOf(g.identity, number, Infinity),
      );
    }
    addEvent(this.accumulators[slot], line.hubble, line.node, line.time, line.ms, line.timeForm);
    this.group[i] = slot;
    this.ms[i] = line.ms ?? NaN;
    if (connectionKey(line.hubble, this.h)) {
      this.keyed[i] = 1;
      this.hi[i] = this.h[0];
      this.lo[i] = this.h[1];
    }
    if (this.flowLines && this.observed) {
      const observed = observedVerdict(line.hubble);
      let id = this.observedIds.get(observed);
      if (id === undefined) this.observedIds.set(observed, (id = this.observedIds.size));
      this.flowLines[i] = number;
      this.observed[i] = id;
    }
  }

  private countCluster(): void {
    const cluster = this.lastCluster;
    if (cluster === undefined) return;
    this.clusters.set(cluster, (this.clusters.get(cluster) ?? 0) + this.lastClusterEvents);
    this.lastClusterEvents = 0;
  }

  /** The chunk's result; a group's identity goes with its first chunk (refs from `known` on) only. */
  result(known: number): ChunkResult {
    this.countCluster();
    this.lastCluster = undefined;
    const n = this.evaluated;
    return {
      lines: this.lines,
      evaluated: n,
      skipped: this.skipped,
      malformed: this.malformed,
      skippedByReason: [...this.skippedByReason],
      malformedLines: this.malformedLines,
      clusters: [...this.clusters],
      groups: this.order.map(({ ref, identity }, slot) => {
        const g = this.accumulators[slot];
        if (this.open) return { ref, live: g };
        return { ref, ...(ref >= known ? { identity } : {}), stats: groupStats(g) };
      }),
      events: {
        keyed: this.keyed.subarray(0, n),
        hi: this.hi.subarray(0, n),
        lo: this.lo.subarray(0, n),
        ms: this.ms.subarray(0, n),
        group: this.group.subarray(0, n),
      },
      ...(this.flowLines && this.observed
        ? {
            perFlow: {
              lines: this.flowLines.subarray(0, n),
              observed: this.observed.subarray(0, n),
              observedNames: [...this.observedIds.keys()],
            },
          }
        : {}),
    };
  }
}
