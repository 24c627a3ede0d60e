import * as path from 'path';
import { ALL_RULES, lintManifests } from '../../lib/lint';
import { loadManifests } from '../../lib/manifest/load';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'lint', 'rules');

/** rule -> [path, line] of every finding it reports on its bad fixture (test/fixtures/lint/rules/<id>/bad.yaml). */
const EXPECTED: Record<string, Array<[string, number]>> = {
  'apiserver-via-service': [['spec.egress[0].toServices[0]',2]],
  'audit-mode-annotation': [['metadata.annotations["policy.cilium.io/audit-mode"]',2]],
  'ccnp-default-deny-without-dns': [['spec.egress',2]],
  'ccnp-peer-without-namespace': [['spec.ingress[0].fromEndpoints[0]',2]],
  'ccnp-wildcard-without-health': [['spec.endpointSelector',2]],
  'ccnp-with-namespace': [['metadata.namespace',2]],
  'cidr-for-in-cluster-peer': [['spec.egress[0].toCIDR[0]',2]],
  'cnp-peer-missing-namespace': [['spec.egress[0].toEndpoints[0]',2]],
  'cnp-subject-namespace': [['spec.endpointSelector.matchLabels["io.kubernetes.pod.namespace"]',2]],
  'deny-only-default-deny': [['spec.egressDeny',2]],
  'dns-rule-on-ingress': [['spec.ingress[0].toPorts[0].rules.dns',2]],
  'dns-rule-port-range': [['spec.egress[0].toPorts[0].ports[0].endPort',2]],
  'dns-rule-without-ports': [['spec.egress[0].toPorts[0]',2]],
  'empty-peer-list': [['spec.ingress[0].fromEndpoints',2]],
  'empty-rule-section': [['spec.ingress',2]],
  'empty-to-ports-entry': [['spec.ingress[0].toPorts[0]',2]],
  'extended-protocol-with-port': [['spec.ingress[0].toPorts[0].ports[0].port',2]],
  'fqdn-name-and-pattern': [['spec.egress[1].toFQDNs[0]',2]],
  'fqdn-pattern-too-broad': [['spec.egress[1].toFQDNs[0].matchPattern',2]],
  'fqdn-refused-by-dns-rule': [['spec.egress[1].toFQDNs[0]',2]],
  'fqdn-wildcard-excludes-apex': [['spec.egress[1].toFQDNs[0].matchPattern',2]],
  'fqdn-without-dns-proxy': [['spec.egress[1].toFQDNs',2]],
  'http-rule-without-tcp': [['spec.ingress[0].toPorts[0].ports[0].protocol',2]],
  'icmps-with-to-ports': [['spec.ingress[0]',2]],
  'ingress-allow-all': [['spec.ingress[0].fromEndpoints[0]',2]],
  'ingress-from-world': [['spec.ingress[0].fromEntities[0]',2]],
  'invalid-cidr': [['spec.egress[0].toCIDR[0]',2]],
  'invalid-cidr-except': [['spec.egress[0].toCIDRSet[0].except[0]',2]],
  'invalid-entity': [['spec.egress[0].toEntities[0]',2]],
  'invalid-fqdn': [['spec.egress[1].toFQDNs[0].matchName',2]],
  'invalid-http-rule': [['spec.ingress[0].toPorts[0].rules.http[0].path',2]],
  'invalid-icmp': [['spec.egress[0].icmps[0].fields[0].type',2]],
  'invalid-label-selector': [['spec.endpointSelector.matchExpressions[0].operator',2]],
  'invalid-port': [['spec.ingress[0].toPorts[0].ports[0].port',2]],
  'invalid-protocol': [['spec.ingress[0].toPorts[0].ports[0].protocol',2]],
  'invalid-subject-selector': [['spec',2]],
  'l7-in-host-policy': [['spec.ingress[0].toPorts[0].rules',2]],
  'l7-on-port-zero': [['spec.ingress[0].toPorts[0].ports[0].port',2]],
  'listener-misuse': [['spec.egress[0].toPorts[0].rules',2]],
  'multiple-l7-types': [['spec.egress[0].toPorts[0].rules',2]],
  'multiple-peer-kinds': [['spec.egress[0]',2]],
  'named-port-with-end-port': [['spec.ingress[0].toPorts[0].ports[0].endPort',2]],
  'namespace-labels-in-cnp-peer': [['spec.ingress[0].fromEndpoints[0].matchLabels["io.cilium.k8s.namespace.labels.team"]',2]],
  'node-peer-needs-flag': [['spec.ingress[0].fromNodes',2]],
  'node-selector-in-cnp': [['spec.nodeSelector',2]],
  'policy-missing-name': [['metadata.name',2]],
  'policy-without-spec': [['spec',2]],
  'port-leading-zero': [['spec.ingress[0].toPorts[0].ports[0].port',2]],
  'probes-without-host-ingress': [['spec.ingress',27]],
  'removed-field': [['spec.ingress[0].fromRequires',2]],
  'reserved-label-typo': [['spec.endpointSelector.matchLabels["reserved"]',2]],
  'rule-without-sections': [['spec',2]],
  'selector-on-unidentified-label': [['spec.ingress[0].fromEndpoints[0].matchLabels["pod-template-hash"]',2]],
  'server-names-without-tls': [['spec.egress[0].toPorts[0].serverNames',2]],
  'service-port-instead-of-target-port': [['spec.ingress[0].toPorts[0].ports[0].port',36]],
  'too-many-ports': [['spec.ingress[0].toPorts[0].ports',2]],
  'unknown-field': [['spec.ingress[0].fromEndpoint',2]],
};

describe('every rule on its fixtures', () => {
  it('has a fixture expectation for every rule and no stale ones', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(ALL_RULES.map((r) => r.id));
  });

  it.each(ALL_RULES.map((r) => [r.id, r] as const))('%s: reports the bad fixture exactly, not the good one', (id, rule) => {
    const bad = lintManifests(loadManifests([path.join(FIXTURES, id, 'bad.yaml')]), { rules: [rule] });
    expect(bad.findings.map((f) => [f.path, f.line])).toEqual(EXPECTED[id]);
    for (const f of bad.findings) {
      expect(f.rule).toBe(id);
      expect(f.severity).toBe(rule.severity);
      expect(f.file).toBe(path.join(FIXTURES, id, 'bad.yaml'));
      expect(f.message).toContain(` ${f.path}: `);
      expect(f.message).toContain(f.namespace ? `${f.kind} ${f.namespace}/${f.name}` : `${f.kind} ${f.name}`);
      expect(f.message).not.toContain('\n');
      expect(f.fix.length).toBeGreaterThan(10);
    }
    const good = lintManifests(loadManifests([path.join(FIXTURES, id, 'good.yaml')]), { rules: [rule] });
    expect(good.findings).toEqual([]);
  });

  it.each(ALL_RULES.map((r) => [r.id, r] as const))('%s: its documented examples behave like the fixtures', (_id, rule) => {
    expect(lintManifests(rule.examples.bad, { rules: [rule] }).findings.length).toBeGreaterThan(0);
    expect(lintManifests(rule.examples.good, { rules: [rule] }).findings).toEqual([]);
    // the fixed example must not trip any other error-level rule either
    expect(lintManifests(rule.examples.good).findings.filter((f) => f.severity === 'error').map((f) => f.rule)).toEqual([]);
  });

  it('has kebab-case IDs, a title and a rationale citing the semantics note', () => {
    for (const r of ALL_RULES) {
      expect(r.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(r.title.length).toBeGreaterThan(5);
      expect(r.rationale).toMatch(/semantics note [0-9]/);
    }
  });

  it('honours ignoreRules and the per-policy ignore annotation', () => {
    const rule = ALL_RULES.find((r) => r.id === 'ingress-from-world')!;
    const bad = loadManifests([path.join(FIXTURES, 'ingress-from-world', 'bad.yaml')]);
    expect(lintManifests(bad, { ignoreRules: ['ingress-from-world'] }).findings.filter((f) => f.rule === rule.id)).toEqual([]);
    const annotated = bad.map((s) => ({ ...s, manifest: { ...s.manifest, metadata: { ...s.manifest.metadata, annotations: { 'lint.cilium-lockdown.io/ignore': 'ingress-from-world, other' } } } }));
    expect(lintManifests(annotated).findings.filter((f) => f.rule === rule.id)).toEqual([]);
  });
});
