import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import * as zlib from 'zlib';
import { splitChunk, LineChunk } from '../../lib/hubble/line-chunks';
import { MAX_LINE_CHARS, openFlowInput, ReadOutcome } from '../../lib/hubble/line-reader';
import { prng } from '../../scripts/gen-hubble-export';

// `forEachChunk` (bytes for worker threads, split there; or views of the blocks read, split by
// the reading thread) must give exactly the lines of `forEachLine`, whatever the block
// boundaries of the stream.

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'line-chunks-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Read {
  readonly lines: Array<{ text: string; terminated: boolean }>;
  readonly outcome: ReadOutcome | string;
}

/** The stream as blocks cut at random byte offsets (inside multibyte characters too). */
function blocksOf(bytes: Buffer, seed: number): Buffer[] {
  const rand = prng(seed);
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length;) {
    const n = 1 + Math.floor(rand() * 40);
    out.push(bytes.subarray(at, at + n));
    at += n;
  }
  return out;
}

async function byLines(open: () => Promise<Awaited<ReturnType<typeof openFlowInput>>>): Promise<Read> {
  const lines: Read['lines'] = [];
  try {
    const outcome = await (
      await open()
    ).forEachLine((l) => lines.push({ text: l.text, terminated: l.terminated }));
    return { lines, outcome };
  } catch (e) {
    return { lines, outcome: (e as Error).message };
  }
}

async function byChunks(
  open: () => Promise<Awaited<ReturnType<typeof openFlowInput>>>,
  size: number,
  standalone = true,
): Promise<Read & { chunks: LineChunk[] }> {
  const lines: Read['lines'] = [];
  const chunks: LineChunk[] = [];
  try {
    const outcome = await (
      await open()
    ).forEachChunk(
      size,
      (chunk) => {
        chunks.push(chunk);
        const texts = splitChunk(chunk);
        expect(texts.length).toBe(chunk.lines);
        texts.forEach((text, i) =>
          lines.push({ text, terminated: i < texts.length - 1 || chunk.lastTerminated }),
        );
      },
      undefined,
      { standalone },
    );
    return { lines, outcome, chunks };
  } catch (e) {
    return { lines, outcome: (e as Error).message, chunks };
  }
}

async function expectSameLines(
  bytes: Buffer,
  name: string,
  sizes = [1, 3, 1024],
  smallBlocks = true,
): Promise<Read> {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, bytes);
  const expected = await byLines(() => openFlowInput(file));
  for (const [size, standalone] of sizes.flatMap(
    (n) =>
      [
        [n, true],
        [n, false],
      ] as const,
  )) {
    const got = await byChunks(() => openFlowInput(file), size, standalone);
    expect(got.outcome).toEqual(expected.outcome);
    expect(got.lines).toEqual(expected.lines);
    expect(got.chunks.map((c) => c.first)).toEqual(got.chunks.map((_, i) => i === 0));
    expect(got.chunks.slice(0, -1).every((c) => c.lines === size && c.lastTerminated)).toBe(true);
  }
  if (smallBlocks && !name.endsWith('.gz')) {
    for (const seed of [1, 2]) {
      const stdin = () => openFlowInput('-', Readable.from(blocksOf(bytes, seed)));
      const fromStdin = await byLines(stdin);
      expect(fromStdin.lines).toEqual(expected.lines);
      expect((await byChunks(stdin, 3)).lines).toEqual(expected.lines);
      expect((await byChunks(stdin, 3, false)).lines).toEqual(expected.lines);
    }
  }
  return expected;
}

const LINES = [
  '{"flow":{"verdict":"FORWARDED"}}',
  '',
  'not json',
  '{"flow":{"source":{"labels":["k8s:app=café"]},"destination_names":["日本.example"]}}',
  '{"emoji":"🙂🙂"}\r',
  '\r',
  '   ',
];

describe('forEachChunk reads the lines forEachLine reads', () => {
  it.each([
    ['a byte order mark, CRLF, multibyte characters, a terminated last line', `\ufeff${LINES.join('\n')}\n`],
    ['an unterminated last line', `${LINES.join('\r\n')}`],
    ['an unterminated last line of one CR', `${LINES.join('\n')}\n\r`],
    ['blank lines only', '\n\n\n'],
    ['a byte order mark alone', '\ufeff'],
    ['many lines', Array.from({ length: 2500 }, (_, i) => `${LINES[i % LINES.length]}${i}`).join('\n')],
  ])('%s', async (_name, text) => {
    await expectSameLines(Buffer.from(text, 'utf8'), 'plain.jsonl');
    await expectSameLines(zlib.gzipSync(text), 'compressed.jsonl.gz');
  });

  it('an empty file', async () => {
    const read = await expectSameLines(Buffer.alloc(0), 'empty.jsonl');
    expect(read.lines).toEqual([]);
  });

  it('invalid UTF-8 and a last line cut inside a character', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"a":"x'),
      Buffer.from([0xff, 0xc3]),
      Buffer.from('"}\nok\n'),
      Buffer.from('é', 'utf8').subarray(0, 1),
    ]);
    await expectSameLines(bytes, 'invalid.jsonl');
  });

  it('gzip cut off: the same lines and the same incomplete outcome', async () => {
    const gz = zlib.gzipSync(Array.from({ length: 3000 }, (_, i) => `{"n":${i}}`).join('\n'));
    const read = await expectSameLines(gz.subarray(0, Math.floor(gz.length * 0.6)), 'cut.jsonl.gz');
    expect((read.outcome as ReadOutcome).error).toMatch(/gzip data is corrupt or cut off .* after line \d+/);
    const none = await expectSameLines(gz.subarray(0, 12), 'header-only.jsonl.gz');
    expect(none.outcome).toMatch(/cannot read flow export/);
  });

  it('a line over the length limit is cut to 1,024 characters and the rest dropped; the limit counts characters, not bytes', async () => {
    const overlong = `{"x":"${'a'.repeat(MAX_LINE_CHARS + 1024 * 1024)}"}`; // checked between blocks read
    const twoByteChars = `{"y":"${'é'.repeat(MAX_LINE_CHARS / 2 + 10)}"}`; // over the limit in bytes, not in characters
    const text = `first\n${overlong}\r\nafter\n${twoByteChars}\nlast`;
    const read = await expectSameLines(Buffer.from(text, 'utf8'), 'overlong.jsonl', [1, 1024], false);
    expect(read.lines.map((l) => l.text.length)).toEqual([5, 1024, 5, twoByteChars.length, 4]);
  }, 120_000);
});
