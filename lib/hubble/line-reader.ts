import * as fs from 'fs';
import { Readable } from 'stream';
import { StringDecoder } from 'string_decoder';
import * as zlib from 'zlib';
import { FlowInputError } from './input-error';
import { LineChunk, LineChunker } from './line-chunks';

/** One line of a flow export (1-based number, without the line break). */
export interface InputLine {
  readonly number: number;
  readonly text: string;
  /** False for a last line that has no line break (often a file cut off while being written). */
  readonly terminated: boolean;
}

/** How a read ended. */
export interface ReadOutcome {
  readonly lines: number;
  /** The stream broke after some lines were read (corrupt or cut-off gzip data). */
  readonly error?: string;
}

/** A flow export opened for reading: a file or stdin, gzip-compressed or not. */
export interface FlowInput {
  /** File path, or `<stdin>`. */
  readonly name: string;
  /** Size in bytes of the file as stored (compressed size for gzip), when known. */
  readonly size?: number;
  readonly gzip: boolean;
  /** Bytes read from the file as stored so far. */
  bytesRead(): number;
  /**
   * Calls `onLine` for every line, in order; resolves when the input ends. `between`, called
   * after the lines of each block read, may return a promise: reading waits for it.
   */
  forEachLine(
    onLine: (line: InputLine) => void,
    between?: () => Promise<void> | undefined,
  ): Promise<ReadOutcome>;
  /**
   * The same lines in chunks of `size` lines, as bytes (`splitChunk` splits a chunk): for a
   * reader that hands the lines to other threads without decoding them itself (`standalone`:
   * each chunk's bytes in memory of its own, to move), or that decodes a chunk at a time.
   */
  forEachChunk(
    size: number,
    onChunk: (chunk: LineChunk) => void,
    between?: () => Promise<void> | undefined,
    options?: ChunkReadOptions,
  ): Promise<ReadOutcome>;
}

export interface ChunkReadOptions {
  /** Each chunk's bytes in memory of their own, never a view of the blocks read. @default true */
  readonly standalone?: boolean;
}

const GZIP_MAGIC = [0x1f, 0x8b];
/** Lines longer than this are cut (reported malformed): protects memory from a file with no line breaks. */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;

/** Opens `-` (stdin) or a file; detects gzip by its magic bytes, not by its extension. */
export async function openFlowInput(source: string, stdin: Readable = process.stdin): Promise<FlowInput> {
  const name = source === '-' ? '<stdin>' : source;
  let stream: Readable;
  let size: number | undefined;
  if (source === '-') {
    stream = stdin;
  } else {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(source);
    } catch (e) {
      throw new FlowInputError(
        `${source}: cannot read flow export: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
      );
    }
    if (stat.isDirectory())
      throw new FlowInputError(`${source}: is a directory; --flows takes one file (or - for stdin)`);
    size = stat.size;
    stream = fs.createReadStream(source, { highWaterMark: 256 * 1024 });
  }
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  let bytes = 0;
  let first: Buffer | undefined;
  try {
    const head = await iterator.next();
    if (!head.done) first = toBuffer(head.value);
  } catch (e) {
    throw new FlowInputError(
      `${name}: cannot read flow export: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  const gzip = !!first && first.length >= 2 && first[0] === GZIP_MAGIC[0] && first[1] === GZIP_MAGIC[1];
  if (first && !gzip && looksBinary(first)) {
    throw new FlowInputError(
      `${name}: not a Hubble flow export (binary data that is not gzip); expected JSON lines from \`hubble observe -o json\`, optionally gzip-compressed`,
    );
  }

  async function* raw(): AsyncGenerator<Buffer> {
    if (!first) return;
    bytes += first.length;
    yield first;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      const chunk = toBuffer(next.value);
      bytes += chunk.length;
      yield chunk;
    }
  }

  return {
    name,
    size,
    gzip,
    bytesRead: () => bytes,
    forEachLine: (onLine, between) => splitLines(gzip ? gunzip(raw()) : raw(), name, gzip, onLine, between),
    forEachChunk: (size, onChunk, between, options) =>
      cutChunks(
        gzip ? gunzip(raw()) : raw(),
        name,
        gzip,
        new LineChunker(size, MAX_LINE_CHARS, onChunk, options?.standalone ?? true),
        between,
      ),
  };
}

function toBuffer(chunk: Buffer | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
}

function looksBinary(head: Buffer): boolean {
  const n = Math.min(head.length, 4096);
  for (let i = 0; i < n; i++) if (head[i] === 0) return true;
  return false;
}

/** Output block of the gunzip stream: Node's default (16 KiB) costs several times the CPU. */
export const GUNZIP_CHUNK_BYTES = 256 * 1024;

function gunzip(chunks: AsyncGenerator<Buffer>): AsyncIterable<Buffer> {
  const source = Readable.from(chunks, { objectMode: false });
  const inflate = zlib.createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
  source.on('error', (e) => inflate.destroy(e));
  return source.pipe(inflate);
}

/**
 * Splits a byte stream into lines. Only a failure of the stream itself (corrupt or cut-off gzip,
 * a read error) ends the read early, reported in the outcome; an exception thrown by `onLine` is
 * the caller's and propagates. A UTF-8 byte order mark before the first line and CR before LF
 * are dropped.
 */
async function splitLines(
  chunks: AsyncIterable<Buffer>,
  name: string,
  gzip: boolean,
  onLine: (line: InputLine) => void,
  between?: () => Promise<void> | undefined,
): Promise<ReadOutcome> {
  const decoder = new StringDecoder('utf8');
  const iterator = chunks[Symbol.asyncIterator]();
  let pending = '';
  let skippingOverlong = false;
  let number = 0;
  const emit = (text: string, terminated: boolean) => {
    number++;
    let line = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (number === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    onLine({ number, text: line, terminated });
  };
  for (;;) {
    let next: IteratorResult<Buffer>;
    try {
      next = await iterator.next();
    } catch (e) {
      return brokenStream(e, name, gzip, number, pending.length);
    }
    if (next.done) break;
    const text = pending + decoder.write(next.value);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      if (skippingOverlong) skippingOverlong = false;
      else emit(text.slice(start, nl), true);
      start = nl + 1;
    }
    pending = text.slice(start);
    if (pending.length > MAX_LINE_CHARS && !skippingOverlong) {
      emit(pending.slice(0, 1024), true);
      skippingOverlong = true;
    }
    if (skippingOverlong) pending = '';
    const wait = between?.();
    if (wait) await wait;
  }
  pending += decoder.end();
  if (pending.length > 0 && !skippingOverlong) emit(pending, false);
  return { lines: number };
}

/** How a read ends when the stream fails: an error when nothing was read, else an incomplete outcome. */
function brokenStream(
  e: unknown,
  name: string,
  gzip: boolean,
  lines: number,
  pendingChars: number,
): ReadOutcome {
  const reason = gzip
    ? `gzip data is corrupt or cut off (${(e as Error).message})`
    : `read error (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  if (lines === 0 && pendingChars === 0)
    throw new FlowInputError(`${name}: cannot read flow export: ${reason}`);
  return { lines, error: `${reason} after line ${lines}` };
}

/** `splitLines` for `forEachChunk`: the same lines, cut into chunks of bytes by `chunker`. */
async function cutChunks(
  blocks: AsyncIterable<Buffer>,
  name: string,
  gzip: boolean,
  chunker: LineChunker,
  between?: () => Promise<void> | undefined,
): Promise<ReadOutcome> {
  const iterator = blocks[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Buffer>;
    try {
      next = await iterator.next();
    } catch (e) {
      chunker.flush(true);
      return brokenStream(e, name, gzip, chunker.lines, chunker.pendingChars);
    }
    if (next.done) break;
    chunker.add(next.value);
    const wait = between?.();
    if (wait) await wait;
  }
  chunker.end();
  return { lines: chunker.lines };
}
