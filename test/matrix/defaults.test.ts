/**
 * The matrix evaluates only the pairs a rule of one end may decide; every other flow gets its
 * ends' defaults. These tests hold that against the engine itself, pair by pair, on clusters
 * whose policies use the shapes that make it hard (wildcard peers, entities, CCNPs, denies,
 * non-default-deny policies, hostNetwork pods, named ports, NotIn selectors, audit mode), and
 * check that a consumer of the json rebuilds every flow from the listed edges and the defaults.
 */
import { PolicyEngine } from '../../lib/engine/engine';
import { EngineOptions } from '../../lib/engine/types';
import { KubeManifest, SourcedManifest } from '../../lib/manifest/types';
import { computeMatrix } from '../../lib/matrix/compute';
import { matrixJson } from '../../lib/matrix/render-json';

jest.setTimeout(120_000);

function deployment(i: number, extra: { hostNetwork?: boolean; named?: boolean } = {}): KubeManifest {
  const labels = { app: `app${i}`, tier: i % 2 === 0 ? 'web' : 'db' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `app${i}`, namespace: `ns${i % 3}` },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          ...(extra.hostNetwork ? { hostNetwork: true } : {}),
          containers: [
            {
              name: 'c',
              ports: [{ containerPort: 8000 + (i % 4), ...(extra.named ? { name: 'http' } : {}) }],
            },
          ],
        },
      },
    },
  };
}

function cnp(name: string, ns: string, spec: Record<string, unknown>): KubeManifest {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace: ns }, spec };
}

const port = (p: number | string, protocol = 'TCP') => [{ ports: [{ port: String(p), protocol }] }];

/** Policies of every hard shape, over 12 workloads in 3 namespaces. */
function cluster(): SourcedManifest[] {
  const manifests: KubeManifest[] = [
    ...Array.from({ length: 10 }, (_, i) => deployment(i)),
    deployment(10, { hostNetwork: true }),
    deployment(11, { named: true }),
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns1', labels: { team: 'a' } } },
    cnp('one-peer', 'ns0', {
      endpointSelector: { matchLabels: { app: 'app0' } },
      ingress: [{ fromEndpoints: [{ matchLabels: { app: 'app3' } }], toPorts: port(8000) }],
    }),
    cnp('wildcard-ports', 'ns1', {
      endpointSelector: { matchLabels: { app: 'app1' } },
      ingress: [{ toPorts: port(8001) }],
      egress: [{ toEntities: ['cluster'] }],
    }),
    cnp('not-in', 'ns2', {
      endpointSelector: { matchLabels: { app: 'app2' } },
      ingress: [
        {
          fromEndpoints: [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }],
          toPorts: port(8002),
        },
      ],
      ingressDeny: [{ fromEndpoints: [{ matchLabels: { app: 'app5' } }] }],
    }),
    cnp('no-default-deny', 'ns1', {
      endpointSelector: { matchLabels: { app: 'app4' } },
      enableDefaultDeny: { ingress: false, egress: false },
      ingress: [{ fromEndpoints: [{ matchLabels: { app: 'app7' } }], toPorts: port(8000) }],
      egress: [{ toEndpoints: [{ matchLabels: { app: 'app0' } }] }],
    }),
    cnp('named-port', 'ns2', {
      endpointSelector: { matchLabels: { app: 'app11' } },
      ingress: [
        { fromEntities: ['host', 'world'], toPorts: [{ ports: [{ port: 'http', protocol: 'TCP' }] }] },
      ],
      egress: [
        { toFQDNs: [{ matchName: 'api.example.com' }], toPorts: port(443) },
        { toCIDR: ['10.0.0.0/8'] },
        {
          toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system' } }],
          toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }], rules: { dns: [{ matchPattern: '*' }] } }],
        },
      ],
    }),
    {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumClusterwideNetworkPolicy',
      metadata: { name: 'team-a' },
      spec: {
        endpointSelector: { matchLabels: { 'k8s:io.cilium.k8s.namespace.labels.team': 'a' } },
        egress: [{ toEndpoints: [{}], toPorts: port(8003) }],
        egressDeny: [{ toEndpoints: [{ matchLabels: { app: 'app6' } }] }],
      },
    },
  ];
  return manifests.map((manifest, i) => ({ manifest, file: 'cluster.yaml', line: i + 1 }));
}

const OPTIONS: EngineOptions[] = [
  {},
  { policyAuditMode: true },
  { policyEnforcementMode: 'always' },
  { allowLocalhost: 'policy' },
];

describe.each(OPTIONS)('with engine options %j', (engine) => {
  const policies = cluster();
  const m = computeMatrix({ policies }, { engine });

  test('every flow is what the engine says for that pair and port', () => {
    const direct = PolicyEngine.fromManifests(policies, engine);
    const peers = new Map(m.identities.map((i) => [i.id, i.node.peer]));
    let flows = 0;
    for (const c of m.everyIdentityCell()) {
      const r = direct.evaluate({
        source: peers.get(c.from)!,
        destination: peers.get(c.to)!,
        protocol: c.port.protocol,
        ...(c.port.port !== undefined ? { port: c.port.port } : {}),
        ...(c.port.icmpType !== undefined ? { icmpType: c.port.icmpType } : {}),
      });
      expect(`${c.from} -> ${c.to} ${c.port.text}: ${c.verdict} ${c.egress} ${c.ingress}`).toBe(
        `${c.from} -> ${c.to} ${c.port.text}: ${r.verdict} ${r.egress.decision} ${r.ingress.decision}`,
      );
      flows++;
    }
    // Every pair with a managed end, on every port of its destination.
    expect(flows).toBe(m.flowCounts.total);
    expect(m.decidedCells.length).toBeLessThan(flows);
  });

  test('a consumer rebuilds every flow from the listed edges and the defaults of their ends', () => {
    const listed = matrixJson(m) as any;
    const all = matrixJson(m, { allEdges: true }) as any;
    const key = (e: any) => `${e.from} ${e.to} ${e.port} ${e.protocol} ${e.icmpType ?? ''}`;
    const byKey = new Map(listed.edges.map((e: any) => [key(e), e]));
    const defaults = new Map(listed.nodes.map((n: any) => [n.identity ?? n.id, n.default]));
    const isDrop = (d: any) => d.decision === 'DENIED' || d.decision === 'DEFAULT_DENY';
    for (const e of all.edges) {
      const shown: any = byKey.get(key(e));
      if (shown) {
        expect(shown).toEqual(e);
        continue;
      }
      const egress = (defaults.get(e.from) as any).egress;
      const ingress = (defaults.get(e.to) as any).ingress;
      const verdict = [egress, ingress].some((d) => isDrop(d) && !d.audited)
        ? 'DROPPED'
        : [egress, ingress].some(isDrop)
          ? 'AUDIT'
          : 'FORWARDED';
      expect({ edge: key(e), verdict, egress: egress.decision, ingress: ingress.decision }).toEqual({
        edge: key(e),
        verdict: e.verdict,
        egress: e.egress,
        ingress: e.ingress,
      });
    }
  });
});
