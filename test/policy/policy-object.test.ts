import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
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
import { buildHomelab } from '../../examples/homelab/main';
import { build as argocd } from '../../examples/argocd/main';
import { build as clusterDefaultDeny } from '../../examples/cluster-default-deny/main';
import { build as connection } from '../../examples/connection/main';
import { build as customPolicy } from '../../examples/custom-policy/main';
import { build as fqdnEgress } from '../../examples/fqdn-egress/main';
import { build as ingressControllerPolicy } from '../../examples/ingress-controller-policy/main';
import { build as ingressOnlyApp } from '../../examples/ingress-only-app/main';
import { build as sameNamespaceTraffic } from '../../examples/same-namespace-traffic/main';
import { build as tieredApp } from '../../examples/tiered-app/main';

/** Every kind of field a policy renders, in a CNP of several rules and in a CCNP. */
function everyField(app: App): void {
  const chart = new Chart(app, 'fields');
  const rules = {
    ingress: [
      new IngressRule({
        from: Peer.endpoints(
          EndpointSelector.labels(
            { tier: 'front', app: 'web' },
            { expressions: [LabelExpression.in('env', ['prod', 'dev']), LabelExpression.exists('team')] },
          ),
        ),
        ports: [Port.tcp(8080), Port.tcpRange(9000, 9010), Port.named('metrics', L4Protocol.UDP)],
      }),
      new IngressRule({
        from: Peer.endpoints(EndpointSelector.labels({ app: 'web' })),
        ports: [Port.tcp(80)],
        http: [HttpRule.of({ method: 'GET|HEAD', path: '/api/.*', headers: ['X-Team: a'] })],
      }),
      new IngressRule({ from: Peer.entities(Entity.CLUSTER), icmps: [Icmp.echoRequest(), Icmp.v6(128)] }),
      IngressRule.allowFrom(Peer.cidr('10.0.0.0/8', { except: ['10.96.0.0/12'] }), Port.tcp(443)),
    ],
    ingressDeny: [new IngressDenyRule({ from: Peer.cidr('192.0.2.0/24') })],
    egress: [
      new EgressRule({ to: Peer.kubeDns(), ports: [Port.any(53)], dns: [Fqdn.pattern('*.example.com')] }),
      new EgressRule({ to: Peer.fqdns(Fqdn.name('api.example.com')), ports: [Port.tcp(443)] }),
      EgressRule.allowTo(Peer.entities(Entity.KUBE_APISERVER, Entity.WORLD)),
    ],
    egressDeny: [
      new EgressDenyRule({ to: Peer.entities(Entity.WORLD), icmps: [Icmp.anyType(IcmpFamily.IPV4)] }),
    ],
  };
  new CiliumPolicy(chart, 'several', {
    namespace: 'shop',
    description: 'every field',
    metadata: {
      labels: { team: 'a', app: 'z' },
      annotations: { 'example.com/b': '2', 'example.com/a': '1' },
    },
    endpointSelector: EndpointSelector.labels({ app: 'api' }),
    ...rules,
    additionalRules: [
      {
        endpointSelector: EndpointSelector.labels({ app: 'worker' }),
        ingress: [IngressRule.allowFrom(Peer.entities(Entity.HOST))],
        enableDefaultDeny: { ingress: false },
      },
    ],
  });
  new CiliumPolicy(chart, 'clusterwide', {
    clusterwide: true,
    endpointSelector: EndpointSelector.all(),
    ...rules,
    enableDefaultDeny: { ingress: false, egress: false },
  });
  new CiliumPolicy(chart, 'clusterwide-several', {
    clusterwide: true,
    endpointSelector: EndpointSelector.labels({ app: 'api' }, { namespace: 'shop' }),
    ...rules,
    additionalRules: [{ endpointSelector: EndpointSelector.all(), egress: rules.egress }],
  });
}

const APPS: Array<[string, (app: App) => unknown]> = [
  ['every field', everyField],
  ['the homelab', buildHomelab],
  ['argocd', argocd],
  ['cluster-default-deny', clusterDefaultDeny],
  ['connection', connection],
  ['custom-policy', customPolicy],
  ['fqdn-egress', fqdnEgress],
  ['ingress-controller-policy', ingressControllerPolicy],
  ['ingress-only-app', ingressOnlyApp],
  ['same-namespace-traffic', sameNamespaceTraffic],
  ['tiered-app', tieredApp],
];

/** An app whose resolvers include one of the user's, which leaves every value to cdk8s's resolution. */
function appResolvingEverything(): App {
  return new App({ outdir: Testing.app().outdir, resolvers: [{ resolve: () => undefined }] });
}

describe("a policy's manifest is cdk8s's own rendering of it, key for key", () => {
  test.each(APPS)('%s', (_name, build) => {
    const direct = Testing.app();
    build(direct);
    const resolved = appResolvingEverything();
    build(resolved);
    expect(direct.synthYaml()).toEqual(resolved.synthYaml());
  });

  test("the policies' own rendering is the one used, unless the app has resolvers of its own", () => {
    const rendersThroughCdk8s = jest.spyOn(ApiObject.prototype, 'toJson');
    try {
      for (const [app, expected] of [
        [Testing.app(), false],
        [appResolvingEverything(), true],
      ] as const) {
        everyField(app);
        rendersThroughCdk8s.mockClear();
        const policies = app.node.findAll().filter((c): c is CiliumPolicy => c instanceof CiliumPolicy);
        for (const p of policies) p.apiObject.toJson();
        expect(rendersThroughCdk8s.mock.calls.length > 0).toBe(expected);
      }
    } finally {
      rendersThroughCdk8s.mockRestore();
    }
  });

  test('JSON patches apply', () => {
    const chart = new Chart(Testing.app(), 'patched');
    const policy = new CiliumPolicy(chart, 'p', {
      namespace: 'shop',
      endpointSelector: EndpointSelector.labels({ app: 'api' }),
      ingress: [IngressRule.allowFrom(Peer.entities(Entity.CLUSTER))],
    });
    policy.apiObject.addJsonPatch(JsonPatch.add('/spec/description', 'patched'));
    const [manifest] = Testing.synth(chart);
    expect(manifest.spec).toEqual({
      description: 'patched',
      endpointSelector: { matchLabels: { app: 'api' } },
      ingress: [{ fromEntities: ['cluster'] }],
    });
  });

  test('a value the rules render that is not plain data is left to cdk8s, which refuses it', () => {
    const chart = new Chart(Testing.app(), 'odd');
    const policy = new CiliumPolicy(chart, 'p', {
      namespace: 'shop',
      endpointSelector: EndpointSelector.labels({ app: 'api' }),
      ingress: [IngressRule.allowFrom(Peer.entities(Entity.CLUSTER))],
    });
    // As from JavaScript, after construction: a description that is a Map.
    (policy as unknown as { specs: Array<{ description: unknown }> }).specs[0].description = new Map();
    expect(() => policy.apiObject.toJson()).toThrow(
      `Failed serializing construct at path '${policy.apiObject.node.path}'`,
    );
  });
});
