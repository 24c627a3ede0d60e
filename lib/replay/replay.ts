import { LineChunk, splitChunk } from '../hubble/line-chunks';
import { FlowInput, ReadOutcome } from '../hubble/line-reader';
import { ChunkOptions, ChunkProcessor, GroupOpener } from './chunk';
import { ChunkWorkers, WORKER_CHUNK_LINES } from './chunk-workers';
import { FlowEvaluator } from './evaluation-cache';
import { FlowResult, Flow } from '../engine/types';
import { finishReplay } from './finish';
import { GroupAccumulator } from './group-accumulator';
import { ReplayFilter } from './line-filter';
import { RunRecorder } from './record';

export type { FlowEvaluator } from './evaluation-cache';
export { contentKey, GroupAccumulator } from './group-accumulator';
export { MAX_MALFORMED_LINES } from './chunk';
export { MAX_CLUSTERS } from './record';
export { finishReplay } from './finish';

export interface ReplayOptions extends ReplayFilter {
  /** Record one result per evaluated line. @default false */
  readonly perFlow?: boolean;
  /** Keep the first and last time of every connection, so the result can be saved as a group file and merged. @default false */
  readonly recordConnections?: boolean;
  /** Called now and then while reading. */
  readonly onProgress?: (bytesRead: number, lines: number) => void;
  /**
   * Threads that filter, evaluate and group (worker threads besides the one reading), for an
   * evaluator that can be rebuilt in them (`ReplayEngine`); the result is the same whatever the
   * number. @default 1
   */
  readonly jobs?: number;
  /**
   * Lines per chunk, the unit a thread filters, evaluates and groups: 1,024 with worker threads;
   * 512 in one thread (lines read wait less, so less of them outlives the young generation).
   */
  readonly chunkLines?: number;
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
  /** Worker threads that evaluated chunks of the flows (0: all in the reading thread; `jobs`). */
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

const CHUNK_LINES_ONE_THREAD = 512;

/**
 * Reads a flow export and predicts, group by group, what enforcement would do to it. The lines
 * go in chunks through filter -> evaluate -> group (`ChunkProcessor`, in this thread or in
 * `jobs` worker threads) and the chunks' results, in line order, through record (`RunRecorder`).
 */
export async function replayFlows(
  input: FlowInput,
  evaluator: FlowEvaluator,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  const recorder = new RunRecorder(input, options);
  const pipeline = new ChunkPipeline(evaluator, recorder, options);
  let outcome: ReadOutcome;
  try {
    outcome = await readChunks(input, pipeline, options);
    await pipeline.finish();
  } finally {
    await pipeline.stop();
  }
  const state = recorder.state;
  if (outcome.error) state.incomplete = { afterLine: outcome.lines, reason: outcome.error };
  if (state.evaluated && evaluator.clusterName) state.engineClusterName = evaluator.clusterName();
  return { ...finishReplay(state, recorder.perFlowResults()), threads: pipeline.threads };
}

/** Splits the input into chunks of lines for the pipeline, waiting while the workers are busy. */
async function readChunks(
  input: FlowInput,
  pipeline: ChunkPipeline,
  {
    onProgress,
    jobs = 1,
    chunkLines = jobs > 1 ? WORKER_CHUNK_LINES : CHUNK_LINES_ONE_THREAD,
  }: ReplayOptions,
): Promise<ReadOutcome> {
  if (!Number.isInteger(chunkLines) || chunkLines < 1)
    throw new RangeError(`chunkLines: expected a whole number from 1, got ${chunkLines}`);
  // With worker threads, lines go to them as bytes: this thread only finds the line breaks. In
  // one thread, a chunk is decoded at once (one string per chunk, not per block read).
  let lines = 0;
  const outcome = await input.forEachChunk(
    chunkLines,
    (chunk) => {
      if (onProgress && (lines + chunk.lines) >> 14 !== lines >> 14)
        onProgress(input.bytesRead(), lines + chunk.lines);
      lines += chunk.lines;
      pipeline.submit(chunk);
    },
    () => pipeline.ready(),
    { standalone: jobs > 1 },
  );
  onProgress?.(input.bytesRead(), lines);
  return outcome;
}

/**
 * Where chunks go: this thread until the evaluator can be rebuilt elsewhere (a `ReplayEngine`
 * once the first flow fixed its cluster name), then, with `jobs` > 1, the worker threads.
 */
class ChunkPipeline {
  private readonly local: ChunkProcessor;
  private readonly chunkOptions: ChunkOptions;
  private workers?: ChunkWorkers;
  private readonly jobs: number;
  /** In this thread, chunk after chunk in line order: grouped straight into the run's groups. */
  private readonly open: GroupOpener = (ref, identity, line) => this.recorder.open(0, ref, identity, line);

  constructor(
    private readonly evaluator: FlowEvaluator,
    private readonly recorder: RunRecorder,
    options: ReplayOptions,
  ) {
    this.jobs = options.jobs ?? 1;
    if (!Number.isInteger(this.jobs) || this.jobs < 1)
      throw new RangeError(`jobs: expected a whole number from 1, got ${this.jobs}`);
    if (this.jobs > 1 && !evaluator.spec)
      throw new TypeError('jobs > 1 needs an evaluator worker threads can rebuild (ReplayEngine)');
    this.chunkOptions = {
      filter: { namespaces: options.namespaces, since: options.since, until: options.until },
      perFlow: options.perFlow,
    };
    this.local = new ChunkProcessor(evaluator, this.chunkOptions);
  }

  /** Starts the worker threads once the evaluator can be rebuilt in them (`jobs` > 1). */
  private startWorkers(): void {
    const spec = this.jobs > 1 && !this.workers ? this.evaluator.spec?.() : undefined;
    if (spec) {
      this.workers = new ChunkWorkers(this.jobs, spec, this.chunkOptions, (source, result) =>
        this.recorder.record(source, result),
      );
    }
  }

  /** A chunk of lines as bytes: to a worker thread once they can start, else split and handled here. */
  submit(chunk: LineChunk): void {
    this.startWorkers();
    if (this.workers) return this.workers.submit(chunk);
    this.recorder.record(0, this.local.process(splitChunk(chunk), chunk.lastTerminated, this.open));
  }

  /** Worker threads started (0: every chunk went through this thread). */
  get threads(): number {
    return this.workers ? this.jobs : 0;
  }

  ready(): Promise<void> | undefined {
    return this.workers?.ready();
  }

  async finish(): Promise<void> {
    await this.workers?.finish();
  }

  async stop(): Promise<void> {
    await this.workers?.stop();
  }
}
