import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { replayCommand } from '../../lib/cli/replay-command';
import { rolloutCommand } from '../../lib/cli/rollout-command';
import { runReplay } from '../../lib/replay/run';
import { flowJson, HOMELAB, lostEventsLine, observeLine, pod } from './hubble-builder';

/** The rollout gate never says ready on doubt (README, "The rollout gate"). Inputs are generated here. */
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'hubble');
const POLICIES = path.join(FIXTURES, 'homelab-policies.yaml');
const T0 = Date.parse('2026-07-01T10:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const NODE = 'default/k3s-1';

/** Allowed by the homelab policies. */
const allowed = (s = 0, sport = 40000 + s) =>
  observeLine({ src: HOMELAB.traefik, dst: HOMELAB.blog, dport: 80, sport, time: at(s), node: NODE });
/** Audited in the cluster and dropped by the homelab policies once enforced. */
const dropped = (s = 0) =>
  observeLine({
    src: HOMELAB.prometheus,
    dst: HOMELAB.blog,
    dport: 9100,
    sport: 41000 + s,
    verdict: 'AUDIT',
    time: at(s),
    node: NODE,
  });
/** A line whose flow is `allowed` with one field changed. */
const withField = (edit: (flow: any) => void) => {
  const flow = JSON.parse(
    JSON.stringify(
      flowJson({ src: HOMELAB.traefik, dst: HOMELAB.blog, dport: 80, sport: 42000, time: at(5), node: NODE }),
    ),
  );
  edit(flow);
  return JSON.stringify({ flow, node_name: NODE, time: at(5) });
};

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-gate-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let n = 0;
function file(content: string | Buffer): string {
  const f = path.join(tmp, `flows-${n++}.json`);
  fs.writeFileSync(f, content);
  return f;
}

async function capture(fn: () => Promise<number>): Promise<{ code: number; out: string }> {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((c: any) => {
    chunks.push(String(c));
    return true;
  });
  try {
    const code = await fn();
    return { code, out: chunks.join('') };
  } finally {
    spy.mockRestore();
  }
}

const rollout = (
  flows: string,
  extra: Record<string, unknown> = {},
  format: 'text' | 'markdown' | 'json' = 'json',
) => capture(() => rolloutCommand({ policies: [POLICIES], flows, format, ...extra }));
const replay = (flows: string, extra: Record<string, unknown> = {}) =>
  capture(() => replayCommand({ policies: [POLICIES], flows, format: 'json', ...extra }));

describe('every line is judged on its own', () => {
  test.each([
    [
      'a label that is a number',
      (f: any) => {
        f.source.labels[1] = 5;
      },
      '`flow.source.labels[1]`: expected a string, got number 5',
    ],
    [
      'labels given as a string',
      (f: any) => {
        f.destination.labels = 'k8s:app=blog';
      },
      '`flow.destination.labels`: expected a list of strings, got string "k8s:app=blog"',
    ],
    [
      'a port that is an object',
      (f: any) => {
        f.l4.TCP.destination_port = { value: 80 };
      },
      '`flow.l4.TCP.destination_port`: expected an integer from 0 to 65535, got an object',
    ],
    [
      'a port out of range',
      (f: any) => {
        f.l4.TCP.destination_port = 99999999999;
      },
      '`flow.l4.TCP.destination_port`: expected an integer from 0 to 65535, got number 99999999999',
    ],
    [
      'a negative port',
      (f: any) => {
        f.l4.TCP.destination_port = -5;
      },
      '`flow.l4.TCP.destination_port`: expected an integer from 0 to 65535, got number -5',
    ],
    [
      'a fractional port',
      (f: any) => {
        f.l4.TCP.destination_port = 80.7;
      },
      '`flow.l4.TCP.destination_port`: expected an integer from 0 to 65535, got number 80.7',
    ],
    [
      'a namespace that is a list',
      (f: any) => {
        f.source.namespace = ['a'];
      },
      '`flow.source.namespace`: expected a string, got an array',
    ],
    [
      'TCP flags that are strings',
      (f: any) => {
        f.l4.TCP.flags = { SYN: 'yes' };
      },
      '`flow.l4.TCP.flags.SYN`: expected true or false, got string "yes"',
    ],
  ])(
    '%s: malformed with its line and reason, and the flow after it is still evaluated',
    async (_what, edit, reason) => {
      const flows = file([allowed(0), withField(edit), dropped(10)].join('\n'));
      const run = await runReplay({ policies: [POLICIES], flows });
      expect(run.result.summary).toMatchObject({ lines: 3, evaluated: 2, malformed: 1, wouldDrop: 1 });
      expect(run.result.summary.malformedLines).toEqual([{ line: 2, reason }]);
      const { code, out } = await rollout(flows);
      expect(code).toBe(2);
      const doc = JSON.parse(out);
      expect(doc.ready).toBe(false);
      expect(doc.blockers.map((b: any) => b.kind)).toEqual(['malformed-lines', 'would-drop']);
      expect(doc.blockers[0].details[0]).toBe(`line 2: ${reason}`);
    },
  );

  test('--max-malformed N accepts that many malformed lines; the other blockers still count', async () => {
    const flows = file(
      [
        allowed(0),
        withField((f) => {
          f.source.labels = 7;
        }),
        allowed(20),
      ].join('\n'),
    );
    expect((await rollout(flows)).code).toBe(2);
    const tolerated = await rollout(flows, { maxMalformed: 1 });
    expect(tolerated.code).toBe(0);
    expect(JSON.parse(tolerated.out).warnings).toContain(
      '1 malformed line ignored as --max-malformed 1 allows (first: line 2)',
    );
    const withDrop = file([allowed(0), '{"flow": [1]}', dropped(20)].join('\n'));
    expect((await rollout(withDrop, { maxMalformed: 1 })).code).toBe(1);
  });

  test('a UTF-8 byte order mark and CRLF line ends are tolerated', async () => {
    const flows = file(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${allowed(0)}\r\n${allowed(5)}\r\n`)]),
    );
    const run = await runReplay({ policies: [POLICIES], flows });
    expect(run.result.summary).toMatchObject({ lines: 2, evaluated: 2, malformed: 0 });
    expect((await rollout(flows)).code).toBe(0);
  });

  test('a flow from the 1.16+ format with the namespace only in the endpoint field is evaluated as a pod of that namespace', async () => {
    const flows = file(
      withField((f) => {
        f.source.labels = f.source.labels.filter(
          (l: string) => !l.startsWith('k8s:io.kubernetes.pod.namespace='),
        );
        f.destination.labels = f.destination.labels.filter(
          (l: string) => !l.startsWith('k8s:io.kubernetes.pod.namespace='),
        );
      }),
    );
    const run = await runReplay({ policies: [POLICIES], flows });
    expect(run.result.groups[0]).toMatchObject({
      source: {
        display: 'traefik/app.kubernetes.io/instance=traefik-traefik,app.kubernetes.io/name=traefik',
      },
      predicted: { verdict: 'FORWARDED' },
    });
  });
});

describe('never ready on doubt', () => {
  test('green: a complete, well-formed export where nothing would be dropped', async () => {
    const { code, out } = await rollout(file(`${allowed(0)}\n${allowed(5)}\n`), {}, 'text');
    expect(code).toBe(0);
    expect(out).toMatch(/^Ready to set policyAuditMode: false: yes\n/);
  });

  test('a gzip export cut short: incomplete, never ready, exit 2, whatever was read before', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => allowed(i, 20000 + i)).join('\n');
    const gz = zlib.gzipSync(`${lines}\n`);
    const flows = file(gz.subarray(0, Math.floor(gz.length * 0.7)));
    const run = await runReplay({ policies: [POLICIES], flows });
    expect(run.result.summary.incomplete?.reason).toMatch(
      /^gzip data is corrupt or cut off .* after line \d+$/,
    );
    expect(run.result.summary.malformed).toBeLessThanOrEqual(1);
    const { code, out } = await rollout(flows, {}, 'text');
    expect(code).toBe(2);
    expect(out).toMatch(
      /^Ready to set policyAuditMode: false: NO, \d blockers?: the flow export cannot vouch for the answer \(incomplete input/,
    );
    expect(out).toMatch(
      /\[incomplete input\] .* could not be read to the end: gzip data is corrupt or cut off/,
    );
    const r = await replay(flows);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).gate.blockers[0].kind).toBe('incomplete-input');
  });

  test('Hubble lost events while recording: exit 2 unless --allow-lost-events accepts the gap', async () => {
    const flows = file([allowed(0), lostEventsLine(at(3), NODE), allowed(10)].join('\n'));
    const strict = await rollout(flows);
    expect(strict.code).toBe(2);
    const doc = JSON.parse(strict.out);
    expect(doc.ready).toBe(false);
    expect(doc.blockers.map((b: any) => b.kind)).toEqual(['lost-events']);
    expect(doc.blockers[0].title).toContain('1 lost_events line');
    expect((await replay(flows)).code).toBe(2);
    const accepted = await rollout(flows, { allowLostEvents: true });
    expect(accepted.code).toBe(0);
    expect(JSON.parse(accepted.out).warnings.join('\n')).toContain('accepted by --allow-lost-events');
  });

  test('nothing evaluated (only L7 events): replay and rollout exit 2 and say why', async () => {
    const dns = observeLine({
      src: HOMELAB.argocdRepo,
      dst: HOMELAB.kubeDns,
      protocol: 'UDP',
      dport: 53,
      event: 'dns',
      direction: 'EGRESS',
      destinationNames: ['github.com'],
      time: at(0),
      node: NODE,
    });
    const flows = file(`${dns}\n${dns}\n`);
    const r = await replay(flows);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).gate.blockers[0]).toMatchObject({
      kind: 'nothing-evaluated',
      title: 'no flow of the export could be evaluated, so nothing shows the policies are complete',
    });
    expect((await rollout(flows)).code).toBe(2);
  });

  test('flows from a cluster other than --cluster-name, or from several clusters, block with exit 2', async () => {
    const other = pod('blog', 'blog-x', '10.1.0.9', 9, { app: 'blog' });
    const prodBlog = {
      ...other,
      labels: other.labels.map((l) => l.replace('cluster=default', 'cluster=prod')),
    };
    const prodTraefik = {
      ...HOMELAB.traefik,
      labels: HOMELAB.traefik.labels.map((l) => l.replace('cluster=default', 'cluster=prod')),
    };
    const prodLine = observeLine({
      src: prodTraefik,
      dst: prodBlog,
      dport: 80,
      time: at(9),
      node: 'prod/k3s-9',
    });
    const mixed = file(`${allowed(0)}\n${prodLine}\n`);
    const r = await rollout(mixed);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).blockers[0]).toMatchObject({
      kind: 'unexpected-cluster',
      title: 'flows from several clusters: default (1 flow), prod (1 flow)',
    });
    const wrong = await rollout(file(`${allowed(0)}\n`), { clusterName: 'staging' });
    expect(wrong.code).toBe(2);
    expect(JSON.parse(wrong.out).blockers[0].title).toBe(
      'flows from a cluster other than staging (--cluster-name): default (1 flow)',
    );
  });

  test('Hubble saw a policy drop the model forwards: a disagreement blocker with both sides and the policy Hubble named', async () => {
    const flow = flowJson({
      src: HOMELAB.traefik,
      dst: HOMELAB.blog,
      dport: 80,
      sport: 43000,
      verdict: 'DROPPED',
      dropReason: 'POLICY_DENY',
      time: at(1),
      node: NODE,
    });
    (flow as any).ingress_denied_by = [
      { name: 'no-traefik', namespace: 'blog', kind: 'CiliumNetworkPolicy', revision: '3' },
    ];
    const flows = file(`${JSON.stringify({ flow, node_name: NODE, time: at(1) })}\n${allowed(3)}\n`);
    const { code, out } = await rollout(flows, {}, 'text');
    expect(code).toBe(1);
    expect(out).toContain('NO, 1 blocker: the policies are not ready (model and cluster disagree)');
    expect(out).toContain(
      '[model and cluster disagree] traefik/app.kubernetes.io/instance=traefik-traefik,app.kubernetes.io/name=traefik -> blog/app=blog 80/TCP: Hubble observed it refused by policy, the model predicts FORWARDED',
    );
    expect(out).toContain(
      'cluster: DROPPED (POLICY_DENY) 1, FORWARDED 1; denied by ingress: CiliumNetworkPolicy blog/no-traefik',
    );
    expect(out).toContain(
      'model: egress ALLOWED; ingress ALLOWED (CiliumNetworkPolicy blog/blog spec.ingress[0])',
    );
    expect(out).toContain('not among --policies: ingress: CiliumNetworkPolicy blog/no-traefik');
    const r = await replay(flows);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    expect(doc.summary.disagreements).toBe(1);
    expect(doc.groups[0]).toMatchObject({
      disagreement: true,
      observedPolicyDrops: 1,
      observedDenyingPolicies: ['ingress: CiliumNetworkPolicy blog/no-traefik'],
    });
  });

  test('markdown escapes what comes from flows: no HTML, mentions or table breaks from labels', async () => {
    const evil = pod('blog', 'x', '10.2.0.1', 77, { app: '<img src=x onerror=alert(1)>|@admin' });
    const flows = file(
      `${observeLine({ src: evil, dst: HOMELAB.blog, dport: 9100, verdict: 'AUDIT', time: at(0), node: NODE })}\n`,
    );
    const { out } = await rollout(flows, {}, 'markdown');
    expect(out).not.toContain('<img');
    expect(out).not.toContain('@admin');
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;\\|&#64;admin');
    const r = await capture(() => replayCommand({ policies: [POLICIES], flows, format: 'markdown' }));
    expect(r.out).not.toContain('<img');
    expect(r.out).toContain('<code>blog/app=&lt;img src=x onerror=alert(1)&gt;&#124;&#64;admin</code>');
  });
});
