import { EndpointSelector, Fqdn, FqdnEgress, Port } from '../../lib';
import { onlyPolicy, synthChecked, testChart } from '../support/synth';
import { DnsQueries } from '../../lib/patterns/common';

describe('FqdnEgress', () => {
  const base = {
    namespace: 'argocd',
    pods: EndpointSelector.labels({ 'app.kubernetes.io/part-of': 'argocd' }),
    fqdns: [Fqdn.domainAndSubdomains('github.com'), Fqdn.pattern('*.githubusercontent.com')],
  };

  test('snapshot: the ArgoCD policy from the blog, fixed (GitHub + API server + argocd-to-argocd)', () => {
    const chart = testChart();
    new FqdnEgress(chart, 'argocd', { ...base, allowKubeApiserver: true, allowSameNamespace: true });
    expect(synthChecked(chart)).toMatchSnapshot();
  });

  test('the DNS companion rule to kube-dns has rules.dns, in the same policy', () => {
    const chart = testChart();
    new FqdnEgress(chart, 'argocd', base);
    const egress = onlyPolicy(synthChecked(chart)).spec.egress;
    expect(egress[0]).toEqual({
      toEndpoints: [
        { matchLabels: { 'k8s-app': 'kube-dns', 'k8s:io.kubernetes.pod.namespace': 'kube-system' } },
      ],
      toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }],
    });
    expect(egress[1]).toEqual({
      toFQDNs: [
        { matchName: 'github.com' },
        { matchPattern: '**.github.com' },
        { matchPattern: '*.githubusercontent.com' },
      ],
      toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }],
    });
    expect(egress).toHaveLength(2);
  });

  test('domainAndSubdomains covers the apex that *.x never matches', () => {
    expect(Fqdn.domainAndSubdomains('github.com')._render('f')).toEqual([
      { matchName: 'github.com' },
      { matchPattern: '**.github.com' },
    ]);
  });

  test('restricted DNS queries list the extra names, the cluster domain and always the allowed names', () => {
    const chart = testChart();
    new FqdnEgress(chart, 'argocd', {
      ...base,
      fqdns: [Fqdn.name('github.com')],
      dns: { dnsQueries: DnsQueries.only([Fqdn.name('api.github.com')]) },
    });
    expect(onlyPolicy(synthChecked(chart)).spec.egress[0].toPorts[0].rules.dns).toEqual([
      { matchName: 'api.github.com' },
      { matchName: 'github.com' },
      { matchPattern: '**.cluster.local' },
    ]);
  });

  test('API server with ports, custom ports, and the kube-apiserver entity', () => {
    const chart = testChart();
    new FqdnEgress(chart, 'argocd', {
      ...base,
      ports: [Port.tcp(443), Port.tcp(22)],
      allowKubeApiserver: [Port.tcp(6443)],
    });
    const egress = onlyPolicy(synthChecked(chart)).spec.egress;
    expect(egress[1].toPorts[0].ports).toEqual([
      { port: '22', protocol: 'TCP' },
      { port: '443', protocol: 'TCP' },
    ]);
    expect(egress[2]).toEqual({
      toEntities: ['kube-apiserver'],
      toPorts: [{ ports: [{ port: '6443', protocol: 'TCP' }] }],
    });
  });

  test.each([
    ['no names', { fqdns: [] }, 'test/f: fqdns = []: no DNS names given'],
    [
      'invalid pattern',
      { fqdns: [Fqdn.pattern('git hub.com')] },
      'test/f: fqdns[0] = "git hub.com": only letters, digits',
    ],
    [
      'match-everything pattern',
      { fqdns: [Fqdn.pattern('*')] },
      'test/f: fqdns[0] = "*": this pattern matches every DNS name',
    ],
    ['star in a name', { fqdns: [Fqdn.name('*.github.com')] }, 'a name cannot contain `*`'],
    ['empty pods selector', { pods: EndpointSelector.all() }, 'test/f: pods = {}: an empty selector'],
  ])('bad props: %s', (_name, override, message) => {
    expect(() => new FqdnEgress(testChart(), 'f', { ...base, ...override } as any)).toThrow(message);
  });
});
