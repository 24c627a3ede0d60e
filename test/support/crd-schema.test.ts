import { validateAgainstCrd } from '../../lib/manifest/crd-schema';

describe('CRD schema check used by every synth test', () => {
  const valid = {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name: 'p', namespace: 'n' },
    spec: { endpointSelector: {}, ingress: [{ fromEntities: ['host'] }] },
  };

  test('accepts a valid policy', () => {
    expect(validateAgainstCrd(valid)).toEqual([]);
  });

  test('rejects unknown fields the API server would prune', () => {
    const typo = {
      ...valid,
      spec: { endpointSelector: {}, ingress: [{ fromEntities: ['host'], toPort: [] }] },
    };
    expect(validateAgainstCrd(typo)).toEqual([
      { path: 'spec.ingress[0]', message: 'unknown field `toPort` (the API server would silently drop it)' },
    ]);
  });

  test('rejects entities outside the 1.20 enum', () => {
    const bad = { ...valid, spec: { endpointSelector: {}, ingress: [{ fromEntities: ['world-ipv4'] }] } };
    expect(validateAgainstCrd(bad).map((p) => p.path)).toContain('spec.ingress[0].fromEntities[0]');
  });
});

describe('every Testing.synth of a test is checked (test/support/setup.ts)', () => {
  test('a policy the CRD rejects fails Testing.synth', () => {
    const { Chart, Testing, ApiObject } = require('cdk8s');
    const chart = new Chart(Testing.app(), 'c');
    new ApiObject(chart, 'bad', {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'bad', namespace: 'n' },
      spec: { endpointSelector: {}, ingress: [{ fromEntity: ['host'] }] },
    });
    expect(() => Testing.synth(chart)).toThrow(
      'CiliumNetworkPolicy bad: spec.ingress[0]: unknown field `fromEntity`',
    );
  });
});
