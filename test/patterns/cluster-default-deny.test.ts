import { ClusterDefaultDeny } from '../../lib';
import { onlyPolicy, synthChecked, testChart } from '../support/synth';

describe('ClusterDefaultDeny', () => {
  test('snapshot: ingress default deny outside kube-system', () => {
    const chart = testChart();
    new ClusterDefaultDeny(chart, 'deny', { policyName: 'cluster-default-deny' });
    expect(synthChecked(chart)).toMatchSnapshot();
  });

  test('is one CCNP selecting only pods outside the exempt namespaces', () => {
    const chart = testChart();
    new ClusterDefaultDeny(chart, 'deny');
    const policy = onlyPolicy(synthChecked(chart));
    expect(policy.kind).toBe('CiliumClusterwideNetworkPolicy');
    expect(policy.metadata!.namespace).toBeUndefined();
    expect(policy.spec.endpointSelector).toEqual({
      matchExpressions: [
        { key: 'k8s:io.kubernetes.pod.namespace', operator: 'Exists' },
        { key: 'k8s:io.kubernetes.pod.namespace', operator: 'NotIn', values: ['kube-system'] },
      ],
    });
    expect(policy.spec.ingress).toEqual([{}]);
  });

  test('with egress, the DNS allowance is in the same object', () => {
    const chart = testChart();
    new ClusterDefaultDeny(chart, 'deny', { egress: true, exemptNamespaces: ['monitoring', 'kube-system'] });
    const policy = onlyPolicy(synthChecked(chart));
    expect(policy.spec.endpointSelector.matchExpressions[1].values).toEqual(['kube-system', 'monitoring']);
    expect(policy.spec.egress).toEqual([
      {
        toEndpoints: [
          { matchLabels: { 'k8s-app': 'kube-dns', 'k8s:io.kubernetes.pod.namespace': 'kube-system' } },
        ],
        toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }],
      },
    ]);
  });

  test('when kube-system is not exempt, the DNS pods stay reachable (a second rule in the same object)', () => {
    const chart = testChart();
    new ClusterDefaultDeny(chart, 'deny', { exemptNamespaces: [] });
    const policy = onlyPolicy(synthChecked(chart));
    expect(policy.spec).toBeUndefined();
    expect(policy.specs).toHaveLength(2);
    expect(policy.specs[0].endpointSelector).toEqual({
      matchExpressions: [{ key: 'k8s:io.kubernetes.pod.namespace', operator: 'Exists' }],
    });
    expect(policy.specs[1]).toEqual({
      description: 'The cluster DNS stays reachable from every pod',
      endpointSelector: {
        matchLabels: { 'k8s-app': 'kube-dns', 'k8s:io.kubernetes.pod.namespace': 'kube-system' },
      },
      ingress: [{ fromEntities: ['cluster'], toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }] }] }],
    });
  });

  test('selecting reserved endpoints too adds what cilium-health needs', () => {
    const chart = testChart();
    new ClusterDefaultDeny(chart, 'deny', { includeReservedEndpoints: true, egress: true });
    const policy = onlyPolicy(synthChecked(chart));
    const health = policy.specs.find((s: any) => s.endpointSelector.matchLabels?.['reserved:health'] === '');
    expect(health.ingress).toEqual([{ fromEntities: ['host', 'remote-node'] }]);
    expect(health.egress).toEqual([{ toEntities: ['host', 'remote-node'] }]);
    // Every endpoint but Cilium's ingress Envoy: health is selected (and allowed what it needs).
    expect(policy.specs[0].endpointSelector.matchExpressions).toEqual([
      { key: 'k8s:io.kubernetes.pod.namespace', operator: 'NotIn', values: ['kube-system'] },
      { key: 'reserved:ingress', operator: 'DoesNotExist' },
    ]);
  });

  test('bad exempt namespace', () => {
    expect(() => new ClusterDefaultDeny(testChart(), 'd', { exemptNamespaces: ['Kube_System'] })).toThrow(
      'test/d: exemptNamespaces[0] = "Kube_System": not a valid namespace name',
    );
  });
});
