import * as plus from 'cdk8s-plus-28';
import {
  CiliumPolicy,
  EgressDenyRule,
  EgressRule,
  EndpointSelector,
  Entity,
  Fqdn,
  HttpRule,
  Icmp,
  IcmpFamily,
  IngressDenyRule,
  IngressRule,
  L4Protocol,
  LabelExpression,
  Peer,
  Port,
} from '../../lib';
import { onlyPolicy, synthChecked, testChart } from '../support/synth';

function render(
  rule: IngressRule | EgressRule,
  extra: Partial<ConstructorParameters<typeof CiliumPolicy>[2]> = {},
) {
  const chart = testChart();
  new CiliumPolicy(chart, 'p', {
    namespace: 'shop',
    endpointSelector: EndpointSelector.labels({ app: 'api' }),
    ...(rule instanceof IngressRule ? { ingress: [rule] } : { egress: [rule] }),
    ...extra,
  });
  return onlyPolicy(synthChecked(chart));
}

describe('ports', () => {
  test.each([
    [Port.tcp(80), { port: '80', protocol: 'TCP' }],
    [Port.udp(53), { port: '53', protocol: 'UDP' }],
    [Port.any(53), { port: '53', protocol: 'ANY' }],
    [Port.sctp(9899), { port: '9899', protocol: 'SCTP' }],
    [Port.tcpRange(8000, 8100), { port: '8000', endPort: 8100, protocol: 'TCP' }],
    [Port.named('HTTP-metrics'), { port: 'http-metrics', protocol: 'TCP' }],
    [Port.allPorts(L4Protocol.UDP), { port: '0', protocol: 'UDP' }],
  ])('%o renders with an explicit protocol', (port, expected) => {
    expect(port._render('p')).toEqual(expected);
  });

  test.each([
    [Port.tcp(0), 'p.port = 0: a port must be an integer from 1 to 65535'],
    [Port.tcp(65536), 'p.port = 65536'],
    [Port.tcp(1.5), 'p.port = 1.5'],
    [Port.tcpRange(8100, 8000), 'p.endPort = 8000: a range must end above its start (8100)'],
    [Port.named('0x10-'), 'not a valid port name'],
    [Port.named('http--x'), 'not a valid port name'],
  ])('rejects %o', (port, message) => {
    expect(() => port._render('p')).toThrow(message);
  });

  test('more than 40 ports are split over several toPorts entries (Cilium rejects more than 40 in one)', () => {
    const ports = Array.from({ length: 45 }, (_, i) => Port.tcp(10000 + i));
    const policy = render(IngressRule.allowFrom(Peer.entities(Entity.CLUSTER), ...ports));
    expect(policy.spec.ingress[0].toPorts.map((t: any) => t.ports.length)).toEqual([40, 5]);
  });

  test('a Service with a named targetPort resolves against the workload containers', () => {
    const chart = testChart();
    const deployment = new plus.Deployment(chart, 'd', {
      containers: [{ image: 'x', ports: [{ number: 9000, name: 'web' }] }],
    });
    const manifest = { metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 'web' }] } };
    expect(Port.fromServiceManifest(manifest, 80, deployment)._render('p')).toEqual({
      port: '9000',
      protocol: 'TCP',
    });
    expect(Port.fromServiceManifest(manifest)._render('p')).toEqual({ port: 'web', protocol: 'TCP' });
    expect(() => Port.fromServiceManifest(manifest, 81)).toThrow(
      'servicePort = 81: Service s has no such port. Fix: use one of 80',
    );
  });
});

describe('selectors', () => {
  test('labels, namespace and all four operators', () => {
    const selector = EndpointSelector.labels(
      { app: 'api' },
      {
        namespace: 'shop',
        expressions: [
          LabelExpression.in('tier', ['b', 'a']),
          LabelExpression.notIn('env', ['dev']),
          LabelExpression.exists('team'),
          LabelExpression.doesNotExist('canary'),
        ],
      },
    );
    expect(selector._render('s')).toEqual({
      matchLabels: { app: 'api', 'k8s:io.kubernetes.pod.namespace': 'shop' },
      matchExpressions: [
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'env', operator: 'NotIn', values: ['dev'] },
        { key: 'team', operator: 'Exists' },
        { key: 'tier', operator: 'In', values: ['a', 'b'] },
      ],
    });
  });

  test('a peer without a namespace gets the policy namespace written out in a CNP', () => {
    const policy = render(
      IngressRule.allowFrom(Peer.endpoints(EndpointSelector.labels({ app: 'web' })), Port.tcp(80)),
    );
    expect(policy.spec.ingress[0].fromEndpoints).toEqual([
      { matchLabels: { app: 'web', 'k8s:io.kubernetes.pod.namespace': 'shop' } },
    ]);
  });

  test('namespace labels select pods of other namespaces', () => {
    expect(EndpointSelector.namespaceLabels({ team: 'a' })._render('s')).toEqual({
      matchLabels: { 'k8s:io.cilium.k8s.namespace.labels.team': 'a' },
    });
  });

  test.each([
    [
      EndpointSelector.labels({ 'pod-template-hash': 'x' }),
      'Cilium leaves this label out of security identities',
    ],
    [
      EndpointSelector.labels({ 'statefulset.kubernetes.io/pod-name': 'db-0' }),
      'Cilium leaves this label out',
    ],
    [EndpointSelector.labels({ reserved: 'health' }), 'reserved labels need a colon'],
    [EndpointSelector.labels({ 'a:b:c': 'x' }), 'at most one `:`'],
    [EndpointSelector.labels({ app: 'bad value!' }), 'not a valid label value'],
    [EndpointSelector.expressions([LabelExpression.in('tier', [])]), 'In needs at least one value'],
    [EndpointSelector.labels({ app: 'x' }, { namespace: 'Bad_NS' }), 'not a valid namespace name'],
  ])('rejects bad selectors (%#)', (selector, message) => {
    expect(() => selector._render('s')).toThrow(message);
  });
});

describe('entities, CIDRs, FQDNs, L7', () => {
  test('entities are limited to the 1.20 CRD enum, refused at synth under the construct path', () => {
    expect(Entity.of('kube-apiserver')).toEqual(Entity.KUBE_APISERVER);
    expect(() => render(IngressRule.allowFrom(Peer.entities(Entity.of('world-ipv4'))))).toThrow(
      'the 1.20 CRD rejects the family-specific world entities',
    );
    expect(() => render(IngressRule.allowFrom(Peer.entities(Entity.HOST, Entity.of('nodes'))))).toThrow(
      'test/p: ingress[0].from[1].entity = "nodes": not an entity Cilium 1.20 accepts',
    );
  });

  test('CIDR with except, IPv4 and IPv6', () => {
    expect(Peer.cidr('10.0.0.0/8', { except: ['10.96.0.0/12'] })._render('p', {})).toEqual({
      cidrs: [{ cidr: '10.0.0.0/8', except: ['10.96.0.0/12'] }],
    });
    expect(Peer.cidr('2001:db8::/32', { except: ['2001:db8:1::/48'] })._render('p', {}).cidrs).toHaveLength(
      1,
    );
    expect(() => Peer.cidr('10.0.0.0/16', { except: ['10.0.0.0/8'] })._render('p', {})).toThrow(
      'not inside 10.0.0.0/16',
    );
    expect(() => Peer.cidr('10.0.0.1')._render('p', {})).toThrow('not a CIDR in prefix notation');
  });

  test('HTTP rules force protocol TCP', () => {
    const policy = render(
      new IngressRule({
        from: Peer.endpoints(EndpointSelector.labels({ app: 'web' })),
        ports: [Port.any(8080)],
        http: [
          HttpRule.of({
            method: 'GET|HEAD',
            path: '/api/.*',
            host: 'api\\.example\\.com',
            headers: ['X-Team: a'],
          }),
        ],
      }),
    );
    expect(policy.spec.ingress[0].toPorts).toEqual([
      {
        ports: [{ port: '8080', protocol: 'TCP' }],
        rules: {
          http: [
            { method: 'GET|HEAD', path: '/api/.*', host: 'api\\.example\\.com', headers: ['X-Team: a'] },
          ],
        },
      },
    ]);
  });

  test.each([
    [
      'HTTP on UDP',
      new IngressRule({
        from: Peer.entities(Entity.CLUSTER),
        ports: [Port.udp(80)],
        http: [HttpRule.get()],
      }),
      'HTTP rules only work on TCP',
    ],
    [
      'L7 on every port',
      new IngressRule({
        from: Peer.entities(Entity.CLUSTER),
        ports: [Port.allPorts(L4Protocol.TCP)],
        http: [HttpRule.get()],
      }),
      'L7 rules cannot apply to every port',
    ],
    [
      'L7 without ports',
      new IngressRule({ from: Peer.entities(Entity.CLUSTER), http: [HttpRule.get()] }),
      'L7 rules need explicit ports',
    ],
    [
      'bad regex',
      new IngressRule({
        from: Peer.entities(Entity.CLUSTER),
        ports: [Port.tcp(80)],
        http: [HttpRule.get('/api/(')],
      }),
      'not a valid regular expression',
    ],
    [
      'DNS names on ingress',
      new IngressRule({ from: Peer.fqdns(Fqdn.name('a.com')) }),
      'DNS names can only be egress peers',
    ],
    [
      'DNS rule with a range',
      new EgressRule({ to: Peer.kubeDns(), ports: [Port.udpRange(53, 54)], dns: [Fqdn.pattern('*')] }),
      'DNS rules do not support port ranges',
    ],
    [
      'empty peer list',
      IngressRule.allowFrom(Peer.endpoints(), Port.tcp(80)),
      'an empty endpoints list selects nothing',
    ],
    [
      'neither peer nor ports',
      new IngressRule({ from: Peer.anyPeer() }),
      'a rule with neither a peer nor ports matches nothing',
    ],
  ])('rejects %s with the construct path', (_name, rule, message) => {
    expect(() => render(rule)).toThrow(message);
    expect(() => render(rule)).toThrow(/^test\/p: /);
  });

  test('deny rules render without L7 and reject DNS names', () => {
    const chart = testChart();
    new CiliumPolicy(chart, 'p', {
      clusterwide: true,
      endpointSelector: EndpointSelector.labels({ app: 'api' }, { namespace: 'shop' }),
      ingressDeny: [new IngressDenyRule({ from: Peer.entities(Entity.WORLD), ports: [Port.tcp(22)] })],
      egressDeny: [new EgressDenyRule({ to: Peer.cidr('169.254.169.254/32') })],
      ingress: [IngressRule.allowFrom(Peer.entities(Entity.ALL))],
      enableDefaultDeny: { ingress: false, egress: false },
    });
    const policy = onlyPolicy(synthChecked(chart));
    expect(policy.kind).toBe('CiliumClusterwideNetworkPolicy');
    expect(policy.spec.endpointSelector).toEqual({
      matchLabels: { app: 'api', 'k8s:io.kubernetes.pod.namespace': 'shop' },
    });
    expect(policy.spec.ingressDeny).toEqual([
      { fromEntities: ['world'], toPorts: [{ ports: [{ port: '22', protocol: 'TCP' }] }] },
    ]);
    expect(policy.spec.egressDeny).toEqual([{ toCIDRSet: [{ cidr: '169.254.169.254/32' }] }]);
    expect(policy.spec.enableDefaultDeny).toEqual({ ingress: false, egress: false });
    expect(
      () =>
        new CiliumPolicy(testChart(), 'q', {
          namespace: 'a',
          endpointSelector: EndpointSelector.all(),
          egressDeny: [new EgressDenyRule({ to: Peer.fqdns(Fqdn.name('a.com')) })],
          enableDefaultDeny: { egress: false },
        }),
    ).toThrow('test/q: egressDeny[0].to = "fqdns": deny rules cannot use DNS names');
  });
});

describe('the policy construct', () => {
  test('specs: several rules in one object, description, addIngress/addEgress later', () => {
    const chart = testChart();
    const policy = new CiliumPolicy(chart, 'p', {
      namespace: 'shop',
      name: 'shop-rules',
      description: 'first',
      endpointSelector: EndpointSelector.labels({ app: 'a' }),
      ingress: [IngressRule.allowFrom(Peer.entities(Entity.HOST))],
      additionalRules: [
        {
          description: 'second',
          endpointSelector: EndpointSelector.labels({ app: 'b' }),
          egress: [EgressRule.allowTo(Peer.entities(Entity.KUBE_APISERVER))],
        },
      ],
    });
    policy.addEgress(EgressRule.allowTo(Peer.kubeDns(), Port.any(53)));
    const manifest = onlyPolicy(synthChecked(chart));
    expect(manifest.metadata).toEqual({ name: 'shop-rules', namespace: 'shop' });
    expect(manifest.specs.map((s: any) => s.description)).toEqual(['first', 'second']);
    expect(manifest.specs[0].egress[0].toPorts[0].ports).toEqual([{ port: '53', protocol: 'ANY' }]);
    expect(() => policy.addIngress(IngressRule.allowFrom(Peer.entities(Entity.HOST), Port.tcp(0)))).toThrow(
      'test/p: specs[0].ingress[1].ports[0].port = 0',
    );
    expect(onlyPolicy(synthChecked(chart)).specs[0].ingress).toHaveLength(1);
  });

  test.each([
    [
      {
        endpointSelector: EndpointSelector.all(),
        ingress: [IngressRule.allowFrom(Peer.entities(Entity.HOST))],
      },
      'namespace = undefined: a CiliumNetworkPolicy needs a namespace',
    ],
    [
      {
        namespace: 'a',
        clusterwide: true,
        endpointSelector: EndpointSelector.all(),
        ingress: [IngressRule.allowFrom(Peer.entities(Entity.HOST))],
      },
      'a clusterwide policy has no namespace',
    ],
    [
      { namespace: 'a', endpointSelector: EndpointSelector.all() },
      'a rule needs at least one of ingress, ingressDeny, egress or egressDeny',
    ],
    [
      {
        namespace: 'a',
        endpointSelector: EndpointSelector.labels({ app: 'x' }, { namespace: 'b' }),
        ingress: [IngressRule.allowFrom(Peer.entities(Entity.HOST))],
      },
      'only ever selects pods of that namespace',
    ],
    [
      {
        namespace: 'a',
        endpointSelector: undefined,
        ingress: [IngressRule.allowFrom(Peer.entities(Entity.HOST))],
      },
      'a rule needs an endpoint selector',
    ],
  ])('bad props (%#)', (props, message) => {
    expect(() => new CiliumPolicy(testChart(), 'p', props as any)).toThrow(message);
  });
});

describe('cdk8s-plus workloads with probes', () => {
  test('a CiliumPolicy on a workload with probes always allows ingress from the host', () => {
    const chart = testChart();
    const api = new plus.Deployment(chart, 'api', {
      metadata: { namespace: 'shop' },
      containers: [
        { image: 'api', portNumber: 8080, readiness: plus.Probe.fromHttpGet('/ready', { port: 8080 }) },
      ],
    });
    new CiliumPolicy(chart, 'p', {
      namespace: 'shop',
      endpointSelector: api,
      ingress: [
        IngressRule.allowFrom(Peer.endpoints(EndpointSelector.labels({ app: 'web' })), Port.tcp(8080)),
      ],
    });
    expect(onlyPolicy(synthChecked(chart)).spec.ingress[1]).toEqual({ fromEntities: ['host'] });
  });

  test('not added when the host is already allowed, or without probes', () => {
    const chart = testChart();
    const api = new plus.Deployment(chart, 'api', {
      metadata: { namespace: 'shop' },
      containers: [{ image: 'api', portNumber: 8080 }],
    });
    new CiliumPolicy(chart, 'p', {
      namespace: 'shop',
      endpointSelector: api,
      ingress: [IngressRule.allowFrom(Peer.entities(Entity.CLUSTER))],
    });
    expect(onlyPolicy(synthChecked(chart)).spec.ingress).toHaveLength(1);
  });
});

describe('ICMP', () => {
  test('icmps render through the L1 types, for allow and deny rules', () => {
    const chart = testChart();
    new CiliumPolicy(chart, 'p', {
      namespace: 'shop',
      endpointSelector: EndpointSelector.labels({ app: 'api' }),
      ingress: [
        new IngressRule({
          from: Peer.entities(Entity.CLUSTER),
          icmps: [Icmp.echoRequest(), Icmp.v6(128), Icmp.v4(8)],
        }),
      ],
      egressDeny: [
        new EgressDenyRule({ to: Peer.entities(Entity.WORLD), icmps: [Icmp.anyType(IcmpFamily.IPV4)] }),
      ],
      egress: [EgressRule.allowTo(Peer.entities(Entity.CLUSTER))],
    });
    const spec = onlyPolicy(synthChecked(chart)).spec;
    expect(spec.ingress[0]).toEqual({
      fromEntities: ['cluster'],
      icmps: [
        {
          fields: [
            { family: 'IPv4', type: 'EchoRequest' },
            { family: 'IPv4', type: 8 },
            { family: 'IPv6', type: 128 },
          ],
        },
      ],
    });
    expect(spec.egressDeny[0]).toEqual({
      toEntities: ['world'],
      icmps: [{ fields: [{ family: 'IPv4', type: 0 }] }],
    });
  });

  test.each([
    [
      new IngressRule({ from: Peer.entities(Entity.CLUSTER), icmps: [Icmp.v4(0)] }),
      'Cilium treats ICMP type 0 (EchoReply) as "every type of the family"',
    ],
    [
      new IngressRule({ from: Peer.entities(Entity.CLUSTER), icmps: [Icmp.v4('Pong')] }),
      'not an IPv4 ICMP type',
    ],
    [
      new IngressRule({ from: Peer.entities(Entity.CLUSTER), icmps: [Icmp.v4(300)] }),
      'not an IPv4 ICMP type',
    ],
    [
      new IngressRule({
        from: Peer.entities(Entity.CLUSTER),
        ports: [Port.tcp(80)],
        icmps: [Icmp.echoRequest()],
      }),
      'Cilium rejects icmps and toPorts in the same rule',
    ],
  ])('rejects bad ICMP rules (%#)', (rule, message) => {
    expect(
      () =>
        new CiliumPolicy(testChart(), 'p', {
          namespace: 'a',
          endpointSelector: EndpointSelector.all(),
          ingress: [rule],
        }),
    ).toThrow(message);
  });
});
