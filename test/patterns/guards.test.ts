import {
  CiliumPolicy,
  ClusterDefaultDeny,
  EgressDenyRule,
  EgressRule,
  EndpointSelector,
  Entity,
  Fqdn,
  FqdnEgress,
  IngressController,
  IngressOnlyApp,
  IngressRule,
  Peer,
  Port,
  TieredApp,
} from '../../lib';
import { onlyPolicy, policiesOf, synthChecked, testChart } from '../support/synth';

/** Policies Cilium accepts that would quietly break traffic: refused at construct time. */
describe('guards against silently broken policies', () => {
  test('a deny-only direction must say whether it default-denies (docs/cilium-semantics.md, "Default deny")', () => {
    const props = {
      namespace: 'a',
      endpointSelector: EndpointSelector.labels({ app: 'x' }),
      egressDeny: [new EgressDenyRule({ to: Peer.entities(Entity.WORLD), ports: [Port.tcp(25)] })],
    };
    expect(() => new CiliumPolicy(testChart(), 'p', props)).toThrow(
      'test/p: egressDeny = "1 deny rule(s)": a rule with only egress deny rules also makes the pods egress default-deny',
    );
    const chart = testChart();
    new CiliumPolicy(chart, 'p', { ...props, enableDefaultDeny: { egress: false } });
    expect(onlyPolicy(synthChecked(chart)).spec.enableDefaultDeny).toEqual({ egress: false });
  });

  test('egress named ports only on pod peers (docs/cilium-semantics.md, "Named ports")', () => {
    expect(
      () =>
        new FqdnEgress(testChart(), 'f', {
          namespace: 'a',
          pods: EndpointSelector.labels({ app: 'x' }),
          fqdns: [Fqdn.name('a.com')],
          ports: [Port.named('https')],
        }),
    ).toThrow(
      "egress named ports resolve against the destination pods' container ports, so on a fqdns peer they allow nothing",
    );
    const chart = testChart();
    new CiliumPolicy(chart, 'p', {
      namespace: 'a',
      endpointSelector: EndpointSelector.labels({ app: 'x' }),
      egress: [EgressRule.allowTo(Peer.endpoints(EndpointSelector.labels({ app: 'y' })), Port.named('http'))],
    });
    expect(onlyPolicy(synthChecked(chart)).spec.egress[0].toPorts[0].ports).toEqual([
      { port: 'http', protocol: 'TCP' },
    ]);
  });

  test('a namespace key in a CNP subject is refused (docs/cilium-semantics.md, "Selectors")', () => {
    expect(
      () =>
        new CiliumPolicy(testChart(), 'p', {
          namespace: 'a',
          endpointSelector: EndpointSelector.labels({ 'io.kubernetes.pod.namespace': 'b' }),
          ingress: [IngressRule.allowFrom(Peer.entities(Entity.HOST))],
        }),
    ).toThrow(
      'test/p: endpointSelector = "io.kubernetes.pod.namespace": Cilium scopes a CiliumNetworkPolicy subject to the policy namespace itself',
    );
  });

  test('a custom ingress controller must name its namespace', () => {
    const props = {
      namespace: 'blog',
      pods: EndpointSelector.labels({ app: 'blog' }),
      ports: [Port.tcp(80)],
    };
    expect(
      () =>
        new IngressOnlyApp(testChart(), 'a', {
          ...props,
          ingressController: IngressController.fromSelector(EndpointSelector.labels({ app: 'haproxy' })),
        }),
    ).toThrow('test/a: ingressController = "custom": the ingress controller selector names no namespace');
    expect(
      () =>
        new IngressOnlyApp(testChart(), 'a', {
          ...props,
          ingressController: IngressController.fromSelector(
            EndpointSelector.namespaceLabels({ role: 'edge' }),
          ),
        }),
    ).not.toThrow();
  });

  test('the Traefik preset follows the chart: instance label <release>-<namespace>', () => {
    const chart = testChart();
    new IngressOnlyApp(chart, 'a', {
      namespace: 'blog',
      pods: EndpointSelector.labels({ app: 'blog' }),
      ports: [Port.tcp(80)],
      ingressController: IngressController.traefik({ namespace: 'kube-system' }),
    });
    expect(onlyPolicy(synthChecked(chart)).spec.ingress[0].fromEndpoints).toEqual([
      {
        matchLabels: {
          'app.kubernetes.io/instance': 'traefik-kube-system',
          'k8s:io.kubernetes.pod.namespace': 'kube-system',
        },
      },
    ]);
  });

  test('TieredApp: extra rules per tier and for the front egress; dns without the lock-down is refused', () => {
    const base = {
      namespace: 'shop',
      ingressController: IngressController.traefik(),
      front: { name: 'web', pods: EndpointSelector.labels({ app: 'web' }), ports: [Port.tcp(3000)] },
      backends: [
        {
          name: 'db',
          pods: EndpointSelector.labels({ app: 'db' }),
          ports: [Port.tcp(5432)],
          additionalIngress: [
            IngressRule.allowFrom(Peer.endpoints(EndpointSelector.labels({ app: 'backup' })), Port.tcp(5432)),
          ],
        },
      ],
    };
    const chart = testChart();
    new TieredApp(chart, 't', {
      ...base,
      lockDownFrontEgress: true,
      additionalFrontEgress: [EgressRule.allowTo(Peer.entities(Entity.KUBE_APISERVER))],
    });
    const [front, db] = policiesOf(synthChecked(chart));
    expect(front.spec.egress[2]).toEqual({ toEntities: ['kube-apiserver'] });
    expect(db.spec.ingress[2].fromEndpoints).toEqual([
      { matchLabels: { app: 'backup', 'k8s:io.kubernetes.pod.namespace': 'shop' } },
    ]);
    expect(() => new TieredApp(testChart(), 't', { ...base, dns: {} })).toThrow(
      'test/t: dns = "set": only used when the front egress is locked down',
    );
  });

  test('ClusterDefaultDeny with egress: the DNS pods keep their upstream resolvers and the API server; pods may get the API server', () => {
    const chart = testChart();
    new ClusterDefaultDeny(chart, 'd', {
      exemptNamespaces: ['monitoring'],
      egress: true,
      allowKubeApiserver: true,
    });
    const policy = onlyPolicy(synthChecked(chart));
    expect(policy.specs[0].egress[1]).toEqual({ toEntities: ['kube-apiserver'] });
    expect(policy.specs[1].egress).toEqual([
      {
        toEntities: ['host', 'remote-node', 'world'],
        toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }] }],
      },
      { toEntities: ['kube-apiserver'] },
    ]);
    expect(() => new ClusterDefaultDeny(testChart(), 'd', { allowKubeApiserver: true })).toThrow(
      'test/d: allowKubeApiserver = true: only used when egress is default-denied too',
    );
  });

  test('ClusterDefaultDeny: the DNS allowance follows a custom dnsServer', () => {
    const chart = testChart();
    new ClusterDefaultDeny(chart, 'd', {
      exemptNamespaces: [],
      dns: {
        dnsServer: Peer.endpoints(
          EndpointSelector.labels({ 'k8s-app': 'node-local-dns' }, { namespace: 'kube-system' }),
        ),
      },
    });
    expect(onlyPolicy(synthChecked(chart)).specs[1].endpointSelector).toEqual({
      matchLabels: { 'k8s-app': 'node-local-dns', 'k8s:io.kubernetes.pod.namespace': 'kube-system' },
    });
  });
});
