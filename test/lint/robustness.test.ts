import fc from 'fast-check';
import { lintManifests } from '../../lib/lint';
import { KubeManifest } from '../../lib/manifest/types';
import { suiteSize } from '../support/suite';

/** Values of any shape, biased towards the field names and values rules look at. */
const FIELDS = [
  'spec',
  'specs',
  'metadata',
  'name',
  'namespace',
  'annotations',
  'endpointSelector',
  'nodeSelector',
  'ingress',
  'egress',
  'ingressDeny',
  'egressDeny',
  'fromEndpoints',
  'toEndpoints',
  'fromEntities',
  'toEntities',
  'toFQDNs',
  'toCIDR',
  'fromCIDR',
  'toCIDRSet',
  'fromCIDRSet',
  'cidr',
  'except',
  'toPorts',
  'ports',
  'port',
  'endPort',
  'protocol',
  'rules',
  'dns',
  'http',
  'matchName',
  'matchPattern',
  'matchLabels',
  'matchExpressions',
  'key',
  'operator',
  'values',
  'icmps',
  'fields',
  'type',
  'family',
  'toServices',
  'k8sService',
  'serviceName',
  'enableDefaultDeny',
  'serverNames',
  'listener',
  'headerMatches',
  'fromRequires',
  'selector',
  'template',
  'containers',
  'readinessProbe',
  'httpGet',
  'containerPort',
  'targetPort',
  'clusterIP',
  'status',
  'addresses',
];
const SCALARS = fc.oneof(
  fc.constantFrom(
    '53',
    '0',
    '08',
    '99999',
    'http',
    '*',
    '*.com',
    '10.0.0.0/8',
    '10.96.0.1',
    'world',
    'all',
    'host',
    'TCP',
    'ANY',
    'In',
    'Exists',
    'reserved:health',
    'k8s:io.kubernetes.pod.namespace',
    '',
  ),
  fc.integer({ min: -5, max: 70000 }),
  fc.boolean(),
  fc.constant(null),
);

const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    SCALARS,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...FIELDS), tie('value'), { maxKeys: 5 }),
  ),
}));

const policy = fc.record(
  {
    apiVersion: fc.constantFrom('cilium.io/v2', 'v1', 'apps/v1'),
    kind: fc.constantFrom(
      'CiliumNetworkPolicy',
      'CiliumClusterwideNetworkPolicy',
      'Service',
      'Deployment',
      'Node',
      'Namespace',
    ),
    metadata: fc.oneof(
      value,
      fc.record({ name: fc.constantFrom('a', 'b'), namespace: fc.constantFrom('default', 'kube-system') }),
    ),
    spec: value,
    specs: value,
  },
  { requiredKeys: ['apiVersion', 'kind'] },
);

describe('robustness', () => {
  it('never throws on manifests of any shape, and stays deterministic', () => {
    fc.assert(
      fc.property(fc.array(policy, { maxLength: 6 }), (manifests) => {
        const a = lintManifests(manifests as KubeManifest[]);
        const b = lintManifests([...manifests].reverse() as KubeManifest[]);
        expect(
          JSON.stringify(a.findings.map((f) => [f.kind, f.namespace, f.name, f.path, f.rule]).sort()),
        ).toBe(JSON.stringify(b.findings.map((f) => [f.kind, f.namespace, f.name, f.path, f.rule]).sort()));
        for (const f of a.findings) expect(typeof f.message).toBe('string');
      }),
      { numRuns: suiteSize(400, 60), seed: 20260801 },
    );
  });
});
