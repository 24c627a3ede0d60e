import * as path from 'path';
import { lintManifests } from '../../lib/lint';
import { loadManifests } from '../../lib/manifest/load';

const CORPUS = path.join(__dirname, '..', 'fixtures', 'upstream-examples');

describe('upstream Cilium example corpus', () => {
  const manifests = loadManifests([CORPUS]);
  const report = lintManifests(manifests);

  it('lints all 41 policies without crashing', () => {
    expect(report.summary.policies).toBe(41);
    expect(report.summary.files).toBe(40);
  });

  it('reports errors only where Cilium 1.20 with its default configuration rejects the example', () => {
    const errors = report.findings
      .filter((f) => f.severity === 'error')
      .map((f) => [path.relative(CORPUS, f.file!), f.rule, f.path]);
    expect(errors).toEqual([
      ['policies/auth/auth.yaml', 'unknown-field', 'spec.egress[0].auth'],
      // fromNodes needs the agent flag enable-node-selector-labels (off by default).
      ['policies/l3/entities/customnodes.yaml', 'node-peer-needs-flag', 'spec.ingress[0].fromNodes'],
      ['policies/l3/requires/requires.yaml', 'removed-field', 'specs[0].ingress[0].fromRequires'],
    ]);
  });

  it('only warns where the example shows a pattern worth a second look', () => {
    // The examples leave metadata.namespace to `kubectl apply -n`: each gets namespace-unknown.
    expect(report.findings.filter((f) => f.rule === 'namespace-unknown').length).toBe(31);
    const warnings = report.findings
      .filter((f) => f.severity === 'warning' && f.rule !== 'namespace-unknown')
      .map((f) => `${path.relative(CORPUS, f.file!)} ${f.rule}`);
    expect(warnings).toEqual([
      'policies/kubernetes/clusterwide/clusterscope-policy.yaml ccnp-peer-without-namespace',
      'policies/kubernetes/clusterwide/wildcard-from-endpoints.yaml ingress-allow-all',
      'policies/l3/cidr/cidr.yaml cidr-for-in-cluster-peer',
      'policies/l3/entities/world.yaml ingress-from-world',
    ]);
  });

  it('is deterministic across runs and input orderings', () => {
    const reversed = lintManifests([...manifests].reverse());
    const rotated = lintManifests([...manifests.slice(17), ...manifests.slice(0, 17)]);
    expect(JSON.stringify(reversed)).toBe(JSON.stringify(report));
    expect(JSON.stringify(rotated)).toBe(JSON.stringify(report));
  });

  it('ignores non-policy documents and plain-object input works like sourced input', () => {
    const plain = lintManifests([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } },
      ...manifests.map((m) => m.manifest),
    ]);
    expect(plain.summary.policies).toBe(41);
    const key = (f: { rule: string; name: string; path: string }): string => `${f.name} ${f.path} ${f.rule}`;
    expect(plain.findings.map(key).sort()).toEqual(report.findings.map(key).sort());
    expect(plain.findings.every((f) => f.file === undefined)).toBe(true);
  });
});
