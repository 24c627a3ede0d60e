import { FlowInput } from '../hubble/line-reader';

export interface Progress {
  readonly onProgress: (bytesRead: number, lines: number) => void;
  done(): void;
}

const REDRAW_MS = 200;

/** A one-line progress bar on stderr (bytes read of the file as stored, lines); none unless stderr is a TTY. */
export function progressBar(
  input: FlowInput,
  stream: NodeJS.WriteStream = process.stderr,
): Progress | undefined {
  if (!stream.isTTY) return undefined;
  let last = 0;
  let drawn = false;
  const width = 30;
  return {
    onProgress(bytes, lines) {
      const now = Date.now();
      if (now - last < REDRAW_MS) return;
      last = now;
      const mb = (bytes / 1048576).toFixed(1);
      let bar = '';
      if (input.size) {
        const ratio = Math.min(1, bytes / input.size);
        const filled = Math.round(ratio * width);
        bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% `;
      }
      stream.write(`\r${bar}${mb} MiB, ${lines.toLocaleString('en-US')} lines`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
