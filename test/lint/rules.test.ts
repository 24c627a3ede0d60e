import * as path from 'path';
import { ALL_RULES, lintManifests } from '../../lib/lint';
import { loadManifests } from '../../lib/manifest/load';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'lint', 'rules');

/** rule -> [path, line of the field] of every finding it reports on its bad fixture (test/fixtures/lint/rules/<id>/bad.yaml). */
const EXPECTED: Record<string, Array<[string, number]>> = {
  'apiserver-via-service': [['spec.egress[0].toServices[0]', 13]],
  'audit-mode-annotation': [['metadata.annotations["policy.cilium.io/audit-mode"]', 8]],
  'ccnp-default-deny-without-dns': [['spec.egress', 13]],
  'ccnp-implicit-default-deny': [['spec.ingress', 8]],
  'ccnp-peer-without-namespace': [['spec.ingress[0].fromEndpoints[0]', 13]],
  'ccnp-wildcard-without-health': [['spec.endpointSelector', 7]],
  'ccnp-with-namespace': [['metadata.namespace', 6]],
  'cidr-for-in-cluster-peer': [['spec.egress[0].toCIDR[0]', 13]],
  'cnp-peer-missing-namespace': [['spec.egress[0].toEndpoints[0]', 13]],
  'cnp-subject-namespace': [['spec.endpointSelector.matchLabels["io.kubernetes.pod.namespace"]', 10]],
  'crd-schema': [['spec.egress[0].toFQDNs', 12]],
  'deny-only-default-deny': [['spec.egressDeny', 8]],
  'dns-rule-on-ingress': [['spec.ingress[0].toPorts[0].rules.dns', 17]],
  'dns-rule-port-range': [['spec.egress[0].toPorts[0].ports[0].endPort', 19]],
  'dns-rule-without-ports': [['spec.egress[0].toPorts[0]', 17]],
  'duplicate-key': [['spec.ingress', 15]],
  'duplicate-policy': [
    ['metadata.name', 5],
    ['metadata.name', 17],
  ],
  'empty-peer-list': [['spec.ingress[0].fromEndpoints', 12]],
  'empty-rule-section': [['spec.ingress', 11]],
  'empty-to-ports-entry': [['spec.ingress[0].toPorts[0]', 16]],
  'extended-protocol-with-port': [['spec.ingress[0].toPorts[0].ports[0].port', 15]],
  'fqdn-name-and-pattern': [['spec.egress[1].toFQDNs[0]', 24]],
  'fqdn-pattern-too-broad': [['spec.egress[1].toFQDNs[0].matchPattern', 24]],
  'fqdn-pattern-dead': [['spec.egress[1].toFQDNs[0].matchPattern', 24]],
  'fqdn-refused-by-dns-rule': [['spec.egress[1].toFQDNs[0]', 24]],
  'fqdn-wildcard-excludes-apex': [['spec.egress[1].toFQDNs[0].matchPattern', 24]],
  'fqdn-without-dns-proxy': [['spec.egress[1].toFQDNs', 20]],
  'http-rule-without-tcp': [['spec.ingress[0].toPorts[0].ports[0].protocol', 14]],
  'icmps-with-to-ports': [['spec.ingress[0]', 12]],
  'ingress-allow-all': [['spec.ingress[0].fromEndpoints[0]', 13]],
  'ingress-from-world': [['spec.ingress[0].fromEntities[0]', 13]],
  'invalid-api-version': [['apiVersion', 2]],
  'invalid-cidr': [['spec.egress[0].toCIDR[0]', 13]],
  'invalid-cidr-except': [['spec.egress[0].toCIDRSet[0].except[0]', 15]],
  'invalid-entity': [['spec.egress[0].toEntities[0]', 13]],
  'invalid-fqdn': [['spec.egress[1].toFQDNs[0].matchName', 24]],
  'invalid-http-rule': [['spec.ingress[0].toPorts[0].rules.http[0].path', 19]],
  'invalid-icmp': [['spec.egress[0].icmps[0].fields[0].type', 14]],
  'invalid-label-selector': [['spec.endpointSelector.matchExpressions[0].operator', 11]],
  'invalid-name': [['metadata.name', 5]],
  'invalid-port': [['spec.ingress[0].toPorts[0].ports[0].port', 14]],
  'invalid-protocol': [['spec.ingress[0].toPorts[0].ports[0].protocol', 15]],
  'invalid-subject-selector': [['spec', 6]],
  'l7-in-host-policy': [['spec.ingress[0].toPorts[0].rules', 13]],
  'l7-on-port-zero': [['spec.ingress[0].toPorts[0].ports[0].port', 14]],
  'listener-misuse': [['spec.egress[0].toPorts[0].rules', 21]],
  'multiple-l7-types': [['spec.egress[0].toPorts[0].rules', 16]],
  'multiple-peer-kinds': [['spec.egress[0]', 12]],
  'named-port-with-end-port': [['spec.ingress[0].toPorts[0].ports[0].endPort', 15]],
  'namespace-labels-in-cnp-peer': [
    ['spec.ingress[0].fromEndpoints[0].matchLabels["io.cilium.k8s.namespace.labels.team"]', 14],
  ],
  'namespace-unknown': [['metadata.namespace', 4]],
  'node-peer-needs-flag': [['spec.ingress[0].fromNodes', 12]],
  'node-selector-in-cnp': [['spec.nodeSelector', 8]],
  'policy-missing-name': [['metadata.name', 4]],
  'policy-without-spec': [['spec', 2]],
  'port-leading-zero': [['spec.ingress[0].toPorts[0].ports[0].port', 14]],
  'probes-without-host-ingress': [['spec.ingress', 36]],
  'rejected-by-agent': [['spec.egress[0].toPorts[0].serverNames', 13]],
  'removed-field': [['spec.ingress[0].fromRequires', 12]],
  'reserved-label-typo': [['spec.endpointSelector.matchLabels["reserved"]', 9]],
  'rule-without-sections': [['spec', 7]],
  'selector-on-unidentified-label': [
    ['spec.ingress[0].fromEndpoints[0].matchLabels["pod-template-hash"]', 15],
  ],
  'server-names-without-tls': [['spec.egress[0].toPorts[0].serverNames', 16]],
  'service-port-instead-of-target-port': [['spec.ingress[0].toPorts[0].ports[0].port', 51]],
  'too-many-ports': [['spec.ingress[0].toPorts[0].ports', 13]],
  'unknown-field': [['spec.ingress[0].fromEndpoint', 12]],
  'unrendered-substitution': [['spec.endpointSelector.matchLabels["app"]', 10]],
};

describe('every rule on its fixtures', () => {
  it('has a fixture expectation for every rule and no stale ones', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(ALL_RULES.map((r) => r.id));
  });

  it.each(ALL_RULES.map((r) => [r.id, r] as const))(
    '%s: reports the bad fixture exactly, not the good one',
    (id, rule) => {
      const bad = lintManifests(loadManifests([path.join(FIXTURES, id, 'bad.yaml')]), { rules: [rule] });
      expect(bad.findings.map((f) => [f.path, f.line])).toEqual(EXPECTED[id]);
      for (const f of bad.findings) {
        expect(f.rule).toBe(id);
        expect(f.severity).toBe(rule.severity);
        expect(f.file).toBe(path.join(FIXTURES, id, 'bad.yaml'));
        expect(f.message).toContain(` ${f.path}: `);
        expect(f.message).toContain(
          f.namespace ? `${f.kind} ${f.namespace}/${f.name}` : `${f.kind} ${f.name}`,
        );
        expect(f.message).not.toContain('\n');
        expect(f.fix.length).toBeGreaterThan(10);
      }
      const good = lintManifests(loadManifests([path.join(FIXTURES, id, 'good.yaml')]), { rules: [rule] });
      expect(good.findings).toEqual([]);
    },
  );

  it.each(ALL_RULES.map((r) => [r.id, r] as const))(
    '%s: its documented examples behave like the fixtures',
    (_id, rule) => {
      expect(lintManifests(rule.examples.bad, { rules: [rule] }).findings.length).toBeGreaterThan(0);
      expect(lintManifests(rule.examples.good, { rules: [rule] }).findings).toEqual([]);
      // the fixed example must not trip any other error-level rule either
      expect(
        lintManifests(rule.examples.good)
          .findings.filter((f) => f.severity === 'error')
          .map((f) => f.rule),
      ).toEqual([]);
    },
  );

  it('has kebab-case IDs, a title and a rationale citing a section of docs/cilium-semantics.md', () => {
    for (const r of ALL_RULES) {
      expect(r.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(r.title.length).toBeGreaterThan(5);
      expect(r.rationale).toMatch(/docs\/cilium-semantics\.md, "[^"]+"/);
    }
  });

  it('honours ignoreRules and the per-policy ignore annotation', () => {
    const rule = ALL_RULES.find((r) => r.id === 'ingress-from-world')!;
    const bad = loadManifests([path.join(FIXTURES, 'ingress-from-world', 'bad.yaml')]);
    expect(
      lintManifests(bad, { ignoreRules: ['ingress-from-world'] }).findings.filter((f) => f.rule === rule.id),
    ).toEqual([]);
    const annotated = bad.map((s) => ({
      ...s,
      manifest: {
        ...s.manifest,
        metadata: {
          ...s.manifest.metadata,
          annotations: { 'lint.cilium-lockdown.io/ignore': 'ingress-from-world, other' },
        },
      },
    }));
    expect(lintManifests(annotated).findings.filter((f) => f.rule === rule.id)).toEqual([]);
  });
});
