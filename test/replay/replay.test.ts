import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import * as zlib from 'zlib';
import { runAction } from '../../lib/cli/common';
import { ReplayInputError } from '../../lib/replay/replay-input-error';
import { replayCommand } from '../../lib/cli/replay-command';
import { rolloutCommand } from '../../lib/cli/rollout-command';
import { PolicyEngine } from '../../lib/engine/engine';
import { openFlowInput } from '../../lib/hubble/line-reader';
import { loadManifests } from '../../lib/manifest/load';
import { stringWriter } from '../../lib/replay/output';
import { renderJson, renderText } from '../../lib/replay/report';
import { replayFlows } from '../../lib/replay/replay';
import { ReplayResult } from '../../lib/replay/result';
import { runReplay } from '../../lib/replay/run';
import { parseTimeBound } from '../../lib/replay/time-window';
import { HOMELAB, observeLine } from './hubble-builder';

const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'hubble');
const POLICIES = path.join(FIXTURES, 'homelab-policies.yaml');
const AUDIT = path.join(FIXTURES, 'homelab-audit.jsonl');
const engine = PolicyEngine.fromManifests(loadManifests([POLICIES]), { policyAuditMode: false });
let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function replayText(text: string, options = {}): Promise<ReplayResult> {
  return replayFlows(await openFlowInput('-', Readable.from([Buffer.from(text)])), engine, options);
}

async function jsonOf(result: ReplayResult, perFlow = false): Promise<any> {
  const w = stringWriter();
  await renderJson({ result, policies: 6, warnings: [], perFlow }, w.write);
  return JSON.parse(w.text());
}

/** Captures stdout while running a command. */
async function capture(fn: () => Promise<unknown>): Promise<string> {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((c: any) => {
    chunks.push(String(c));
    return true;
  });
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return chunks.join('');
}

const T0 = Date.parse('2026-07-01T10:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

describe('replay of the homelab audit capture', () => {
  let result: ReplayResult;
  beforeAll(async () => {
    result = await replayFlows(await openFlowInput(AUDIT), engine, { perFlow: true });
  });

  test('summary: every line is evaluated, skipped (with its reason) or malformed', () => {
    const s = result.summary;
    expect(s.lines).toBe(188);
    expect(s.evaluated + s.skipped + s.malformed).toBe(s.lines);
    expect(s.malformed).toBe(0);
    expect(s.skippedByReason).toEqual({
      'packet of an established, reply or related connection (trace_reason)': 39,
      'reply packet (is_reply: true)': 39,
      'L7 event (HTTP/DNS/Kafka, decided by the proxy, not L3/L4 policy)': 3,
      'drop not caused by policy (CT_MISSING_TCP_ACK_FLAG)': 3,
      'lost_events event (Hubble dropped events: the export is incomplete)': 1,
      'node_status event': 1,
    });
    expect(s.wouldDrop).toBe(6);
    expect(s.undecided).toBe(0);
  });

  test('the groups that would be dropped, most connections first, with the deciding rule', () => {
    const dropping = result.groups.filter((g) => g.predicted.verdict === 'DROPPED');
    expect(
      dropping.map(
        (g) => `${g.source.display} -> ${g.destination.display} ${g.protocol}/${g.port ?? g.icmpType}`,
      ),
    ).toEqual([
      'monitoring/app=prometheus -> blog/app=blog TCP/9100',
      'monitoring/app=prometheus -> webapp/app=webapp TCP/3000',
      'reports/app=reports -> webapp/app=webapp TCP/3000',
      'argocd/app.kubernetes.io/name=argocd-repo-server,app.kubernetes.io/part-of=argocd -> fqdn:github.com TCP/443',
      'entity:remote-node -> entity:health ICMPv4/8',
      'entity:remote-node -> entity:health TCP/4240',
    ]);
    const scrape = dropping[0];
    // one connection = egress verdict on the source node + ingress verdict and trace on the destination node
    expect(scrape).toMatchObject({
      connections: 3,
      events: 9,
      observed: { FORWARDED: 6, AUDIT: 3 },
      directions: { INGRESS: 6, EGRESS: 3 },
    });
    expect(scrape.nodes).toEqual(['homelab/k3s-1', 'homelab/k3s-2']);
    expect(scrape.destinationPods).toEqual(['blog/blog-7c9f8b6d4-q8zlm', 'blog/blog-7c9f8b6d4-w5rtx']);
    expect(scrape.predicted.ingress.decision).toBe('DEFAULT_DENY');
    expect(scrape.predicted.egress.decision).not.toBe('DEFAULT_DENY');
    const github = dropping[3];
    expect(github.predicted.egress).toMatchObject({
      decision: 'DEFAULT_DENY',
      rules: [expect.objectContaining({ name: 'argocd-egress' })],
    });
    // the allowed names are grouped apart from the apex
    expect(
      result.groups.find((g) => g.destination.dnsNames?.[0] === 'api.github.com')?.predicted.verdict,
    ).toBe('FORWARDED');
  });

  test('text report names the deciding rules and the summary', async () => {
    const w = stringWriter();
    await renderText({ result, policies: 6, warnings: [], perFlow: false }, w.write);
    expect(w.text()).toContain(
      'ingress: default deny from CiliumNetworkPolicy blog/blog, CiliumClusterwideNetworkPolicy default-deny-ingress',
    );
    expect(w.text()).toContain('egress: default deny from CiliumNetworkPolicy argocd/argocd-egress');
    expect(w.text()).toContain('188 lines: 102 evaluated in 16 groups, 86 skipped, 0 malformed');
  });

  test('--per-flow: one result per evaluated line, in line order', async () => {
    const json = await jsonOf(result, true);
    expect(json.flows).toHaveLength(result.summary.evaluated);
    const lines = json.flows.map((f: any) => f.line);
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
    const audited = json.flows.find((f: any) => f.observed === 'AUDIT');
    expect(audited).toMatchObject({ predicted: 'DROPPED', ingress: { decision: 'DEFAULT_DENY' } });
    expect(Object.keys(json.summary)).toEqual(
      expect.arrayContaining(['lines', 'evaluated', 'skipped', 'malformed', 'groups', 'wouldDrop']),
    );
  });

  test('the same flows in another order give the same groups', async () => {
    const lines = fs.readFileSync(AUDIT, 'utf8').trim().split('\n');
    const shuffled = lines
      .map((l, i) => ({ l, k: (i * 7919) % 1009 }))
      .sort((a, b) => a.k - b.k)
      .map((x) => x.l);
    const other = await replayText(`${shuffled.join('\n')}\n`);
    const strip = (r: ReplayResult) => r.groups.map(({ firstLine: _f, ...g }) => g);
    expect(strip(other)).toEqual(strip(result));
  });
});

describe('grouping and filters', () => {
  const scrape = (s: number, sport: number, extra = {}) =>
    observeLine({
      src: HOMELAB.prometheus,
      dst: HOMELAB.blog,
      dport: 9100,
      sport,
      verdict: 'AUDIT',
      time: at(s),
      node: 'homelab/k3s-1',
      ...extra,
    });

  test('a retransmitted SYN within two minutes is one connection; after that it is another', async () => {
    const r = await replayText(
      [scrape(0, 41000), scrape(1, 41000), scrape(3, 41000), scrape(400, 41000), scrape(5, 41001)].join('\n'),
    );
    expect(r.groups).toHaveLength(1);
    expect(r.groups[0]).toMatchObject({ events: 5, connections: 3, firstSeen: at(0), lastSeen: at(400) });
  });

  test('different ports, peers and outcomes are different groups; ties sort deterministically', async () => {
    const r = await replayText(
      [
        scrape(0, 1),
        scrape(1, 2, { dport: 9101 }),
        observeLine({ src: HOMELAB.traefik, dst: HOMELAB.blog, dport: 80, time: at(2), node: 'n' }),
      ].join('\n'),
    );
    expect(r.groups.map((g) => [g.port, g.predicted.verdict])).toEqual([
      [9100, 'DROPPED'],
      [9101, 'DROPPED'],
      [80, 'FORWARDED'],
    ]);
  });

  test('world destinations without DNS names are one group with sampled addresses (bounded whatever the export)', async () => {
    const r = await replayText(
      [
        observeLine({
          src: HOMELAB.argocdRepo,
          dst: { ...HOMELAB.world, ip: '203.0.113.7' },
          dport: 443,
          direction: 'EGRESS',
          time: at(0),
          node: 'n',
        }),
        observeLine({
          src: HOMELAB.argocdRepo,
          dst: { ...HOMELAB.world, ip: '203.0.113.8' },
          dport: 443,
          direction: 'EGRESS',
          time: at(1),
          node: 'n',
        }),
      ].join('\n'),
    );
    expect(r.groups.map((g) => g.destination.display)).toEqual(['entity:world (203.0.113.7, 203.0.113.8)']);
    expect(r.groups[0].destinationIps).toEqual(['203.0.113.7', '203.0.113.8']);
    const one = await replayText(
      observeLine({
        src: HOMELAB.argocdRepo,
        dst: { ...HOMELAB.world, ip: '203.0.113.7' },
        dport: 443,
        direction: 'EGRESS',
        time: at(0),
        node: 'n',
      }),
    );
    expect(one.groups[0].destination).toMatchObject({ display: 'cidr:203.0.113.7', ip: '203.0.113.7' });
  });

  test('--namespace keeps flows from or to the namespace', async () => {
    const text = fs.readFileSync(AUDIT, 'utf8');
    const r = await replayText(text, { namespaces: ['monitoring'] });
    expect(
      r.groups.every(
        (g) => g.source.display.startsWith('monitoring/') || g.destination.display.startsWith('monitoring/'),
      ),
    ).toBe(true);
    expect(r.summary.wouldDrop).toBe(2);
    expect(r.summary.skippedByReason['filtered out by --namespace']).toBeGreaterThan(0);
  });

  test('--since/--until: RFC 3339 or a duration before now', async () => {
    const lines = [
      scrape(0, 1),
      scrape(600, 2),
      scrape(1200, 3),
      observeLine({ src: HOMELAB.prometheus, dst: HOMELAB.blog, dport: 9100, time: '', node: 'n' }),
    ].join('\n');
    const r = await replayText(lines, { since: T0 + 300_000, until: T0 + 900_000 });
    expect(r.summary.evaluated).toBe(1);
    expect(r.summary.skippedByReason).toEqual({
      'filtered out by --since': 1,
      'filtered out by --until': 1,
      'no timestamp (--since/--until cannot apply)': 1,
    });
    expect(parseTimeBound('--since', '1h30m', 10_000_000)).toBe(10_000_000 - 5_400_000);
    expect(parseTimeBound('--since', '2026-07-01T12:00:00+02:00', 0)).toBe(T0);
    expect(() => parseTimeBound('--since', 'yesterday', 0)).toThrow(
      /--since "yesterday": expected an RFC 3339 time/,
    );
  });

  test('malformed lines are counted with their numbers and never stop the run', async () => {
    const r = await replayText(
      [scrape(0, 1), '{"flow":', '', '{"flow":{"source":{}}}', scrape(1, 2), scrape(2, 3).slice(0, 50)].join(
        '\n',
      ),
    );
    expect(r.summary).toMatchObject({ lines: 6, evaluated: 2, skipped: 1, malformed: 3 });
    expect(r.summary.malformedLines).toEqual([
      { line: 2, reason: expect.stringMatching(/^invalid JSON/) },
      { line: 4, reason: 'flow has no `source` or `destination` endpoint' },
      { line: 6, reason: 'truncated last line (no line break, invalid JSON)' },
    ]);
  });

  test('an evaluator failure makes the group UNDECIDED instead of crashing', async () => {
    const broken = {
      evaluate: () => {
        throw new Error('boom');
      },
    };
    const r = await replayFlows(await openFlowInput('-', Readable.from([Buffer.from(scrape(0, 1))])), broken);
    expect(r.groups[0].predicted).toMatchObject({
      verdict: 'UNDECIDED',
      ingress: { notes: ['the evaluator failed on this flow: boom'] },
    });
    expect(r.summary.undecided).toBe(1);
  });
});

describe('the CI gate', () => {
  const flags = (flows: string, policies = [POLICIES]) => ({ policies, flows, format: 'json' as const });

  test('exit 1 when something would be dropped, 0 when nothing would', async () => {
    let code = -1;
    const out = await capture(async () => {
      code = await replayCommand({ ...flags(AUDIT), allowLostEvents: true });
    });
    expect(code).toBe(1);
    expect(JSON.parse(out).summary.wouldDrop).toBe(6);
    // The capture holds a lost_events line: without --allow-lost-events it cannot vouch (exit 2).
    const strict = await capture(async () => {
      code = await replayCommand(flags(AUDIT));
    });
    expect(code).toBe(2);
    expect(JSON.parse(strict).gate.blockers.map((b: { kind: string }) => b.kind)).toContain('lost-events');
    const ok = path.join(tmp, 'ok.jsonl');
    fs.writeFileSync(
      ok,
      `${observeLine({ src: HOMELAB.traefik, dst: HOMELAB.blog, dport: 80, time: at(0), node: 'n' })}\n`,
    );
    await capture(async () => {
      code = await replayCommand(flags(ok));
    });
    expect(code).toBe(0);
  });

  test('exit 2 for unusable input: missing file, empty file, not JSON, bad flag value', async () => {
    const empty = path.join(tmp, 'empty.json');
    fs.writeFileSync(empty, '');
    const text = path.join(tmp, 'compact.txt');
    fs.writeFileSync(
      text,
      'Jul  1 10:00:00.000: default/xwing:44916 (ID:1) -> default/deathstar:80 (ID:2) policy-verdict:none INGRESS AUDITED\n',
    );
    const exporter = path.join(FIXTURES, 'exporter-export-rst.jsonl');
    for (const [f, message] of [
      [path.join(tmp, 'missing.json'), /missing.json: cannot read flow export/],
      [empty, /no flows \(empty input\)/],
      [text, /compact.txt:1: not a Hubble flow export: invalid JSON/],
    ] as const) {
      await expect(runReplay(flags(f))).rejects.toThrow(message);
    }
    await expect(runReplay({ ...flags(AUDIT), since: 'last tuesday' })).rejects.toThrow(ReplayInputError);
    // runAction maps them to exit code 2
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await runAction(() => replayCommand(flags(empty)));
      expect(process.exitCode).toBe(2);
      await runAction(() => replayCommand(flags(AUDIT, [path.join(tmp, 'no-policies.yaml')])));
      expect(process.exitCode).toBe(2);
    } finally {
      stderr.mockRestore();
      process.exitCode = 0;
    }
    // real exporter lines are usable even though nothing in them can be evaluated
    const r = await runReplay(flags(exporter));
    expect(r.result.summary).toMatchObject({ evaluated: 0, skipped: 2 });
  });

  test('gzip, legacy bare flows and the envelope give the same predictions', async () => {
    const gz = path.join(tmp, 'audit.data');
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(AUDIT)));
    const a = await runReplay(flags(gz));
    const b = await runReplay(flags(AUDIT));
    expect(a.result.input.gzip).toBe(true);
    expect(a.result.groups).toEqual(b.result.groups);
    const legacy = await runReplay(flags(path.join(FIXTURES, 'legacy-bare-flows.jsonl')));
    expect(legacy.result.summary.malformed).toBe(0);
    expect(legacy.result.summary.evaluated).toBeGreaterThan(10);
    for (const g of legacy.result.groups) {
      const same = b.result.groups.find(
        (x) =>
          x.source.display === g.source.display &&
          x.destination.display === g.destination.display &&
          x.port === g.port,
      );
      expect(same?.predicted).toEqual(g.predicted);
    }
  });

  test('rollout: blockers listed, markdown for a PR comment, exit 1', async () => {
    let code = -1;
    const out = await capture(async () => {
      code = await rolloutCommand({
        policies: [POLICIES],
        flows: AUDIT,
        format: 'markdown',
        allowLostEvents: true,
      });
    });
    expect(code).toBe(1);
    expect(out).toContain('### :x: Not ready to set `policyAuditMode: false`: 6 blockers');
    expect(out).toContain('**Why:** the policies are not ready (would drop).');
    expect(out).toContain(
      '| 1 | **would drop**: monitoring/app=prometheus -&gt; blog/app=blog 9100/TCP would be dropped (3 connections)',
    );
    expect(out).toMatch(/lost\\_events line/);
  });

  test('the command line: stdin, exit codes', () => {
    const cli = path.join(ROOT, 'lib', 'cli', 'main.ts');
    const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
    const run = (args: string[], input?: Buffer) =>
      spawnSync(tsx, [cli, ...args], { input, cwd: ROOT, encoding: 'utf8' });
    const piped = run(
      ['replay', '--policies', POLICIES, '--flows', '-', '--format', 'json', '--allow-lost-events'],
      zlib.gzipSync(fs.readFileSync(AUDIT)),
    );
    expect(piped.status).toBe(1);
    expect(JSON.parse(piped.stdout)).toMatchObject({ input: '<stdin>', summary: { wouldDrop: 6 } });
    const bad = run(['replay', '--policies', POLICIES, '--flows', AUDIT, '--format', 'yaml']);
    expect(bad.status).toBe(2);
    const noThreads = run(['replay', '--policies', POLICIES, '--flows', AUDIT, '--jobs', '0']);
    expect(noThreads.status).toBe(2);
    expect(noThreads.stderr).toContain('--jobs');
    const help = execFileSync(tsx, [cli, 'replay', '--help'], { cwd: ROOT, encoding: 'utf8' });
    expect(help).toContain('--per-flow');
    expect(help).toContain('--jobs <n>');
  });
});
