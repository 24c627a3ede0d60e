import * as path from 'path';
import { Worker } from 'worker_threads';
import { LineChunk } from '../hubble/line-chunks';
import { ChunkOptions, ChunkResult } from './chunk';
import { availableCores } from './cores';
import type { ChunkReply, ChunkRequest, WorkerInit, WorkerMessage } from './chunk-worker';
import { EngineSpec } from './replay-engine';

/** Chunks waiting for or in a worker, per worker: enough to keep each busy, bounded memory. */
const IN_FLIGHT_PER_WORKER = 2;

/**
 * Lines per chunk sent to a worker. Small enough that a chunk's lines, in the reading thread and
 * in the worker, mostly die young: at 4,096 lines they outlived the young generation and piled
 * up in the old one (2M lines with 2 workers: 269 MiB peak RSS, 227 MiB at 1,024 lines).
 */
export const WORKER_CHUNK_LINES = 1024;

/**
 * A worker's young generation (V8's default is 48 MiB per thread): a chunk's garbage still fits
 * in it, and each worker commits less memory (2M lines with 2 workers: 227 MiB peak RSS, 209 MiB).
 */
const WORKER_YOUNG_GENERATION_MB = 24;

/** How long a finished run's worker threads wait for the next run before they end. */
const IDLE_WORKER_MS = 30_000;

/** Threads for `--jobs` by default: one per core this process may use (`availableCores`), at least one. */
export function defaultJobs(cores: number = availableCores()): number {
  return Math.max(1, Math.floor(cores));
}

/**
 * Worker threads that each filter, evaluate and group the chunks they are sent, beside the
 * calling thread, which handles a chunk itself when every worker is busy (`saturated`,
 * `submitLocal`); `onResult` gets the results in the order the chunks were submitted (numbered
 * by the worker's index + 1 as their `source`, 0 for the calling thread), whatever order the
 * workers finish in. A run that finishes leaves its workers idle for the next (see
 * `IdleWorkers`); one that fails or stops early ends them.
 */
export class ChunkWorkers {
  private readonly workers: Worker[];
  private readonly inFlight: number[];
  private readonly done = new Map<number, { source: number; result: ChunkResult }>();
  private submitted = 0;
  private recorded = 0;
  private failure?: Error;
  private wake?: () => void;
  /** Handed back to the idle workers: nothing of this run is left in them. */
  private released = false;

  constructor(
    count: number,
    spec: EngineSpec,
    options: ChunkOptions,
    private readonly onResult: (source: number, result: ChunkResult) => void,
  ) {
    const init: WorkerInit = { spec, options };
    this.workers = Array.from({ length: count }, (_, i) => this.attach(i, IdleWorkers.take(), init));
    this.inFlight = this.workers.map(() => 0);
  }

  /** Sends a chunk to the least busy worker (its bytes are moved there: unusable here afterwards). */
  submit(chunk: LineChunk): void {
    this.check();
    let w = 0;
    for (let i = 1; i < this.workers.length; i++) if (this.inFlight[i] < this.inFlight[w]) w = i;
    this.inFlight[w]++;
    const { bytes, first, lastTerminated } = chunk;
    const request: ChunkRequest = { index: this.submitted++, bytes, first, lastTerminated };
    this.workers[w].postMessage(request satisfies WorkerMessage, [bytes.buffer as ArrayBuffer]);
  }

  /** Whether every worker has as many chunks as it may wait on: the next is better handled by the caller. */
  get saturated(): boolean {
    return this.inFlight.every((n) => n >= IN_FLIGHT_PER_WORKER);
  }

  /** A chunk the calling thread handled itself (as thread 0), in its place among those submitted. */
  submitLocal(result: ChunkResult): void {
    this.check();
    this.arrived(this.submitted++, 0, result);
  }

  /**
   * Resolves once few enough chunks are outstanding to submit another: the workers' and those
   * the calling thread handled that wait for earlier ones.
   */
  async ready(): Promise<void> {
    while (this.submitted - this.recorded >= (this.workers.length + 1) * IN_FLIGHT_PER_WORKER)
      await this.next();
    this.check();
  }

  /** Waits for every submitted chunk, then leaves the workers idle for the next run. */
  async finish(): Promise<void> {
    try {
      while (this.recorded < this.submitted) await this.next();
      this.check();
      this.released = true;
      for (const w of this.workers) w.postMessage({ end: true } satisfies WorkerMessage);
      IdleWorkers.park(this.workers);
    } finally {
      await this.stop();
    }
  }

  /** Ends the workers unless the run finished (a failed or abandoned run's workers hold its chunks). */
  async stop(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private next(): Promise<void> {
    this.check();
    return new Promise((resolve) => (this.wake = resolve));
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  private attach(i: number, worker: Worker, init: WorkerInit): Worker {
    worker.on('message', (reply: ChunkReply) => {
      this.inFlight[i]--;
      if ('error' in reply) this.fail(new Error(`replay worker ${i + 1}: ${reply.error}`));
      else this.arrived(reply.index, i + 1, reply.result);
    });
    worker.on('error', (e) => this.fail(new Error(`replay worker ${i + 1} failed: ${e.message}`)));
    worker.on('exit', (code) => {
      if (!this.released) this.fail(new Error(`replay worker ${i + 1} exited (${code})`));
    });
    worker.postMessage({ start: init } satisfies WorkerMessage);
    return worker;
  }

  private arrived(index: number, source: number, result: ChunkResult): void {
    this.done.set(index, { source, result });
    for (let d = this.done.get(this.recorded); d; d = this.done.get(this.recorded)) {
      this.done.delete(this.recorded);
      this.recorded++;
      try {
        this.onResult(d.source, d.result);
      } catch (e) {
        this.fail(e as Error);
        return;
      }
    }
    this.wake?.();
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.wake?.();
  }
}

/**
 * Worker threads of finished runs, kept for the next run of the process for `IDLE_WORKER_MS`:
 * a worker's own JIT-compiled code and module loading cost it about as much as a tenth of a
 * 300,000-line export, and a replay that follows another (suggest's verifying replay, a
 * service replaying exports one after the other) starts with warm threads. Idle workers do
 * not keep the process alive, and hold no engine, cache or group of the run before.
 */
const IdleWorkers = {
  workers: [] as Worker[],
  timer: undefined as NodeJS.Timeout | undefined,

  /** An idle worker (its listeners removed), or a new one. */
  take(): Worker {
    for (let w = this.workers.pop(); w; w = this.workers.pop()) {
      // A worker that ended while idle has thread id -1.
      if (w.threadId < 0) continue;
      forget(w);
      w.ref();
      return w;
    }
    return startWorker();
  },

  park(workers: readonly Worker[]): void {
    for (const w of workers) {
      forget(w);
      w.on('error', () => undefined);
      w.once('exit', () => {
        const at = this.workers.indexOf(w);
        if (at !== -1) this.workers.splice(at, 1);
      });
      w.unref();
      this.workers.push(w);
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      for (const w of this.workers.splice(0)) void w.terminate();
    }, IDLE_WORKER_MS);
    this.timer.unref();
  },
};

/** Removes a run's listeners (never all: a Worker listens to its own listeners being added). */
function forget(w: Worker): void {
  for (const event of ['message', 'error', 'exit']) w.removeAllListeners(event);
}

/** The compiled worker script, or under a TypeScript runner (tsx, ts-jest) its source through tsx. */
function startWorker(): Worker {
  const workerData = { replayChunkWorker: true };
  const resourceLimits = { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB };
  const script = path.join(__dirname, `chunk-worker${path.extname(__filename)}`);
  if (!script.endsWith('.ts')) return new Worker(script, { workerData, resourceLimits });
  const tsx = require.resolve('tsx/cjs/api', { paths: [__dirname] });
  const code = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(script)});`;
  return new Worker(code, { eval: true, workerData, execArgv: [], resourceLimits });
}
