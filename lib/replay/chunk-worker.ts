/** A worker thread of `replay --jobs N`: filters, evaluates and groups the chunks it is sent. */
import { parentPort, workerData } from 'worker_threads';
import { splitChunk } from '../hubble/line-chunks';
import { ChunkOptions, ChunkProcessor, ChunkResult } from './chunk';
import { EngineSpec, ReplayEngine } from './replay-engine';

export interface WorkerInit {
  readonly spec: EngineSpec;
  readonly options: ChunkOptions;
}

/** A chunk of lines as bytes (`LineChunk`), split by the worker. */
export interface ChunkRequest {
  readonly index: number;
  readonly bytes: Uint8Array;
  readonly first: boolean;
  readonly lastTerminated: boolean;
}

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

function serve(port: NonNullable<typeof parentPort>, init: WorkerInit): void {
  const processor = new ChunkProcessor(ReplayEngine.fromSpec(init.spec), init.options);
  port.on('message', (request: ChunkRequest) => {
    let reply: ChunkReply;
    try {
      const lines = splitChunk(request);
      reply = { index: request.index, result: processor.process(lines, request.lastTerminated) };
    } catch (e) {
      port.postMessage({ index: request.index, error: (e as Error).message } satisfies ChunkReply);
      return;
    }
    port.postMessage(reply, transferables(reply.result));
  });
}

if (parentPort && (workerData as { replayChunkWorker?: WorkerInit } | undefined)?.replayChunkWorker) {
  serve(parentPort, (workerData as { replayChunkWorker: WorkerInit }).replayChunkWorker);
}
