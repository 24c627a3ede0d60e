import * as fs from 'fs';
import * as path from 'path';
import { runReplay } from '../../lib/replay/run';

/**
 * Every real Hubble export of the shared corpus (../shared/realworld/flows, provenance in
 * ../shared/realworld/PROVENANCE.md): Hubble 2021 `-o json` with `reply`/`Summary`, 1.16-1.19
 * `-o json` and exporter lines (`emitter`, `node_labels`), L7 DNS/HTTP events, REDIRECTED policy
 * verdicts. None may be read as malformed, and the figures are those of the files.
 */
const FLOWS = path.join(__dirname, '..', '..', '..', 'shared', 'realworld', 'flows');
const POLICIES = path.join(FLOWS, 'policies');

const EXPECTED: Record<
  string,
  {
    lines: number;
    evaluated: number;
    skipped: number;
    groups: number;
    wouldDrop: number;
    disagreements: number;
    clusters: Record<string, number>;
    exitCode: number;
  }
> = {
  'cilium__cilium__Documentation__observability__hubble__configuration__export.rst__exporter-output.jsonl': {
    lines: 2,
    evaluated: 0,
    skipped: 2,
    groups: 0,
    wouldDrop: 0,
    disagreements: 0,
    clusters: {},
    exitCode: 2,
  },
  'cilium__hubble-otel__basic-sample-10-flows.jsonl': {
    lines: 10,
    evaluated: 1,
    skipped: 9,
    groups: 1,
    wouldDrop: 0,
    disagreements: 0,
    clusters: { default: 1 },
    exitCode: 0,
  },
  'cilium__hubble-otel__basic-sample-330-dns-flows.jsonl': {
    lines: 330,
    evaluated: 0,
    skipped: 330,
    groups: 0,
    wouldDrop: 0,
    disagreements: 0,
    clusters: {},
    exitCode: 2,
  },
  'cilium__hubble-otel__basic-sample-348-http-flows.jsonl': {
    lines: 348,
    evaluated: 0,
    skipped: 348,
    groups: 0,
    wouldDrop: 0,
    disagreements: 0,
    clusters: {},
    exitCode: 2,
  },
  'cilium__hubble-otel__basic-sample-400-icmpv4-flows.jsonl': {
    lines: 18,
    evaluated: 11,
    skipped: 7,
    groups: 2,
    wouldDrop: 0,
    disagreements: 0,
    clusters: {},
    exitCode: 0,
  },
  'cilium__hubble-otel__basic-sample-400-l7-redirected-flows.jsonl': {
    lines: 400,
    evaluated: 400,
    skipped: 0,
    groups: 7,
    wouldDrop: 0,
    disagreements: 0,
    clusters: { 'kind-kind': 400 },
    exitCode: 0,
  },
  'cilium__hubble-otel__basic-sample-400-tcp-flows.jsonl': {
    lines: 400,
    evaluated: 70,
    skipped: 330,
    groups: 7,
    wouldDrop: 0,
    disagreements: 0,
    clusters: { 'kind-kind': 66 },
    exitCode: 0,
  },
  'cilium__hubble-otel__basic-sample-400-udp-flows.jsonl': {
    lines: 400,
    evaluated: 178,
    skipped: 222,
    groups: 3,
    wouldDrop: 0,
    disagreements: 0,
    clusters: { 'kind-kind': 104 },
    exitCode: 0,
  },
  'cilium__hubble-otel__basic-sample-5-dns-flows.jsonl': {
    lines: 5,
    evaluated: 0,
    skipped: 5,
    groups: 0,
    wouldDrop: 0,
    disagreements: 0,
    clusters: {},
    exitCode: 2,
  },
  'cilium__hubble-otel__basic-sample-5-http-flows.jsonl': {
    lines: 5,
    evaluated: 0,
    skipped: 5,
    groups: 0,
    wouldDrop: 0,
    disagreements: 0,
    clusters: {},
    exitCode: 2,
  },
  'imroc__tke-guide__docs__networking__cilium__flow-logs.md__hubble-1.19.1-exporter.jsonl': {
    lines: 3,
    evaluated: 1,
    skipped: 2,
    groups: 1,
    wouldDrop: 0,
    disagreements: 0,
    clusters: {},
    exitCode: 0,
  },
  // The deny-tg-to-echo policy of flows/policies/ drops it, as Cilium did.
  'index-57614446640__cilium-1.18.3-policy-verdict-deny.jsonl': {
    lines: 1,
    evaluated: 1,
    skipped: 0,
    groups: 1,
    wouldDrop: 1,
    disagreements: 0,
    clusters: { topgun: 1 },
    exitCode: 1,
  },
  // Cilium dropped it (POLICY_DENIED); the policies that did are not in the corpus, so the model forwards it: a disagreement.
  'index-71567927798__k3d-cilium-1.16.5-policy-denied.jsonl': {
    lines: 1,
    evaluated: 1,
    skipped: 0,
    groups: 1,
    wouldDrop: 0,
    disagreements: 1,
    clusters: {},
    exitCode: 1,
  },
};

const available = fs.existsSync(FLOWS);
const files = available
  ? fs
      .readdirSync(FLOWS)
      .filter((f) => f.endsWith('.jsonl'))
      .sort()
  : [];

(available ? describe : describe.skip)('the real Hubble exports of the shared corpus', () => {
  test('every file of the corpus has its expected figures here', () => {
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  test.each(files)("%s: no line is malformed, the figures are the file's", async (file) => {
    const run = await runReplay({ policies: [POLICIES], flows: path.join(FLOWS, file) });
    const s = run.result.summary;
    expect(s.malformedLines).toEqual([]);
    expect(s.incomplete).toBeUndefined();
    expect({
      lines: s.lines,
      evaluated: s.evaluated,
      skipped: s.skipped,
      groups: s.groups,
      wouldDrop: s.wouldDrop,
      disagreements: s.disagreements,
      clusters: s.clusters,
      exitCode: run.gate.exitCode,
    }).toEqual(EXPECTED[file]);
    expect(s.lines).toBe(s.evaluated + s.skipped);
  });

  test('Cilium 1.18.3: the flow denied by deny-tg-to-echo (namespace only in the endpoint field) is predicted DROPPED by that policy', async () => {
    const run = await runReplay({
      policies: [POLICIES],
      flows: path.join(FLOWS, 'index-57614446640__cilium-1.18.3-policy-verdict-deny.jsonl'),
    });
    const [g] = run.result.groups;
    expect(g.source.labels).toContain('k8s:io.kubernetes.pod.namespace=net-lab');
    expect(g.predicted.verdict).toBe('DROPPED');
    expect(g.predicted.egress).toMatchObject({
      decision: 'DENIED',
      rules: [
        {
          kind: 'CiliumNetworkPolicy',
          namespace: 'net-lab',
          name: 'deny-tg-to-echo',
          path: 'spec.egressDeny[0]',
        },
      ],
    });
    expect(g.observed).toEqual({ 'DROPPED (POLICY_DENY)': 1 });
    expect(g.observedDenyingPolicies).toEqual(['egress: CiliumNetworkPolicy net-lab/deny-tg-to-echo']);
    expect(g.disagreement).toBe(false);
    expect(run.gate.blockers.map((b) => b.kind)).toEqual(['would-drop']);
  });

  test('Cilium 1.16.5: a POLICY_DENIED drop the policies given do not explain is a disagreement, shown with both sides', async () => {
    const run = await runReplay({
      policies: [POLICIES],
      flows: path.join(FLOWS, 'index-71567927798__k3d-cilium-1.16.5-policy-denied.jsonl'),
    });
    const [b] = run.gate.blockers;
    expect(b.kind).toBe('disagreement');
    expect(b.title).toBe(
      'agent-restricted/agent-id=agt-log-reader-001,app=agent-probe,role=read-only-agent -> corp-prod/app=corp-prod-target 8080/TCP: Hubble observed it refused by policy, the model predicts FORWARDED',
    );
    expect(b.details[0]).toBe(
      'cluster: DROPPED (POLICY_DENIED) 1; Hubble named no policy (a default deny: no allow rule matched)',
    );
    expect(b.details[1]).toBe('model: egress NOT_ENFORCED; ingress NOT_ENFORCED');
  });
});
