import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import * as zlib from 'zlib';
import { FlowInputError } from '../../lib/hubble/input-error';
import { openFlowInput, InputLine } from '../../lib/hubble/line-reader';
import { parseLine } from '../../lib/hubble/parse-line';
import { policyRelevance } from '../../lib/hubble/policy-relevance';
import { toEngineFlow } from '../../lib/hubble/to-engine-flow';
import { flowJson, HOMELAB, observeLine } from './hubble-builder';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'hubble');
let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-reader-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function readAll(source: string, stdin?: Readable) {
  const input = await openFlowInput(source, stdin);
  const lines: InputLine[] = [];
  const outcome = await input.forEachLine((l) => lines.push(l));
  return { input, lines, outcome };
}

const T = '2026-07-01T10:00:00.123456789Z';
const spec = {
  src: HOMELAB.prometheus,
  dst: HOMELAB.blog,
  dport: 9100,
  time: T,
  node: 'homelab/k3s-1',
} as const;

describe('reading exports', () => {
  test('plain file: every line, in order, with numbers', async () => {
    const { lines, input, outcome } = await readAll(path.join(FIXTURES, 'homelab-audit.jsonl'));
    expect(input.gzip).toBe(false);
    expect(lines).toHaveLength(188);
    expect(outcome).toEqual({ lines: 188 });
    expect(lines[0].number).toBe(1);
    expect(lines.every((l) => l.terminated)).toBe(true);
  });

  test('gzip is detected by magic bytes whatever the extension; concatenated members are read', async () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'homelab-audit.jsonl'));
    const half = text.indexOf('\n', text.length / 2) + 1;
    const file = path.join(tmp, 'flows.json');
    fs.writeFileSync(
      file,
      Buffer.concat([zlib.gzipSync(text.subarray(0, half)), zlib.gzipSync(text.subarray(half))]),
    );
    const gz = await readAll(file);
    const plain = await readAll(path.join(FIXTURES, 'homelab-audit.jsonl'));
    expect(gz.input.gzip).toBe(true);
    expect(gz.lines).toEqual(plain.lines);
  });

  test('stdin (-), with CRLF line ends and a last line without a break', async () => {
    const stdin = Readable.from([
      Buffer.from(`${observeLine(spec)}\r\n${observeLine(spec).slice(0, 10)}`),
      Buffer.from(''),
    ]);
    const { input, lines } = await readAll('-', stdin);
    expect(input.name).toBe('<stdin>');
    expect(lines).toHaveLength(2);
    expect(lines[0].text.endsWith('}')).toBe(true);
    expect(lines[1].terminated).toBe(false);
    expect(parseLine(lines[1].text, lines[1].terminated)).toEqual({
      kind: 'malformed',
      reason: 'truncated last line (no line break, invalid JSON)',
    });
  });

  test('a line split across chunks and a multi-byte character split across chunks', async () => {
    const line = observeLine({ ...spec, destinationNames: ['bücher.example'] });
    const bytes = Buffer.from(`${line}\n${line}\n`);
    const cut = bytes.indexOf('ü') + 1;
    const { lines } = await readAll('-', Readable.from([bytes.subarray(0, cut), bytes.subarray(cut)]));
    expect(lines.map((l) => l.text)).toEqual([line, line]);
  });

  test('cut-off gzip data after some lines is reported, not thrown', async () => {
    const gz = zlib.gzipSync(fs.readFileSync(path.join(FIXTURES, 'homelab-audit.jsonl')));
    const file = path.join(tmp, 'cut.gz');
    fs.writeFileSync(file, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const { lines, outcome } = await readAll(file);
    expect(lines.length).toBeGreaterThan(10);
    expect(outcome.error).toMatch(/gzip data is corrupt or cut off .* after line \d+/);
  });

  test('unusable input: missing file, directory, binary data, garbage gzip', async () => {
    await expect(openFlowInput(path.join(tmp, 'nope.json'))).rejects.toThrow(
      /nope.json: cannot read flow export: ENOENT/,
    );
    await expect(openFlowInput(tmp)).rejects.toThrow(/is a directory/);
    const bin = path.join(tmp, 'bin');
    fs.writeFileSync(bin, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x01]));
    await expect(openFlowInput(bin)).rejects.toThrow(FlowInputError);
    const badGz = path.join(tmp, 'bad.gz');
    fs.writeFileSync(badGz, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x00]));
    const input = await openFlowInput(badGz);
    await expect(input.forEachLine(() => undefined)).rejects.toThrow(
      /bad.gz: cannot read flow export: gzip data is corrupt/,
    );
  });
});

describe('parsing lines', () => {
  test('GetFlowsResponse envelope: flow, node and time', () => {
    const r = parseLine(observeLine(spec));
    expect(r).toMatchObject({ kind: 'flow', nodeName: 'homelab/k3s-1', time: T });
  });

  test('node_status and lost_events lines are skipped with their reason', () => {
    expect(
      parseLine('{"node_status":{"state_change":"NODE_CONNECTED"},"time":"2026-07-01T10:00:00Z"}'),
    ).toEqual({ kind: 'skip', reason: 'node_status event' });
    expect(
      parseLine('{"lost_events":{"source":"PERF_EVENT_RING_BUFFER","num_events_lost":"3"}}'),
    ).toMatchObject({ kind: 'skip', reason: expect.stringContaining('lost_events') });
  });

  test('bare legacy Flow objects, protojson style and Go encoding/json style', () => {
    const bare = flowJson(spec);
    expect(parseLine(JSON.stringify(bare))).toMatchObject({ kind: 'flow', time: T });
    const goJson = {
      ...bare,
      time: { seconds: 1782900000, nanos: 5 },
      verdict: 4,
      Type: 1,
      traffic_direction: 1,
      is_reply: {},
      event_type: { type: 5 },
      l4: { Protocol: { TCP: { source_port: 40000, destination_port: 9100, flags: { SYN: true } } } },
    };
    const r = parseLine(JSON.stringify(goJson));
    if (r?.kind !== 'flow') throw new Error('expected a flow');
    expect(r.flow).toMatchObject({
      verdict: 'AUDIT',
      Type: 'L3_L4',
      traffic_direction: 'INGRESS',
      is_reply: false,
      time: '2026-07-01T10:00:00.000000005Z',
    });
    expect(toEngineFlow(r.flow)).toMatchObject({ ok: true, flow: { protocol: 'TCP', port: 9100 } });
  });

  test('malformed lines say why', () => {
    expect(parseLine('{"flow": 3}')).toEqual({ kind: 'malformed', reason: '`flow` is not an object' });
    expect(parseLine('[1,2]')).toEqual({ kind: 'malformed', reason: 'not a JSON object' });
    expect(parseLine('{"foo":1}')).toMatchObject({
      kind: 'malformed',
      reason: expect.stringContaining('neither a GetFlowsResponse'),
    });
    expect(parseLine('{"flow":{"verdict":"FORWARDED","source":{}}}')).toEqual({
      kind: 'malformed',
      reason: 'flow has no `source` or `destination` endpoint',
    });
    expect(
      parseLine('Jul  1 10:00:00.000: default/xwing:44916 -> default/deathstar:80 to-endpoint FORWARDED'),
    ).toMatchObject({ kind: 'malformed', reason: expect.stringMatching(/^invalid JSON/) });
    expect(parseLine('   ')).toBeUndefined();
  });
});

describe('wrong field types name the field', () => {
  const problem = (edit: (f: any) => void, bare = false) => {
    const f: any = flowJson(spec);
    edit(f);
    const r = parseLine(JSON.stringify(bare ? f : { flow: f }));
    return r?.kind === 'malformed' ? r.reason : r?.kind;
  };

  test.each([
    [
      (f: any) => (f.source.workloads = [{ name: 'a' }, { name: 7 }]),
      '`flow.source.workloads[1].name`: expected a string, got number 7',
    ],
    [
      (f: any) => (f.destination.workloads = 'x'),
      '`flow.destination.workloads`: expected a list of workloads, got string "x"',
    ],
    [
      (f: any) => (f.destination.ID = -1),
      '`flow.destination.ID`: expected an integer from 0 to 4294967295, got number -1',
    ],
    [
      (f: any) => (f.egress_denied_by = [{ name: 'p', kind: 3 }]),
      '`flow.egress_denied_by[0].kind`: expected a string, got number 3',
    ],
    [(f: any) => (f.ingress_denied_by = [null]), '`flow.ingress_denied_by[0]`: expected an object, got null'],
    [
      (f: any) => (f.l4 = { TCP: { destination_port: 80, flags: { SYN: 'yes' } } }),
      '`flow.l4.TCP.flags.SYN`: expected true or false, got string "yes"',
    ],
    [
      (f: any) => (f.l4 = { Protocol: { UDP: { source_port: 70000 } } }),
      '`flow.l4.Protocol.UDP.source_port`: expected an integer from 0 to 65535, got number 70000',
    ],
    [
      (f: any) => (f.l4 = { ICMPv6: { type: 300 } }),
      '`flow.l4.ICMPv6.type`: expected an integer from 0 to 255, got number 300',
    ],
    [(f: any) => (f.l4 = { IGMP: 1 }), '`flow.l4.IGMP`: expected an object, got number 1'],
    [(f: any) => (f.time = { seconds: 'x' }), '`flow.time.seconds`: expected an integer, got string "x"'],
    [(f: any) => (f.IP = { source: 1 }), '`flow.IP.source`: expected a string, got number 1'],
    [
      (f: any) => (f.event_type = { type: 5, sub_type: 1.5 }),
      '`flow.event_type.sub_type`: expected an integer from 0 to 4294967295, got number 1.5',
    ],
    [
      (f: any) => (f.destination_names = ['a', false]),
      '`flow.destination_names[1]`: expected a string, got boolean false',
    ],
    [(f: any) => (f.verdict = -2), '`flow.verdict`: expected an enum name or number, got number -2'],
  ])('case %#', (edit, reason) => {
    expect(problem(edit)).toBe(reason);
  });

  test('a bare legacy Flow names its fields as the flow', () => {
    expect(problem((f) => (f.source.labels = 'k8s:app=a'), true)).toBe(
      '`flow.source.labels`: expected a list of strings, got string "k8s:app=a"',
    );
  });
});

describe('what policy decides', () => {
  const relevance = (over: Record<string, unknown>) => policyRelevance({ ...flowJson(spec), ...over } as any);

  test('evaluated: policy verdicts, policy drops, first packets', () => {
    expect(relevance({})).toEqual({ evaluate: true, event: 'policy-verdict' });
    expect(policyRelevance(flowJson({ ...spec, event: 'drop' }) as any)).toEqual({
      evaluate: true,
      event: 'policy-drop',
    });
    expect(policyRelevance(flowJson({ ...spec, event: 'drop', dropReason: 'POLICY_DENY' }) as any)).toEqual({
      evaluate: true,
      event: 'policy-drop',
    });
    expect(policyRelevance(flowJson({ ...spec, event: 'trace' }) as any)).toEqual({
      evaluate: true,
      event: 'first-packet',
    });
    expect(policyRelevance(flowJson({ ...spec, event: 'trace', protocol: 'UDP', dport: 53 }) as any)).toEqual(
      { evaluate: true, event: 'first-packet' },
    );
    expect(relevance({ event_type: { type: 4 }, l4: { ICMPv4: { type: 8 } } })).toEqual({
      evaluate: true,
      event: 'first-packet',
    });
    // a drop event identified only by the numeric reason in event_type.sub_type
    expect(
      relevance({ verdict: 'DROPPED', drop_reason_desc: undefined, event_type: { type: 1, sub_type: 133 } }),
    ).toEqual({ evaluate: true, event: 'policy-drop' });
  });

  test.each([
    [{ is_reply: true }, 'reply packet (is_reply: true)'],
    [{ is_reply: undefined, reply: true }, 'reply packet (is_reply: true)'],
    [
      { Type: 'L7', event_type: { type: 129 }, l7: { type: 'REQUEST' } },
      'L7 event (HTTP/DNS/Kafka, decided by the proxy, not L3/L4 policy)',
    ],
    [{ Type: 'SOCK', event_type: { type: 7 } }, 'socket trace event'],
    [
      {
        verdict: 'DROPPED',
        drop_reason_desc: 'CT_MISSING_TCP_ACK_FLAG',
        event_type: { type: 1, sub_type: 136 },
      },
      'drop not caused by policy (CT_MISSING_TCP_ACK_FLAG)',
    ],
    [
      { verdict: 'DROPPED', drop_reason_desc: 'AUTH_REQUIRED', event_type: { type: 1 } },
      'drop not caused by policy (AUTH_REQUIRED)',
    ],
    [{ verdict: 'TRANSLATED', event_type: { type: 4 } }, 'service translation event (TRANSLATED)'],
    [
      { event_type: { type: 4 }, trace_reason: 'ESTABLISHED' },
      'packet of an established, reply or related connection (trace_reason)',
    ],
    [
      { event_type: { type: 4 }, l4: { TCP: { destination_port: 80, flags: { SYN: true, ACK: true } } } },
      'TCP packet of an established connection (not SYN, or SYN-ACK)',
    ],
    [
      { event_type: { type: 4 }, l4: { TCP: { destination_port: 80 } } },
      'TCP packet without flags (cannot tell the first packet)',
    ],
    [
      { event_type: { type: 4 }, l4: { ICMPv4: {} } },
      'ICMP echo reply or error (related to an existing flow)',
    ],
    [
      { event_type: { type: 4 }, l4: { ICMPv6: { type: 1 } } },
      'ICMP echo reply or error (related to an existing flow)',
    ],
    [{ event_type: { type: 4 }, l4: undefined }, 'no L4 header'],
  ])('skipped: %j', (over, reason) => {
    expect(relevance(over)).toEqual({ evaluate: false, reason });
  });
});

describe('conversion to engine flows', () => {
  test('labels, addresses, DNS names, protocol and port; both ends keep their identity', () => {
    const r = toEngineFlow(
      flowJson({
        ...spec,
        dst: HOMELAB.githubApex,
        src: HOMELAB.argocdRepo,
        dport: 443,
        destinationNames: ['github.com'],
        direction: 'EGRESS',
      }) as any,
    );
    expect(r).toEqual({
      sourceSet: expect.objectContaining({ isPod: true }),
      destinationSet: expect.objectContaining({ isPod: false, labels: ['reserved:world'] }),
      ok: true,
      flow: {
        source: { labels: HOMELAB.argocdRepo.labels, ip: HOMELAB.argocdRepo.ip },
        destination: { labels: ['reserved:world'], ip: '140.82.121.4', dnsNames: ['github.com'] },
        protocol: 'TCP',
        port: 443,
      },
    });
  });

  test('ICMP type, and an endpoint with ID but no pod or reserved labels is managed', () => {
    const raw = flowJson({ ...spec, protocol: 'ICMPv6', icmpType: 128 }) as any;
    raw.source = { ID: 77, identity: 90000, labels: ['container:app=legacy'] };
    expect(toEngineFlow(raw)).toMatchObject({
      ok: true,
      flow: { protocol: 'ICMPv6', icmpType: 128, source: { managed: true } },
    });
  });

  test('endpoints without labels (exporter field masks) cannot be evaluated', () => {
    const line = fs.readFileSync(path.join(FIXTURES, 'exporter-export-rst.jsonl'), 'utf8').split('\n')[1];
    const r = parseLine(line);
    if (r?.kind !== 'flow') throw new Error('expected a flow');
    expect(policyRelevance(r.flow)).toEqual({ evaluate: true, event: 'policy-drop' });
    expect(toEngineFlow(r.flow)).toEqual({
      ok: false,
      reason: expect.stringContaining('no identity labels'),
    });
  });
});
