import { GrowableUint32 } from './bounded';
import { ChunkGroup, ChunkResult, MAX_MALFORMED_LINES, PartCounts } from './chunk';
import { ConnectionTable } from './connections';
import {
  accumulatorOf,
  contentKey,
  GroupAccumulator,
  GroupIdentityJson,
  mergeGroupStats,
} from './group-accumulator';
import type { ConnectionSpan, PerFlowResult, ReplayGroup, ReplayState } from './result';

const MAX_TRACKED_CONNECTIONS = 100_000;
/**
 * Clusters counted, in the order first seen: more than a ClusterMesh can connect (at most 511),
 * so the counts of every real export, and of any merge of its parts, are exact.
 */
export const MAX_CLUSTERS = 512;

/**
 * The record step of a replay: adds the chunks' results, in line order, into the run's state.
 * Chunks may come from several threads (`source` numbers the thread whose group refs a chunk
 * uses); recorded in line order, they make exactly the state one thread reading every line
 * would: groups in the order first seen, connections counted with one table over all lines.
 */
export class RunRecorder {
  readonly state: ReplayState;
  private byContent?: Map<string, GroupAccumulator>;
  private firstSource?: number;
  private readonly refs: GroupAccumulator[][] = [];
  private readonly connections = new ConnectionTable(MAX_TRACKED_CONNECTIONS);
  private readonly perFlow?: PerFlowLog;

  constructor(
    input: { readonly name: string; readonly gzip: boolean },
    options: { readonly perFlow?: boolean; readonly recordConnections?: boolean },
  ) {
    this.state = emptyReplayState(input, !!options.recordConnections);
    if (options.perFlow) this.perFlow = new PerFlowLog();
  }

  /** Adds the next chunk (in line order) computed by thread `source`. */
  record(source: number, chunk: ChunkResult): void {
    const state = this.state;
    const offset = state.lines;
    const local = chunk.groups.map((g) => ('live' in g ? g.live : this.merged(source, g)));
    this.countConnections(chunk, local);
    this.perFlow?.add(chunk, local, offset);
    addCounts(state, chunk);
  }

  /** One entry per evaluated line, in line order (with `perFlow`). */
  perFlowResults():
    ((byGroup: Map<GroupAccumulator, ReplayGroup>) => () => Iterable<PerFlowResult>) | undefined {
    const log = this.perFlow;
    return log && ((byGroup) => log.results(byGroup));
  }

  /**
   * The run's group for group ref `ref` of thread `source`; `line` is the line, counted from the
   * first line of the next chunk to record, of its first event there.
   */
  open(source: number, ref: number, identity: GroupIdentityJson, line: number): GroupAccumulator {
    const refs = (this.refs[source] ??= []);
    let acc = refs[ref];
    if (!acc) {
      const fresh = accumulatorOf(identity, this.state.lines + line);
      const byContent = this.contentIndex(source);
      const key = byContent && contentKey(fresh);
      const known = key !== undefined ? byContent?.get(key) : undefined;
      if (known) acc = known;
      else {
        if (key !== undefined) byContent?.set(key, fresh);
        this.state.groups.push((acc = fresh));
      }
      refs[ref] = acc;
    }
    return acc;
  }

  /**
   * The run's groups by content, once a second thread opens groups: one thread's refs already
   * name distinct groups (its label sets and signatures are numbered once for the run), so the
   * long content keys are built only when threads must find each other's groups.
   */
  private contentIndex(source: number): Map<string, GroupAccumulator> | undefined {
    if (this.byContent) return this.byContent;
    this.firstSource ??= source;
    if (source === this.firstSource) return undefined;
    this.byContent = new Map(this.state.groups.map((g) => [contentKey(g), g]));
    return this.byContent;
  }

  /** Merges a chunk's counts for a group into the run's group. */
  private merged(source: number, g: Extract<ChunkGroup, { stats: unknown }>): GroupAccumulator {
    let acc = this.refs[source]?.[g.ref];
    if (!acc) {
      if (!g.identity)
        throw new Error(`replay: group ${g.ref} of thread ${source} arrived before its identity`);
      acc = this.open(source, g.ref, g.identity, g.stats.firstLine);
    }
    mergeGroupStats(acc, g.stats);
    return acc;
  }

  private countConnections(chunk: ChunkResult, local: readonly GroupAccumulator[]): void {
    const { keyed, hi, lo, ms, group } = chunk.events;
    const log = this.state.connections;
    const table = this.connections;
    for (let i = 0; i < chunk.evaluated; i++) {
      const time = Number.isNaN(ms[i]) ? undefined : ms[i];
      const g = local[group[i]];
      if (table.isNewKey(keyed[i] ? hi[i] : undefined, lo[i], time)) g.connections++;
      if (!log) continue;
      const key = table.lastKey();
      if (key === undefined) continue;
      const span = log.get(key);
      if (span) span.last = time ?? -1;
      else log.set(key, { first: time ?? -1, last: time ?? -1, group: g });
    }
  }
}

/** Adds the next part's counts to a run's (the first 100 malformed lines, the first 512 clusters). */
export function addCounts(state: ReplayState, part: PartCounts): void {
  const offset = state.lines;
  state.lines += part.lines;
  state.evaluated += part.evaluated;
  state.skipped += part.skipped;
  state.malformed += part.malformed;
  for (const [reason, n] of part.skippedByReason)
    state.skippedByReason.set(reason, (state.skippedByReason.get(reason) ?? 0) + n);
  for (const m of part.malformedLines) {
    if (state.malformedLines.length === MAX_MALFORMED_LINES) break;
    state.malformedLines.push({ line: offset + m.line, reason: m.reason });
  }
  for (const [cluster, n] of part.clusters) {
    if (state.clusters.has(cluster) || state.clusters.size < MAX_CLUSTERS)
      state.clusters.set(cluster, (state.clusters.get(cluster) ?? 0) + n);
  }
}

/** `--per-flow`: three numbers per evaluated line (line, group, observed verdict). */
class PerFlowLog {
  private readonly lines = new GrowableUint32();
  private readonly groups = new GrowableUint32();
  private readonly observed = new GrowableUint32();
  private readonly groupIds = new Map<GroupAccumulator, number>();
  private readonly observedNames: string[] = [];
  private readonly observedIds = new Map<string, number>();

  add(chunk: ChunkResult, local: readonly GroupAccumulator[], offset: number): void {
    const p = chunk.perFlow;
    if (!p) return;
    const observedIds = p.observedNames.map((name) => {
      let id = this.observedIds.get(name);
      if (id === undefined) {
        id = this.observedNames.length;
        this.observedNames.push(name);
        this.observedIds.set(name, id);
      }
      return id;
    });
    for (let i = 0; i < chunk.evaluated; i++) {
      const g = local[chunk.events.group[i]];
      let gid = this.groupIds.get(g);
      if (gid === undefined) this.groupIds.set(g, (gid = this.groupIds.size));
      this.lines.push(offset + p.lines[i]);
      this.groups.push(gid);
      this.observed.push(observedIds[p.observed[i]]);
    }
  }

  results(byGroup: Map<GroupAccumulator, ReplayGroup>): () => Iterable<PerFlowResult> {
    const byId: ReplayGroup[] = [];
    for (const [g, id] of this.groupIds) byId[id] = byGroup.get(g)!;
    const { lines, groups, observed, observedNames } = this;
    return function* () {
      for (let i = 0; i < lines.length; i++)
        yield { line: lines.at(i), observed: observedNames[observed.at(i)], group: byId[groups.at(i)] };
    };
  }
}

/** A replay state before any line: what a run records into and what a merge adds group files to. */
export function emptyReplayState(
  input: { readonly name: string; readonly gzip: boolean },
  withConnections: boolean,
): ReplayState {
  return {
    input: { name: input.name, gzip: input.gzip },
    lines: 0,
    evaluated: 0,
    skipped: 0,
    malformed: 0,
    skippedByReason: new Map(),
    malformedLines: [],
    clusters: new Map(),
    groups: [],
    ...(withConnections ? { connections: new Map<string, ConnectionSpan>() } : {}),
  };
}
