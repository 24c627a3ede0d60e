import { LineChunk, splitChunk } from '../hubble/line-chunks';
import { FlowInput, ReadOutcome } from '../hubble/line-reader';
import { ChunkOptions, ChunkProcessor, GroupOpener } from './chunk';
import { ChunkWorkers, WORKER_CHUNK_LINES } from './chunk-workers';
import { FlowEvaluator } from './evaluation-cache';
import { finishReplay } from './finish';
import { ReplayFilter } from './line-filter';
import { RunRecorder } from './record';
import { ReplayResult } from './result';
import { WORKER_PROBE_LINES, WorkerProbe } from './worker-probe';

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
   * Threads that filter, evaluate and group: `jobs - 1` worker threads, and the reading thread
   * whenever they all have enough to do, for an evaluator that can be rebuilt in them
   * (`ReplayEngine`); the result is the same whatever the number. @default 1
   */
  readonly jobs?: number;
  /**
   * Lines per chunk, the unit a thread filters, evaluates and groups: 1,024 with worker threads;
   * 512 in one thread (lines read wait less, so less of them outlives the young generation).
   */
  readonly chunkLines?: number;
  /**
   * With `jobs` > 1: evaluated lines handled in the reading thread before worker threads start;
   * they start only if those lines fell into few groups (see `WorkerProbe`). 0 starts them at the
   * first evaluated flow. @default WORKER_PROBE_LINES
   */
  readonly workerProbeLines?: number;
}

const CHUNK_LINES_ONE_THREAD = 512;

/**
 * Reads a flow export and predicts, group by group, what enforcement would do to it. The lines
 * go in chunks through filter -> evaluate -> group (`ChunkProcessor`, in this thread and in
 * `jobs - 1` worker threads) and the chunks' results, in line order, through record (`RunRecorder`).
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
 * once the first flow fixed its cluster name) and the first evaluated lines showed that worker
 * threads pay (`WorkerProbe`); then, with `jobs` > 1, `jobs - 1` worker threads, and this thread
 * whenever they all have enough to do.
 */
class ChunkPipeline {
  private readonly local: ChunkProcessor;
  private readonly chunkOptions: ChunkOptions;
  private workers?: ChunkWorkers;
  private readonly jobs: number;
  private readonly probe: WorkerProbe;
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
    const probeLines = options.workerProbeLines ?? WORKER_PROBE_LINES;
    if (!Number.isInteger(probeLines) || probeLines < 0)
      throw new RangeError(`workerProbeLines: expected a whole number from 0, got ${probeLines}`);
    this.probe = new WorkerProbe(probeLines);
  }

  /**
   * Starts the worker threads (`jobs` > 1) once the evaluator can be rebuilt in them and the
   * probe found that they pay.
   */
  private startWorkers(): void {
    if (this.jobs === 1 || this.workers || !this.probe.workersPay) return;
    const spec = this.evaluator.spec?.();
    if (spec) {
      this.workers = new ChunkWorkers(this.jobs - 1, spec, this.chunkOptions, (source, result) =>
        this.recorder.record(source, result),
      );
    }
  }

  /**
   * A chunk of lines as bytes: to a worker thread once they can start, unless they all have
   * enough to do; else split and handled here.
   */
  submit(chunk: LineChunk): void {
    this.startWorkers();
    if (this.workers) {
      if (!this.workers.saturated) return this.workers.submit(chunk);
      // Grouped apart, not into the run's groups: chunks before it may still be in the workers.
      return this.workers.submitLocal(this.local.process(splitChunk(chunk), chunk.lastTerminated));
    }
    const result = this.local.process(splitChunk(chunk), chunk.lastTerminated, this.open);
    if (this.jobs > 1) this.probe.add(result);
    this.recorder.record(0, result);
  }

  /** Threads the chunks were shared among: `jobs` once workers started, else 0 (all in this thread). */
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
