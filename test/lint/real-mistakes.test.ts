import { lintManifests, LintFinding } from '../../lib/lint';
import { parseManifests } from '../../lib/manifest/load';

/** Lints YAML text as the CLI would read it from a file. */
function lintYaml(text: string): LintFinding[] {
  return [...lintManifests(parseManifests(text, 'p.yaml')).findings];
}

const rulesOf = (findings: readonly LintFinding[]): string[] => findings.map((f) => f.rule);

const HEAD =
  'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: web\n  namespace: blog\n';

describe('mistakes found in real repositories', () => {
  it('a peer naming ingress-nginx without a namespace key', () => {
    const f = lintYaml(
      `${HEAD}spec:\n  endpointSelector: {matchLabels: {app: web}}\n  ingress:\n    - fromEndpoints:\n        - matchLabels:\n            app.kubernetes.io/name: ingress-nginx\n`,
    );
    expect(f.find((x) => x.rule === 'cnp-peer-missing-namespace')).toMatchObject({
      line: 10,
      path: 'spec.ingress[0].fromEndpoints[0]',
    });
    expect(f.find((x) => x.rule === 'cnp-peer-missing-namespace')!.message).toContain('run in ingress-nginx');
    // in the add-on's own namespace the peer means what it says
    expect(
      rulesOf(
        lintYaml(
          HEAD.replace('namespace: blog', 'namespace: ingress-nginx') +
            'spec:\n  endpointSelector: {}\n  ingress:\n    - fromEndpoints: [{matchLabels: {app.kubernetes.io/name: ingress-nginx}}]\n',
        ),
      ),
    ).not.toContain('cnp-peer-missing-namespace');
  });

  it('a peer named like another namespace of the run', () => {
    const other = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: payments}\n---\n';
    const f = lintYaml(
      `${other}${HEAD}spec:\n  endpointSelector: {}\n  egress:\n    - toEndpoints: [{matchLabels: {app: payments}}]\n`,
    );
    expect(rulesOf(f)).toContain('cnp-peer-missing-namespace');
  });

  it('a cluster-wide allow that puts every pod into ingress default-deny', () => {
    const f = lintYaml(
      'apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: scrape}\nspec:\n  endpointSelector: {}\n  ingress:\n    - fromEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: monitoring}}]\n',
    );
    expect(f.find((x) => x.rule === 'ccnp-implicit-default-deny')).toMatchObject({
      severity: 'warning',
      path: 'spec.ingress',
      line: 6,
    });
    const explicit = lintYaml(
      'apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: scrape}\nspec:\n  endpointSelector: {}\n  enableDefaultDeny: {ingress: false}\n  ingress:\n    - fromEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: monitoring}}]\n',
    );
    expect(rulesOf(explicit)).not.toContain('ccnp-implicit-default-deny');
  });

  it('a pattern with a wildcard after the top-level domain is dead, not too broad', () => {
    const f = lintYaml(
      `${HEAD}spec:\n  endpointSelector: {}\n  egress:\n    - toEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: kube-system, k8s-app: kube-dns}}]\n      toPorts: [{ports: [{port: "53", protocol: ANY}], rules: {dns: [{matchPattern: "*"}]}}]\n    - toFQDNs: [{matchPattern: "uploads.github.com.*"}]\n`,
    );
    expect(rulesOf(f)).toContain('fqdn-pattern-dead');
    expect(rulesOf(f)).not.toContain('fqdn-pattern-too-broad');
  });

  it("CRD type errors at the field's own line, with the YAML 1.1 reading kubectl uses", () => {
    const f = lintYaml(
      `${HEAD}  labels:\n    team: yes\nspec:\n  endpointSelector:\n    matchLabels:\n      enabled: on\n  egress:\n    - toFQDNs:\n        matchNames: [example.com]\n    - toPorts:\n        - ports:\n            - port: 80\n`,
    );
    const at = (rule: string): Array<[string, number | undefined]> =>
      f.filter((x) => x.rule === rule).map((x) => [x.path, x.line]);
    expect(at('invalid-name')).toEqual([['metadata.labels["team"]', 7]]);
    expect(at('crd-schema')).toEqual([
      ['spec.egress[0].toFQDNs', 13],
      ['spec.egress[1].toPorts[0].ports[0].port', 17],
    ]);
    // the boolean label value is explained once, by invalid-label-selector
    expect(f.filter((x) => x.path.includes('enabled')).map((x) => x.rule)).toEqual([
      'invalid-label-selector',
    ]);
    expect(f.find((x) => x.path === 'spec.egress[1].toPorts[0].ports[0].port')!.fix).toBe(
      'quote the number: "80"',
    );
  });

  it('two policies pasted into one document, names, apiVersions and repeated policies', () => {
    const pasted = lintYaml(
      `${HEAD}spec:\n  endpointSelector: {}\n  ingress: [{}]\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\n`,
    );
    expect(pasted.filter((x) => x.rule === 'duplicate-key').map((x) => [x.path, x.line])).toEqual([
      ['apiVersion', 9],
      ['kind', 10],
    ]);
    const spec = 'spec:\n  endpointSelector: {}\n  ingress: [{}]\n';
    for (const [apiVersion, expected] of [
      ['', 'the document has no apiVersion'],
      ['apiVersion: cilium.io/v1\n', '"cilium.io/v1" is not served'],
      ['apiVersion: cilium.io/v2alpha1\n', '"cilium.io/v2alpha1" is not served'],
    ]) {
      const f = lintYaml(`${apiVersion}kind: CiliumClusterwideNetworkPolicy\nmetadata: {name: all}\n${spec}`);
      expect(f.find((x) => x.rule === 'invalid-api-version')!.message).toContain(expected);
    }
    expect(rulesOf(lintYaml(`${HEAD.replace('name: web', 'name: Web_Policy')}${spec}`))).toContain(
      'invalid-name',
    );
    const twice = lintYaml(
      `${HEAD}${spec}---\n${HEAD}spec:\n  endpointSelector: {matchLabels: {app: x}}\n  ingress: [{}]\n`,
    );
    expect(twice.filter((x) => x.rule === 'duplicate-policy').map((x) => x.line)).toEqual([4, 13]);
    expect(rulesOf(lintYaml(`${HEAD}${spec}---\n${HEAD}${spec}`))).not.toContain('duplicate-policy');
  });

  it('unrendered substitutions are one warning, not invalid-value errors', () => {
    const f = lintYaml(
      'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: pgo-${APP}\n  namespace: ${NS}\nspec:\n  endpointSelector: {matchLabels: {app: "<app>"}}\n  egress:\n    - toCIDR: ["${NAS_IP}/32"]\n    - toPorts: [{ports: [{port: "${PORT:=5432}", protocol: TCP}]}]\n',
    );
    expect(f.map((x) => [x.rule, x.severity])).toEqual([['unrendered-substitution', 'warning']]);
    expect(f[0].message).toContain('${APP}, ${NS}, <app>, ${NAS_IP}, ${PORT:=5432}');
  });

  it('a policy without namespace is reported, and proves nothing about the default namespace', () => {
    const noNs =
      'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: allow-dns}\nspec:\n  endpointSelector: {}\n  egress:\n    - toEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: kube-system, k8s-app: kube-dns}}]\n      toPorts: [{ports: [{port: "53", protocol: ANY}], rules: {dns: [{matchPattern: "*"}]}}]\n';
    const fqdn = `${HEAD}spec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toFQDNs: [{matchName: example.com}]\n`;
    const f = lintYaml(`${noNs}---\n${fqdn}`);
    expect(f.filter((x) => x.rule === 'namespace-unknown').map((x) => x.name)).toEqual(['allow-dns']);
    // the component may be rendered into blog: the FQDN rule is not reported as lacking DNS
    expect(rulesOf(f)).not.toContain('fqdn-without-dns-proxy');
    expect(rulesOf(lintYaml(fqdn))).toContain('fqdn-without-dns-proxy');
  });

  it('a subject on the cluster label selects every pod of the cluster', () => {
    const dns =
      'apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: allow-dns}\nspec:\n  endpointSelector: {matchLabels: {io.cilium.k8s.policy.cluster: default}}\n  egress:\n    - toEndpoints: [{matchLabels: {io.kubernetes.pod.namespace: kube-system, k8s-app: kube-dns}}]\n      toPorts: [{ports: [{port: "53", protocol: UDP}], rules: {dns: [{matchPattern: "*"}]}}]\n';
    const fqdn = `${HEAD}spec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toFQDNs: [{matchName: example.com}]\n`;
    expect(rulesOf(lintYaml(`${dns}---\n${fqdn}`))).not.toContain('fqdn-without-dns-proxy');
    expect(rulesOf(lintYaml(`${dns.replace('cluster: default', 'cluster: other')}---\n${fqdn}`))).toContain(
      'fqdn-without-dns-proxy',
    );
  });

  it('a CCNP with only enableDefaultDeny puts nothing into default-deny (and is rejected)', () => {
    const f = lintYaml(
      'apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: default-deny}\nspec:\n  endpointSelector: {}\n  enableDefaultDeny: {ingress: true, egress: true}\n',
    );
    expect(rulesOf(f)).toContain('rule-without-sections');
    expect(rulesOf(f)).not.toContain('ccnp-default-deny-without-dns');
  });
});
