import { clusterView, manifestId } from '../../scripts/conformance/compare';
import { crdRejection, isGoCidr } from '../../scripts/conformance/crd-gate';
import { minimize } from '../../scripts/conformance/minimize';
import type { ConformanceVector } from '../../scripts/conformance/vectors';

const cnp = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumNetworkPolicy',
  metadata: { name, namespace: 'blog' },
  spec,
});
const fe = { labels: ['k8s:io.kubernetes.pod.namespace=blog', 'k8s:app=fe'] };

describe('the CRD gate', () => {
  test('format: cidr is Go net.ParseCIDR', () => {
    expect(
      ['10.0.0.0/8', '1.2.3.4/32', '0.0.0.0/0', 'fd00::/64', '10.1.2.3/8'].filter(isGoCidr),
    ).toHaveLength(5);
    expect(
      ['10.1.2.3', '10.0.0.0/33', '010.0.0.0/8', 'ten/8', 'fd00::/129', '10.0.0.0/'].filter(isGoCidr),
    ).toEqual([]);
  });

  test('rejects what the API server rejects, prunes unknown fields', () => {
    expect(crdRejection(cnp('a', { endpointSelector: {}, egress: [{ toCIDR: ['10.1.2.3'] }] }))).toMatch(
      /toCIDR/,
    );
    expect(
      crdRejection(cnp('b', { endpointSelector: {}, egress: [{ toEntities: ['world-ipv4'] }] })),
    ).toMatch(/toEntities/);
    expect(
      crdRejection(cnp('c', { endpointSelector: {}, egress: [{ toEntities: ['world'], toPortz: [] }] })),
    ).toBeUndefined();
  });

  test('the cluster view drops CRD-rejected policies and names them', () => {
    const v: ConformanceVector = {
      name: 'v',
      policies: [
        cnp('bad', { endpointSelector: {}, egress: [{ toCIDR: ['10.1.2.3'] }] }),
        cnp('good', { endpointSelector: {}, egress: [{}] }),
      ],
      flows: [],
    };
    const view = clusterView(v);
    expect(view.vector.policies.map((p) => manifestId(p))).toEqual(['CiliumNetworkPolicy blog/good']);
    expect([...view.crdRejected.keys()]).toEqual(['CiliumNetworkPolicy blog/bad']);
  });
});

describe('the greedy reducer', () => {
  test('keeps only what the failure needs', () => {
    const v: ConformanceVector = {
      name: 'v',
      options: { policyAuditMode: true, allowLocalhost: 'policy' },
      policies: [
        cnp('p0', {
          endpointSelector: {},
          ingress: [{ fromEntities: ['world'] }, { fromCIDR: ['0.0.0.0/0'] }],
        }),
        cnp('p1', { endpointSelector: {}, egress: [{}] }),
      ],
      flows: [0, 1, 2].map((i) => ({
        name: `f${i}`,
        flow: { source: { ...fe, auditMode: true }, destination: fe, protocol: 'TCP' as const, port: 80 + i },
        expect: {},
      })),
    };
    // "Fails" while a selecting policy still allows 0.0.0.0/0 and a flow to port 81 remains.
    const fails = (c: ConformanceVector) =>
      c.policies.some((p) =>
        JSON.stringify(p).includes('"endpointSelector":{},"ingress":[{"fromCIDR":["0.0.0.0/0"]}]'),
      ) && c.flows.some((f) => f.flow.port === 81);
    const m = minimize(v, fails, 500);
    expect(m.policies).toEqual([cnp('p0', { endpointSelector: {}, ingress: [{ fromCIDR: ['0.0.0.0/0'] }] })]);
    expect(m.flows.map((f) => f.flow)).toEqual([{ source: fe, destination: fe, protocol: 'TCP', port: 81 }]);
    expect(m.options).toEqual({});
  });
});
