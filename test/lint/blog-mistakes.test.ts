import * as path from 'path';
import { lintManifests } from '../../lib/lint';
import { loadManifests } from '../../lib/manifest/load';

const BLOG = path.join(__dirname, '..', 'fixtures', 'lint', 'blog');

/** The five common mistakes, written as a user would, and the finding that catches each. */
const CASES: Array<[string, Array<{ rule: string; severity: string; name: string; path: string }>]> = [
  [
    '1-webapp-service-port.yaml',
    [
      {
        rule: 'service-port-instead-of-target-port',
        severity: 'error',
        name: 'webapp-ingress',
        path: 'spec.ingress[0].toPorts[0].ports[0].port',
      },
      {
        rule: 'service-port-instead-of-target-port',
        severity: 'error',
        name: 'frontend-egress',
        path: 'spec.egress[0].toPorts[0].ports[0].port',
      },
    ],
  ],
  [
    '2-argocd-fqdn-without-dns-rule.yaml',
    [
      {
        rule: 'fqdn-without-dns-proxy',
        severity: 'error',
        name: 'argocd-repo-server-egress',
        path: 'spec.egress[1].toFQDNs',
      },
    ],
  ],
  [
    '3-github-wildcard-without-apex.yaml',
    [
      {
        rule: 'fqdn-wildcard-excludes-apex',
        severity: 'warning',
        name: 'argocd-repo-server-egress',
        path: 'spec.egress[1].toFQDNs[0].matchPattern',
      },
    ],
  ],
  [
    '4-ccnp-default-deny-without-dns.yaml',
    [
      {
        rule: 'ccnp-wildcard-without-health',
        severity: 'warning',
        name: 'egress-lockdown',
        path: 'spec.endpointSelector',
      },
      {
        rule: 'ccnp-default-deny-without-dns',
        severity: 'error',
        name: 'egress-lockdown',
        path: 'spec.egress',
      },
      {
        rule: 'fqdn-without-dns-proxy',
        severity: 'error',
        name: 'egress-lockdown',
        path: 'spec.egress[1].toFQDNs',
      },
      {
        rule: 'fqdn-wildcard-excludes-apex',
        severity: 'warning',
        name: 'egress-lockdown',
        path: 'spec.egress[1].toFQDNs[0].matchPattern',
      },
    ],
  ],
  [
    '5-ccnp-peer-without-namespace.yaml',
    [
      {
        rule: 'ccnp-peer-without-namespace',
        severity: 'warning',
        name: 'payments-api',
        path: 'spec.ingress[0].fromEndpoints[0]',
      },
      {
        rule: 'selector-on-unidentified-label',
        severity: 'error',
        name: 'payments-api',
        path: 'spec.ingress[1].fromEndpoints[0].matchLabels["pod-template-hash"]',
      },
    ],
  ],
];

describe("the blog's five common mistakes", () => {
  it.each(CASES)('%s is caught', (file, expected) => {
    const report = lintManifests(loadManifests([path.join(BLOG, file)]));
    const got = report.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      name: f.name,
      path: f.path,
    }));
    expect(got).toEqual(expected);
  });

  it.each(CASES.map(([f]) => f))('%s, fixed as the fix text says, is clean', (file) => {
    expect(lintManifests(loadManifests([path.join(BLOG, 'fixed', file)])).findings).toEqual([]);
  });

  it('explains mistake 1 with the Service, the named targetPort and the container port', () => {
    const [f] = lintManifests(loadManifests([path.join(BLOG, '1-webapp-service-port.yaml')])).findings;
    expect(f.message).toContain('Service shop/webapp');
    expect(f.message).toContain('targetPort 3000 (the container port named http)');
    expect(f.fix).toContain('port: "3000"');
  });

  it('points mistake 2 at the DNS egress that lacks rules: dns', () => {
    const [f] = lintManifests(
      loadManifests([path.join(BLOG, '2-argocd-fqdn-without-dns-rule.yaml')]),
    ).findings;
    expect(f.message).toContain('spec.egress[0].toPorts[0]');
    expect(f.fix).toContain('rules: {dns: [{matchPattern: "*"}]}');
  });

  it('accepts a DNS proxy rule from another policy that selects the same endpoints (4.3)', () => {
    const manifests = loadManifests([path.join(BLOG, '2-argocd-fqdn-without-dns-rule.yaml')]).map(
      (s) => s.manifest,
    );
    const intercept = {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumClusterwideNetworkPolicy',
      metadata: { name: 'intercept-all-dns' },
      spec: {
        endpointSelector: {},
        enableDefaultDeny: { egress: false, ingress: false },
        egress: [
          {
            toEndpoints: [
              {
                matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' },
              },
            ],
            toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }],
          },
        ],
      },
    };
    expect(
      lintManifests([...manifests, intercept]).findings.filter((f) => f.rule === 'fqdn-without-dns-proxy'),
    ).toEqual([]);
    // a DNS policy for other pods does not count
    const other = {
      ...intercept,
      spec: { ...intercept.spec, endpointSelector: { matchLabels: { app: 'something-else' } } },
    };
    expect(lintManifests([...manifests, other]).findings.map((f) => f.rule)).toContain(
      'fqdn-without-dns-proxy',
    );
  });
});
