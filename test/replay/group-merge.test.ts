import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { replayCommand } from '../../lib/cli/replay-command';
import { stringWriter } from '../../lib/replay/output';
import { renderJson } from '../../lib/replay/report';
import { ReplayInputError } from '../../lib/replay/replay-input-error';
import { ReplaySourceInput, runReplay } from '../../lib/replay/run';
import { ReplayInputFlags } from '../../lib/cli/replay-flags';
import { syntheticExport } from '../../scripts/gen-hubble-export';

/** Replay across nodes (README): merged group files equal one run over all the lines. */
const POLICIES = path.join(__dirname, '..', 'fixtures', 'hubble', 'homelab-policies.yaml');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-groups-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let n = 0;
function write(lines: readonly string[], name = `flows-${n++}.jsonl`): string {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, lines.length ? `${lines.join('\n')}\n` : '');
  return f;
}

/** A small PRNG so that a failing split can be reproduced from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The generated export, with malformed lines and a flow without a time among them. */
function exportLines(count: number, seed: number): string[] {
  const lines = [...syntheticExport(count, seed)];
  const rand = prng(seed * 31);
  const noTime = JSON.parse(lines.find((l) => l.includes('"AUDIT"'))!);
  delete noTime.time;
  delete noTime.flow.time;
  for (const bad of [
    '{"flow": 5}',
    'not json',
    JSON.stringify(noTime),
    JSON.stringify(noTime),
    '{"flow":{"source":{},"destination":{},"l4":{"TCP":{"destination_port":99999999}}}}',
  ]) {
    lines.splice(Math.floor(rand() * lines.length), 0, bad);
  }
  return lines;
}

/** The JSON report of a run, with the input's name replaced (a merge names its parts) and without the list of parts. */
async function reportJson(flags: Partial<ReplaySourceInput>, name: string): Promise<string> {
  const run = await runReplay({ policies: [POLICIES], ...flags } as ReplaySourceInput);
  const out = stringWriter();
  await renderJson(
    {
      result: run.result,
      policies: run.policies,
      warnings: run.engine.warnings,
      perFlow: false,
      gate: run.gate,
    },
    out.write,
  );
  const doc = JSON.parse(out.text().split(JSON.stringify(name).slice(1, -1)).join('<input>'));
  expect(doc.parts === undefined).toBe(flags.groups === undefined);
  delete doc.parts;
  return JSON.stringify(doc, null, 2);
}

/** Saves each part's groups (an empty part is saved too, then refused as input on its own). */
async function saveParts(parts: readonly string[][], tag: string): Promise<string[]> {
  const files: string[] = [];
  for (const [i, lines] of parts.entries()) {
    const flows = write(lines, `${tag}-part-${i}.jsonl`);
    const saveGroups = path.join(tmp, `${tag}-part-${i}.json${i % 2 ? '.gz' : ''}`);
    try {
      await runReplay({ policies: [POLICIES], flows, saveGroups });
    } catch (e) {
      expect(e).toBeInstanceOf(ReplayInputError);
      expect(lines.every((l) => !l.trim())).toBe(true);
    }
    expect(fs.existsSync(saveGroups)).toBe(true);
    files.push(saveGroups);
  }
  return files;
}

function mergedName(parts: number, tag: string): string {
  const names = Array.from({ length: parts }, (_, i) => path.join(tmp, `${tag}-part-${i}.jsonl`));
  return names.length <= 3
    ? names.join(' + ')
    : `${names.slice(0, 2).join(' + ')} + ${names.length - 2} more parts`;
}

describe('merged group files equal one run over all the flows, byte for byte', () => {
  const lines = exportLines(4000, 5);
  const whole = write(lines, 'whole.jsonl');
  let single: string;
  beforeAll(async () => {
    single = await reportJson({ flows: whole }, whole);
    const doc = JSON.parse(single);
    // The export exercises what must merge: malformed lines, skips, drops, several nodes, connections seen on two nodes.
    expect(doc.summary.malformed).toBeGreaterThan(0);
    expect(doc.summary.skipped).toBeGreaterThan(0);
    expect(doc.summary.wouldDrop).toBeGreaterThan(0);
    expect(doc.groups.some((g: any) => g.nodes.length > 1 && g.events > g.connections)).toBe(true);
  });

  it.each([1, 2, 3, 4, 5])('contiguous split %#: uneven and empty parts', async (seed) => {
    const rand = prng(seed);
    const count = 2 + Math.floor(rand() * 4);
    const cuts = Array.from({ length: count - 1 }, () => Math.floor(rand() * rand() * lines.length)).sort(
      (a, b) => a - b,
    );
    if (seed === 1) cuts[0] = 0; // an empty first part
    if (seed === 2) cuts.push(cuts[cuts.length - 1]); // an empty part between two others
    const bounds = [0, ...cuts, lines.length];
    const parts = bounds.slice(1).map((end, i) => lines.slice(bounds[i], end));
    const tag = `contiguous-${seed}`;
    const files = await saveParts(parts, tag);
    expect(await reportJson({ groups: files }, mergedName(parts.length, tag))).toBe(single);
  });

  it('one part per node (lines of the nodes interleaved in the export), merged in the order of the concatenation', async () => {
    const byNode = new Map<string, string[]>();
    for (const l of lines) {
      const node = /"node_name":"([^"]*)"/.exec(l)?.[1] ?? '';
      if (!byNode.has(node)) byNode.set(node, []);
      byNode.get(node)!.push(l);
    }
    const parts = [...byNode.values()];
    expect(parts.length).toBeGreaterThan(2);
    const concatenated = write(parts.flat(), 'concatenated.jsonl');
    const files = await saveParts(parts, 'nodes');
    expect(await reportJson({ groups: files }, mergedName(parts.length, 'nodes'))).toBe(
      await reportJson({ flows: concatenated }, concatenated),
    );
  });

  it('random assignment of lines to parts, and a merge of merges', async () => {
    const rand = prng(99);
    const parts: string[][] = [[], [], [], []];
    for (const l of lines) parts[Math.floor(rand() * rand() * 4)].push(l);
    const concatenated = write(parts.flat(), 'shuffled.jsonl');
    const files = await saveParts(parts, 'random');
    const expected = await reportJson({ flows: concatenated }, concatenated);
    expect(await reportJson({ groups: files }, mergedName(4, 'random'))).toBe(expected);
    // Group files of merged group files merge too.
    const left = path.join(tmp, 'left.json');
    const right = path.join(tmp, 'right.json');
    await runReplay({ policies: [POLICIES], groups: files.slice(0, 2), saveGroups: left });
    await runReplay({ policies: [POLICIES], groups: files.slice(2), saveGroups: right });
    const name = `${mergedName(2, 'random')} + ${[2, 3].map((i) => path.join(tmp, `random-part-${i}.jsonl`)).join(' + ')}`;
    expect(await reportJson({ groups: [left, right] }, name)).toBe(expected);
  });
});

it('a part cut off (truncated gzip) makes the merge incomplete, naming the part, in the merged numbering; the other parts are still read', async () => {
  const lines = [...syntheticExport(600, 4)];
  const cut = path.join(tmp, 'cut.jsonl.gz');
  const gz = zlib.gzipSync(`${lines.slice(200, 400).join('\n')}\n`);
  fs.writeFileSync(cut, gz.subarray(0, Math.floor(gz.length * 0.6)));
  const first = path.join(tmp, 'cut-first.json');
  const broken = path.join(tmp, 'cut-broken.json');
  const last = path.join(tmp, 'cut-last.json');
  await runReplay({ policies: [POLICIES], flows: write(lines.slice(0, 200)), saveGroups: first });
  await runReplay({ policies: [POLICIES], flows: cut, saveGroups: broken });
  await runReplay({ policies: [POLICIES], flows: write(lines.slice(400)), saveGroups: last });
  const run = await runReplay({ policies: [POLICIES], groups: [first, broken, last] });
  const s = run.result.summary;
  const parts = run.result.parts!;
  expect(parts.map((p) => p.firstLine)).toEqual([1, 201, 201 + parts[1].lines]);
  expect(parts[1].lines).toBeLessThan(200);
  expect(s.incomplete).toEqual({
    afterLine: 200 + parts[1].lines,
    reason: expect.stringContaining(`${cut} (${broken}): `),
  });
  expect(parts[1].incomplete).toEqual(s.incomplete);
  expect(s.lines).toBe(400 + parts[1].lines);
  expect(run.gate.exitCode).toBe(2);
  expect(run.gate.blockers[0].kind).toBe('incomplete-input');
});

describe('group files that cannot be merged: exit 2 with a clear message', () => {
  let a: string;
  let b: string;
  beforeAll(async () => {
    const lines = [...syntheticExport(300, 3)];
    [a, b] = await saveParts([lines.slice(0, 150), lines.slice(150)], 'refused');
  });

  async function refused(flags: Partial<ReplayInputFlags>): Promise<string> {
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const e = await replayCommand({
        format: 'json',
        ...flags,
        policies: flags.policies ?? [POLICIES],
      }).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(ReplayInputError);
      return (e as Error).message;
    } finally {
      err.mockRestore();
      out.mockRestore();
    }
  }

  function edited(file: string, edit: (doc: any) => void): string {
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    edit(doc);
    const f = path.join(tmp, `edited-${n++}.json`);
    fs.writeFileSync(f, JSON.stringify(doc));
    return f;
  }

  it('another version', async () => {
    expect(
      await refused({
        groups: [
          a,
          edited(a, (d) => {
            d.version = 2;
          }),
        ],
      }),
    ).toMatch(/group file version 2, this cilium-lockdown reads version 1/);
  });

  it('other policies', async () => {
    const policies = path.join(tmp, 'fewer-policies.yaml');
    fs.writeFileSync(policies, fs.readFileSync(POLICIES, 'utf8').split(/^---$/m).slice(1).join('---'));
    expect(await refused({ groups: [a, b], policies: [policies] })).toMatch(
      /refused-part-0\.json: saved with other policies \(sha256:[0-9a-f]{64}\) than --policies/,
    );
  });

  it('other engine options', async () => {
    expect(await refused({ groups: [a, b], enforcement: 'always' })).toMatch(
      /saved with other engine options .* than this merge .*"policyEnforcementMode":"always"/,
    );
  });

  it('other filters, and filters on the merge itself', async () => {
    const other = path.join(tmp, 'filtered.json');
    await runReplay({
      policies: [POLICIES],
      flows: write([...syntheticExport(300, 3)].slice(150)),
      namespaces: ['blog'],
      saveGroups: other,
    });
    expect(await refused({ groups: [a, other] })).toMatch(
      /filtered\.json: saved with other filters \(\{"namespaces":\["blog"\]\}\) than .*refused-part-0\.json \(\{\}\)/,
    );
    expect(await refused({ groups: [a, b], since: '1h' })).toMatch(
      /--since with --groups: filters apply when each part is saved/,
    );
  });

  it('parts evaluated for different clusters (taken from the flows)', async () => {
    const prod = path.join(tmp, 'prod.json');
    const lines = [...syntheticExport(300, 3)]
      .slice(150)
      .map((l) => l.split('policy.cluster=default').join('policy.cluster=prod'));
    await runReplay({ policies: [POLICIES], flows: write(lines), saveGroups: prod });
    expect(await refused({ groups: [a, prod] })).toMatch(
      /prod\.json: evaluated for cluster prod, .*refused-part-0\.json for cluster default \(taken from the flows\): save every part with the same --cluster-name/,
    );
  });

  it('damaged, not a group file, the same part twice, flows and groups together', async () => {
    expect(
      await refused({
        groups: [
          edited(a, (d) => {
            d.groups[0].events = -1;
          }),
        ],
      }),
    ).toMatch(/damaged group file: groups\[0\]\.events: expected a whole number/);
    expect(
      await refused({
        groups: [
          edited(a, (d) => {
            d.connections.group[0] = 10_000;
          }),
        ],
      }),
    ).toMatch(/damaged group file: connections/);
    expect(await refused({ groups: [write(['{"flow":{}}'])] })).toMatch(/not a replay group file/);
    expect(await refused({ groups: [path.join(tmp, 'missing.json')] })).toMatch(
      /missing\.json: cannot read group file: ENOENT/,
    );
    expect(await refused({ groups: [a, b, a] })).toMatch(/given twice/);
    expect(await refused({ groups: [a], flows: write(['']) })).toMatch(/--flows and --groups: give one/);
    expect(await refused({})).toMatch(/no flows: give --flows/);
  });

  it('an unwritable --save-groups is refused before the work', async () => {
    expect(
      await refused({
        flows: write([...syntheticExport(10, 1)]),
        saveGroups: path.join(tmp, 'no-such-dir', 'x.json'),
      }),
    ).toMatch(/--save-groups .*cannot write there \(ENOENT\)/);
  });
});

describe('past what a group shows (observed verdicts, nodes, pods, addresses) and the malformed lines listed, a merge still equals one run', () => {
  /** One flow's group seen with 40 verdicts, 9 nodes, 20 addresses; flows from 70 other clusters; 50 drop reasons skipped; 130 malformed lines. */
  function pastTheCaps(): string[] {
    const base = [...syntheticExport(400, 8)];
    const template = JSON.parse(base.find((l) => l.includes('"DROPPED"') && l.includes('"SYN":true'))!);
    const lines = [...base];
    const rand = prng(8);
    const at = () => Math.floor(rand() * lines.length);
    for (let k = 0; k < 200; k++) {
      const doc = structuredClone(template);
      // Verdicts are open enums (a newer Hubble may send names this one does not know).
      doc.flow.verdict = `VERDICT_${(k * 7) % 40}`;
      delete doc.flow.drop_reason_desc;
      doc.flow.event_type = { type: 4, sub_type: 0 };
      doc.flow.l4.TCP.source_port = 20000 + k;
      doc.flow.IP.source = `10.244.9.${k % 20}`;
      doc.node_name = doc.flow.node_name = `homelab/node-${k % 9}`;
      lines.splice(at(), 0, JSON.stringify(doc));
    }
    for (let c = 0; c < 70; c++) {
      const doc = structuredClone(template);
      doc.flow.l4.TCP.source_port = 30000 + c;
      doc.flow.verdict = 'FORWARDED';
      delete doc.flow.drop_reason_desc;
      doc.flow.event_type = { type: 4, sub_type: 0 };
      doc.flow.destination.cluster_name = `c${c}`;
      doc.flow.destination.labels = doc.flow.destination.labels.map((l: string) =>
        l.startsWith('k8s:io.cilium.k8s.policy.cluster=') ? `k8s:io.cilium.k8s.policy.cluster=c${c}` : l,
      );
      lines.splice(at(), 0, JSON.stringify(doc));
    }
    for (let r = 0; r < 50; r++) {
      const doc = structuredClone(template);
      doc.flow.drop_reason_desc = `REASON_${r}`;
      lines.splice(at(), 0, JSON.stringify(doc));
    }
    for (let m = 0; m < 130; m++) lines.splice(at(), 0, `{"flow": ${m}}`);
    return lines;
  }

  it.each([2, 3, 4])('split into %i parts at random places', async (count) => {
    const lines = pastTheCaps();
    const whole = write(lines, `caps-whole-${count}.jsonl`);
    const single = await reportJson({ flows: whole }, whole);
    const doc = JSON.parse(single);
    const dropped = doc.groups.find((g: any) => Object.keys(g.observed).length > 32);
    expect(dropped).toBeDefined();
    expect(dropped.nodes.length).toBeLessThan(9);
    expect(Object.keys(doc.summary.clusters).length).toBe(71);
    expect(doc.summary.malformed).toBeGreaterThan(100);
    expect(Object.keys(doc.summary.skippedByReason).length).toBeGreaterThan(50);
    const rand = prng(count);
    const cuts = Array.from({ length: count - 1 }, () => Math.floor(rand() * lines.length)).sort(
      (a, b) => a - b,
    );
    const bounds = [0, ...cuts, lines.length];
    const parts = bounds.slice(1).map((end, i) => lines.slice(bounds[i], end));
    const tag = `caps-${count}`;
    const files = await saveParts(parts, tag);
    expect(await reportJson({ groups: files }, mergedName(parts.length, tag))).toBe(single);
  });
});
