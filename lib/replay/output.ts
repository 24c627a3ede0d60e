import { Write } from './write';

export type { Write } from './write';

/**
 * Writes many small pieces of text to a stream in 64 KiB chunks. The returned promise (from
 * `write` when a chunk went out and the stream is full) lets a long `--per-flow` listing wait
 * for the stream instead of buffering the whole output in memory.
 */
export function bufferedWriter(stream: NodeJS.WritableStream = process.stdout): {
  write: Write;
  end: () => Promise<void>;
} {
  const pending: string[] = [];
  let size = 0;
  const flush = (): Promise<void> | undefined => {
    if (!pending.length) return undefined;
    const chunk = pending.join('');
    pending.length = 0;
    size = 0;
    if (stream.write(chunk)) return undefined;
    return new Promise<void>((resolve) => stream.once('drain', () => resolve()));
  };
  return {
    write(text: string) {
      pending.push(text);
      size += text.length;
      return size >= 65536 ? flush() : undefined;
    },
    async end() {
      await flush();
    },
  };
}

/** Collects written text into a string (tests, suggestions). */
export function stringWriter(): { write: Write; text: () => string } {
  const parts: string[] = [];
  return {
    write: (t) => {
      parts.push(t);
      return undefined;
    },
    text: () => parts.join(''),
  };
}
