import { StringDecoder } from 'string_decoder';

/**
 * A run of consecutive whole lines as raw UTF-8 bytes, each line ending with a line break except
 * an unterminated last line of the input. Splitting is left to whoever handles the chunk
 * (`splitChunk`), so that a reading thread only finds line breaks and worker threads decode.
 */
export interface LineChunk {
  readonly bytes: Buffer;
  readonly lines: number;
  /** False when the chunk's last line is the input's last and has no line break. */
  readonly lastTerminated: boolean;
  /** The chunk holds the input's first line (a byte order mark before it is dropped). */
  readonly first: boolean;
}

const NEWLINE = 0x0a;

/** A chunk's lines, as `FlowInput.forEachLine` gives them: without CR before LF, nor a leading byte order mark. */
export function splitChunk(chunk: { readonly bytes: Uint8Array; readonly first: boolean }): string[] {
  // A chunk posted to a worker thread arrives as a plain Uint8Array.
  const text = Buffer.from(chunk.bytes.buffer, chunk.bytes.byteOffset, chunk.bytes.byteLength).toString(
    'utf8',
  );
  const lines = text.split('\n');
  if (chunk.bytes.length > 0 && chunk.bytes[chunk.bytes.length - 1] === NEWLINE) lines.pop();
  for (let i = 0; i < lines.length; i++) if (lines[i].endsWith('\r')) lines[i] = lines[i].slice(0, -1);
  if (chunk.first && lines.length > 0 && lines[0].charCodeAt(0) === 0xfeff) lines[0] = lines[0].slice(1);
  return lines;
}

/**
 * Cuts a byte stream, block after block, into chunks of `size` lines: exactly the lines
 * `FlowInput.forEachLine` reads from it (a line longer than `maxLineChars` cut to its first 1,024
 * characters, the rest of it dropped), found without decoding them. A chunk's bytes are memory of
 * its own with `standalone` (to move them to another thread), else they may be a view of the
 * blocks read.
 */
export class LineChunker {
  /** Lines cut so far. */
  lines = 0;
  /** Bytes of the complete lines of the chunk being filled (before the block being cut), and their count. */
  private parts: Buffer[] = [];
  private inChunk = 0;
  private firstSent = false;
  /** The unterminated line so far. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private decoder = new StringDecoder('utf8');
  /** The unterminated line's length so far, in UTF-16 units (as `forEachLine` measures it). */
  pendingChars = 0;
  private skippingOverlong = false;

  constructor(
    private readonly size: number,
    private readonly maxLineChars: number,
    private readonly onChunk: (chunk: LineChunk) => void,
    private readonly standalone = true,
  ) {}

  add(block: Buffer): void {
    // Lines from `from` to `start` of the block belong to the chunk being filled.
    let from = 0;
    let start = 0;
    for (let nl = block.indexOf(NEWLINE); nl !== -1; nl = block.indexOf(NEWLINE, start)) {
      start = nl + 1;
      if (this.skippingOverlong) {
        this.skippingOverlong = false;
        from = start;
        continue;
      }
      if (this.pendingBytes > 0) this.endPending();
      this.lines++;
      if (++this.inChunk === this.size) {
        this.parts.push(block.subarray(from, start));
        from = start;
        this.flush(true);
      }
    }
    if (from < start) this.parts.push(block.subarray(from, start));
    if (start < block.length && !this.skippingOverlong) this.extendPending(block.subarray(start));
    if (this.pendingChars > this.maxLineChars && !this.skippingOverlong) {
      const head = Buffer.concat(this.pending).toString('utf8').slice(0, 1024);
      this.resetPending();
      this.parts.push(Buffer.from(`${head}\n`, 'utf8'));
      this.lines++;
      if (++this.inChunk === this.size) this.flush(true);
      this.skippingOverlong = true;
    }
  }

  /** The input ended: its last line may have no line break. */
  end(): void {
    if (this.pendingChars + this.decoder.end().length > 0 && !this.skippingOverlong) {
      this.endPending();
      this.lines++;
      this.inChunk++;
      this.flush(false);
    } else this.flush(true);
  }

  /** Sends the lines of the chunk being filled, if any. */
  flush(lastTerminated: boolean): void {
    if (this.inChunk === 0) return;
    const bytes = this.standalone
      ? standalone(this.parts)
      : this.parts.length === 1
        ? this.parts[0]
        : Buffer.concat(this.parts);
    const first = !this.firstSent;
    this.firstSent = true;
    const lines = this.inChunk;
    this.parts = [];
    this.inChunk = 0;
    this.onChunk({ bytes, lines, lastTerminated, first });
  }

  /** The unterminated line's bytes so far go to the chunk (the rest of it follows from the block). */
  private endPending(): void {
    for (const p of this.pending) this.parts.push(p);
    this.resetPending();
  }

  private extendPending(bytes: Buffer): void {
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    this.pendingChars += this.decoder.write(bytes).length;
  }

  private resetPending(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingChars = 0;
    this.decoder = new StringDecoder('utf8');
  }
}

/**
 * The parts in one buffer of its own memory (never Node's shared pool, nor the stream's blocks):
 * a worker thread is handed it by transfer, without a copy.
 */
function standalone(parts: readonly Buffer[]): Buffer {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = Buffer.allocUnsafeSlow(length);
  let at = 0;
  for (const p of parts) at += p.copy(out, at);
  return out;
}
