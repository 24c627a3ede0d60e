import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { ChunkWorkers, WORKER_CHUNK_LINES } from '../../lib/replay/chunk-workers';
import { stringWriter } from '../../lib/replay/output';
import { renderJson } from '../../lib/replay/report';
import { ReplaySourceInput, runReplay } from '../../lib/replay/run';
import { syntheticExport } from '../../scripts/gen-hubble-export';
import { HOMELAB, observeLine } from './hubble-builder';

/**
 * `--jobs N`: the flows go in chunks to worker threads; the JSON report (with --per-flow) and the
 * group file must be byte for byte those of one thread, on real exports and generated ones.
 * Small chunks make even the small real files cross threads.
 */
const HOMELAB_POLICIES = path.join(__dirname, '..', 'fixtures', 'hubble', 'homelab-policies.yaml');
const FLOWS = path.join(__dirname, '..', '..', '..', 'shared', 'realworld', 'flows');
const REAL_POLICIES = path.join(FLOWS, 'policies');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-jobs-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Run {
  readonly json: string;
  readonly groupFile?: string;
  readonly threads: number;
}

/** The JSON report (or the input error) and the saved group file of one run. */
async function run(
  flags: Partial<ReplaySourceInput> & { policies: string[] },
  jobs: number,
  chunkLines: number,
  probeLines = 0,
): Promise<Run> {
  const saveGroups = path.join(tmp, `groups-${jobs}-${Math.random().toString(36).slice(2)}.json`);
  try {
    const r = await runReplay({ ...flags, saveGroups, jobs } as ReplaySourceInput, {
      perFlow: true,
      chunkLines,
      workerProbeLines: probeLines,
      now: Date.parse('2026-07-01T12:00:00Z'),
    });
    const out = stringWriter();
    await renderJson(
      {
        result: r.result,
        policies: r.policies,
        warnings: r.engine.warnings,
        perFlow: true,
        gate: r.gate,
      },
      out.write,
    );
    return {
      json: out.text(),
      groupFile: fs.readFileSync(saveGroups, 'utf8'),
      threads: r.result.threads ?? 0,
    };
  } catch (e) {
    return { json: `error: ${(e as Error).message}`, threads: 0 };
  }
}

async function expectSameResult(
  flags: Partial<ReplaySourceInput> & { policies: string[] },
  chunkLines: number,
): Promise<Run> {
  const one = await run(flags, 1, chunkLines);
  const three = await run(flags, 3, chunkLines);
  expect(one.threads).toBe(0);
  expect(three.json).toBe(one.json);
  expect(three.groupFile).toBe(one.groupFile);
  return three;
}

function write(name: string, text: string | Buffer): string {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, text);
  return f;
}

describe('the reading thread shares the chunks with the workers', () => {
  it('handles chunks itself while every worker has two waiting, and the result is that of one thread', async () => {
    const local = jest.spyOn(ChunkWorkers.prototype, 'submitLocal');
    const sent = jest.spyOn(ChunkWorkers.prototype, 'submit');
    try {
      const flows = write('shared.jsonl', [...syntheticExport(4000, 5)].join('\n'));
      const one = await run({ policies: [HOMELAB_POLICIES], flows }, 1, 64);
      const two = await run({ policies: [HOMELAB_POLICIES], flows }, 2, 64);
      expect(two.threads).toBe(2);
      expect(local.mock.calls.length).toBeGreaterThan(0);
      expect(sent.mock.calls.length).toBeGreaterThan(0);
      expect(two.json).toBe(one.json);
      expect(two.groupFile).toBe(one.groupFile);
    } finally {
      local.mockRestore();
      sent.mockRestore();
    }
  });
});

describe('replay --jobs 3 gives the bytes of --jobs 1', () => {
  const realFiles = fs
    .readdirSync(FLOWS)
    .filter((f) => f.endsWith('.jsonl'))
    .sort();

  it('finds the shared corpus', () => {
    expect(realFiles.length).toBeGreaterThanOrEqual(10);
  });

  it.each(realFiles)('real export %s', async (file) => {
    const lines = fs.readFileSync(path.join(FLOWS, file), 'utf8').split('\n').length;
    const r = await expectSameResult({ policies: [REAL_POLICIES], flows: path.join(FLOWS, file) }, 3);
    // Workers start once the first evaluated flow fixed the engine's cluster name.
    const evaluated = r.json.startsWith('error:') ? 0 : JSON.parse(r.json).summary.evaluated;
    if (lines > 12 && evaluated > 3) expect(r.threads).toBe(3);
  });

  const generated = [...syntheticExport(6000, 11)];
  // Malformed lines, a line that cannot be handled, a flow without time, lost events and a cut-off last line.
  const noTime = JSON.parse(generated.find((l) => l.includes('"AUDIT"'))!);
  delete noTime.time;
  delete noTime.flow.time;
  generated.splice(10, 0, 'not json', '{"flow": 5}', JSON.stringify(noTime));
  generated.splice(3000, 0, '{"flow":{"source":{"labels":[1]},"destination":{}}}', '');
  generated.splice(4097, 0, '{"lost_events":{"source":"HUBBLE_RING_BUFFER","num_events_lost":"3"}}');
  const text = `\ufeff${generated.join('\r\n')}\n{"flow":{"source"`;

  it.each([
    ['plain, chunks of the size sent to a worker by default', WORKER_CHUNK_LINES, false],
    ['gzip, chunks of 97 lines', 97, true],
    ['chunks of 1 line', 1, false],
  ])('generated export with damage: %s', async (_name, chunkLines, gzip) => {
    const flows = write(
      `generated-${chunkLines}.jsonl${gzip ? '.gz' : ''}`,
      gzip ? zlib.gzipSync(text) : text,
    );
    const r = await expectSameResult({ policies: [HOMELAB_POLICIES], flows }, chunkLines as number);
    const doc = JSON.parse(r.json);
    expect(r.threads).toBe(3);
    expect(doc.summary.malformedLines.map((m: { line: number }) => m.line)).toEqual([11, 12, 3001, 6007]);
    expect(
      doc.summary.skippedByReason['lost_events event (Hubble dropped events: the export is incomplete)'],
    ).toBeGreaterThan(0);
    expect(doc.flows.length).toBe(doc.summary.evaluated);
    expect(doc.groups.some((g: { firstSeen?: string }) => g.firstSeen)).toBe(true);
  });

  it('with --namespace and --since/--until', async () => {
    const flows = write('filtered.jsonl', generated.join('\n'));
    await expectSameResult(
      {
        policies: [HOMELAB_POLICIES],
        flows,
        namespaces: ['blog', 'monitoring'],
        since: '2026-07-01T10:00:30Z',
        until: '2026-07-01T10:20:00Z',
      },
      50,
    );
  });

  it('folds more than 32 observed verdicts of a group into (other) as one thread does', async () => {
    const lines: string[] = [];
    const verdicts = Array.from({ length: 50 }, (_, i) => `VERDICT_${String(i).padStart(2, '0')}`);
    // Chunk 1 (50 lines): 10 verdicts. Chunk 2: 40 new ones, then the first again, which one
    // thread counts under its name (it was among the first 32) although chunk 2 alone has more than 32.
    for (let i = 0; i < 100; i++) {
      const verdict = i < 50 ? verdicts[i % 10] : i < 90 ? verdicts[i - 40] : verdicts[0];
      const line = JSON.parse(
        observeLine({
          src: HOMELAB.traefik,
          dst: HOMELAB.blog,
          dport: 2368,
          sport: 40000 + i,
          direction: 'INGRESS',
          time: new Date(Date.parse('2026-07-01T10:00:00Z') + i * 1000).toISOString(),
          node: `homelab/k3s-${i % 3}`,
        }),
      );
      line.flow.verdict = verdict;
      lines.push(JSON.stringify(line));
    }
    const flows = write('verdicts.jsonl', `${lines.join('\n')}\n`);
    const r = await expectSameResult({ policies: [HOMELAB_POLICIES], flows }, 50);
    const observed = JSON.parse(r.json).groups[0].observed;
    expect(observed['(other)']).toBe(18);
    expect(observed.VERDICT_00).toBe(15);
    expect(Object.keys(observed)).toHaveLength(33);
  });
});

describe('worker threads start only where they pay', () => {
  const at = (i: number) => new Date(Date.parse('2026-07-01T10:00:00Z') + i * 100).toISOString();
  /** Traefik to the blog: `groupOf(i)` picks the destination port, so the number of groups. */
  const export_ = (name: string, lines: number, groupOf: (i: number) => number) =>
    write(
      name,
      `${Array.from({ length: lines }, (_, i) =>
        observeLine({
          src: HOMELAB.traefik,
          dst: HOMELAB.blog,
          dport: 1000 + groupOf(i),
          sport: 30000 + (i % 30000),
          time: at(i),
          node: 'homelab/k3s-1',
        }),
      ).join('\n')}\n`,
    );

  it('an export whose first lines are each a group of their own stays in one thread, with the same result', async () => {
    // The probe decides once: the 12,000 lines of 40 groups after it do not start the workers.
    const flows = export_('own-groups.jsonl', 14100, (i) => (i < 2100 ? i : 3000 + (i % 40)));
    const one = await run({ policies: [HOMELAB_POLICIES], flows }, 1, WORKER_CHUNK_LINES, 2048);
    const three = await run({ policies: [HOMELAB_POLICIES], flows }, 3, WORKER_CHUNK_LINES, 2048);
    expect(JSON.parse(one.json).summary).toMatchObject({ evaluated: 14100, groups: 2140 });
    expect(three.threads).toBe(0);
    expect(three.json).toBe(one.json);
    expect(three.groupFile).toBe(one.groupFile);
  });

  it('an export of few groups goes to the workers after the probe, with the same result', async () => {
    const flows = export_('few-groups.jsonl', 6000, (i) => i % 40);
    const one = await run({ policies: [HOMELAB_POLICIES], flows }, 1, WORKER_CHUNK_LINES, 2048);
    const three = await run({ policies: [HOMELAB_POLICIES], flows }, 3, WORKER_CHUNK_LINES, 2048);
    expect(JSON.parse(one.json).summary).toMatchObject({ evaluated: 6000, groups: 40 });
    expect(three.threads).toBe(3);
    expect(three.json).toBe(one.json);
    expect(three.groupFile).toBe(one.groupFile);
  });
});

describe('worker threads of a finished run serve the next run', () => {
  it('with the next run’s policies and filters, never the engine or groups of the run before', async () => {
    const flows = write('next-runs.jsonl', `${[...syntheticExport(5000, 5)].join('\n')}\n`);
    const homelab = { policies: [HOMELAB_POLICIES], flows };
    const deny = { policies: [REAL_POLICIES], flows };
    const filtered = { ...homelab, namespaces: ['blog'] };
    const first = await run(homelab, 3, 500);
    const runs = [await run(deny, 3, 500), await run(filtered, 3, 500), await run(homelab, 3, 500)];
    const expected = [await run(deny, 1, 500), await run(filtered, 1, 500), first];
    expect(runs.map((r) => r.threads)).toEqual([3, 3, 3]);
    for (let i = 0; i < runs.length; i++) {
      expect(runs[i].json).toBe(expected[i].json);
      expect(runs[i].groupFile).toBe(expected[i].groupFile);
    }
    expect(runs[0].json).not.toBe(first.json);
    expect(runs[2].json).toBe(first.json);
  });
});
