/**
 * A worker thread of `replay --jobs N`: filters, evaluates and groups the chunks it is sent.
 * It serves run after run (`ChunkWorkers` keeps idle workers for the next replay): each run
 * starts with a `RunStart` that rebuilds its engine, and ends with `RunEnd`.
 */
import { parentPort, workerData } from 'worker_threads';
import { splitChunk } from '../hubble/line-chunks';
import { ChunkOptions, ChunkProcessor, ChunkResult } from './chunk';
import { EngineSpec, ReplayEngine } from './replay-engine';

export interface WorkerInit {
  readonly spec: EngineSpec;
  readonly options: ChunkOptions;
}

/** A run's engine and options: the chunks that follow are that run's. */
export interface RunStart {
  readonly start: WorkerInit;
}

/** The run is over: its engine and caches are dropped until the next `RunStart`. */
export interface RunEnd {
  readonly end: true;
}

/** A chunk of lines as bytes (`LineChunk`), split by the worker. */
export interface ChunkRequest {
  readonly index: number;
  readonly bytes: Uint8Array;
  readonly first: boolean;
  readonly lastTerminated: boolean;
}

export type WorkerMessage = RunStart | RunEnd | ChunkRequest;

export type ChunkReply =
  | { readonly index: number; readonly result: ChunkResult }
  | { readonly index: number; readonly error: string };

/** The buffers of a result's typed arrays (moved, not copied, to the main thread). */
export function transferables(result: ChunkResult): ArrayBuffer[] {
  const arrays = [
    ...Object.values(result.events),
    ...(result.perFlow ? [result.perFlow.lines, result.perFlow.observed] : []),
  ];
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}

function serve(port: NonNullable<typeof parentPort>): void {
  let processor: ChunkProcessor | undefined;
  port.on('message', (message: WorkerMessage) => {
    if ('start' in message) {
      processor = new ChunkProcessor(ReplayEngine.fromSpec(message.start.spec), message.start.options);
      return;
    }
    if ('end' in message) {
      processor = undefined;
      return;
    }
    let reply: ChunkReply;
    try {
      if (!processor) throw new Error(`chunk ${message.index} before the run started`);
      const lines = splitChunk(message);
      reply = { index: message.index, result: processor.process(lines, message.lastTerminated) };
    } catch (e) {
      port.postMessage({ index: message.index, error: (e as Error).message } satisfies ChunkReply);
      return;
    }
    port.postMessage(reply, transferables(reply.result));
  });
}

if (parentPort && (workerData as { replayChunkWorker?: boolean } | undefined)?.replayChunkWorker) {
  serve(parentPort);
}
