/**
 * Policies our constructs synthesize: the examples, and random props (fast-check) for
 * IngressOnlyApp, TieredApp, FqdnEgress, ClusterDefaultDeny and CiliumPolicy. Every policy a
 * construct lets through synthesis must be accepted by Cilium (oracle and CRD schema).
 */
import { App, Chart, Testing } from 'cdk8s';
import fc from 'fast-check';
import { buildHomelab } from '../../examples/homelab/main';
import { build as clusterDefaultDenyExample } from '../../examples/cluster-default-deny/main';
import { build as customPolicyExample } from '../../examples/custom-policy/main';
import { build as fqdnEgressExample } from '../../examples/fqdn-egress/main';
import { build as ingressOnlyAppExample } from '../../examples/ingress-only-app/main';
import { build as tieredAppExample } from '../../examples/tiered-app/main';
import { build as ingressControllerPolicyExample } from '../../examples/ingress-controller-policy/main';
import { build as argocdExample } from '../../examples/argocd/main';
import { build as sameNamespaceTrafficExample } from '../../examples/same-namespace-traffic/main';
import { build as connectionExample } from '../../examples/connection/main';
import {
  CiliumPolicy,
  ClusterDefaultDeny,
  IngressDenyRule,
  EgressDenyRule,
  DnsQueries,
  EndpointSelector,
  Entity,
  Fqdn,
  FqdnEgress,
  HttpRule,
  IngressController,
  IngressOnlyApp,
  LabelExpression,
  IPeer,
  L4Protocol,
  Peer,
  IngressRule,
  EgressRule,
  Port,
  TieredApp,
} from '../../lib';
import { isCiliumPolicy, KubeManifest } from '../../lib/manifest/types';

export interface SynthesizedPolicies {
  /** `example homelab`, `random FqdnEgress #12` ... */
  readonly origin: string;
  readonly policies: readonly Record<string, unknown>[];
}

/** Runs the app's validations (as `cdk8s synth` does) and returns its Cilium policies. */
function synthPolicies(app: App): KubeManifest[] {
  app.synthYaml();
  return app.charts.flatMap((c) => c.toJson() as KubeManifest[]).filter(isCiliumPolicy);
}

export function examplePolicies(): SynthesizedPolicies[] {
  const examples: [string, (app: App) => unknown][] = [
    ['homelab', buildHomelab],
    ['cluster-default-deny', clusterDefaultDenyExample],
    ['custom-policy', customPolicyExample],
    ['fqdn-egress', fqdnEgressExample],
    ['ingress-only-app', ingressOnlyAppExample],
    ['tiered-app', tieredAppExample],
    ['ingress-controller-policy', ingressControllerPolicyExample],
    ['argocd', argocdExample],
    ['same-namespace-traffic', sameNamespaceTrafficExample],
    ['connection', connectionExample],
  ];
  return examples.map(([name, build]) => {
    const app = Testing.app();
    build(app);
    return { origin: `example ${name}`, policies: synthPolicies(app) };
  });
}

// ---- Random props -----------------------------------------------------------------------------

const NS = ['blog', 'shop', 'kube-system', 'team-a'];
const APP_VALUES = ['fe', 'api', 'db', 'web-1', 'x.y'];

const labelsArb = fc.dictionary(
  fc.constantFrom('app', 'tier', 'app.kubernetes.io/name', 'k8s:role'),
  fc.constantFrom(...APP_VALUES),
  { minKeys: 1, maxKeys: 2 },
);
const expressionArb = fc.oneof(
  fc
    .tuple(fc.constantFrom('app', 'tier'), fc.subarray(APP_VALUES, { minLength: 1, maxLength: 2 }))
    .map(([k, v]) => LabelExpression.in(k, v)),
  fc
    .tuple(fc.constantFrom('app', 'tier'), fc.subarray(APP_VALUES, { minLength: 1, maxLength: 2 }))
    .map(([k, v]) => LabelExpression.notIn(k, v)),
  fc.constantFrom('app', 'tier', 'canary').map((k) => LabelExpression.exists(k)),
  fc.constantFrom('canary').map((k) => LabelExpression.doesNotExist(k)),
);
/** App pods: labels, optionally with expressions and a namespace. */
const podSelectorArb = fc
  .record({
    labels: labelsArb,
    expressions: fc.array(expressionArb, { maxLength: 2 }),
    namespace: fc.option(fc.constantFrom(...NS), { nil: undefined }),
  })
  .map(({ labels, expressions, namespace }) =>
    EndpointSelector.labels(labels, { expressions, ...(namespace ? { namespace } : {}) }),
  );
/** Pods of namespace `ns`: the selector names it, or leaves it to the construct's `namespace` prop. */
const podSelectorIn = (ns: string) =>
  fc
    .record({
      labels: labelsArb,
      expressions: fc.array(expressionArb, { maxLength: 2 }),
      named: fc.boolean(),
    })
    .map(({ labels, expressions, named }) =>
      EndpointSelector.labels(labels, { expressions, ...(named ? { namespace: ns } : {}) }),
    );
const anySelectorArb = fc.oneof(
  podSelectorArb,
  fc.constantFrom(...NS).map((ns) => EndpointSelector.allInNamespace(ns)),
  fc.constant(EndpointSelector.all()),
  fc
    .dictionary(fc.constantFrom('team', 'env'), fc.constantFrom('a', 'prod'), { minKeys: 1, maxKeys: 1 })
    .map((l) => EndpointSelector.namespaceLabels(l)),
  fc.array(expressionArb, { minLength: 1, maxLength: 2 }).map((e) => EndpointSelector.expressions(e)),
);

const portNumber = fc.integer({ min: 1, max: 65535 });
const portArb: fc.Arbitrary<Port> = fc.oneof(
  portNumber.map((n) => Port.tcp(n)),
  portNumber.map((n) => Port.udp(n)),
  portNumber.map((n) => Port.sctp(n)),
  portNumber.map((n) => Port.any(n)),
  fc
    .tuple(fc.integer({ min: 1, max: 60000 }), fc.integer({ min: 1, max: 5000 }))
    .map(([a, d]) => Port.tcpRange(a, a + d)),
  fc
    .tuple(fc.integer({ min: 1, max: 60000 }), fc.integer({ min: 1, max: 5000 }))
    .map(([a, d]) => Port.udpRange(a, a + d)),
  fc.constantFrom('http', 'metrics', 'grpc-web').map((n) => Port.named(n)),
  fc
    .constantFrom(L4Protocol.TCP, L4Protocol.UDP, L4Protocol.SCTP, L4Protocol.ANY)
    .map((p) => Port.allPorts(p)),
);
const tcpPortArb = portNumber.map((n) => Port.tcp(n));

const FQDN_NAMES = ['api.github.com', 'github.com', 'registry-1.docker.io', 'example.org', 'a_b.example.com'];
const fqdnArb: fc.Arbitrary<Fqdn> = fc.oneof(
  fc.constantFrom(...FQDN_NAMES).map((n) => Fqdn.name(n)),
  fc.constantFrom('*.github.com', '**.example.org', 'api-*.example.com').map((p) => Fqdn.pattern(p)),
  fc.constantFrom('github.com', 'example.org').map((d) => Fqdn.domainAndSubdomains(d)),
);
const dnsQueryArb: fc.Arbitrary<Fqdn> = fc.oneof(fqdnArb, fc.constant(Fqdn.pattern('*')));

const entityArb = fc.constantFrom(
  Entity.HOST,
  Entity.REMOTE_NODE,
  Entity.KUBE_APISERVER,
  Entity.INGRESS,
  Entity.HEALTH,
  Entity.INIT,
  Entity.UNMANAGED,
  Entity.WORLD,
  Entity.CLUSTER,
  Entity.ALL,
);
const CIDRS: readonly [string, readonly string[]][] = [
  ['10.0.0.0/8', ['10.1.0.0/16', '10.2.3.4/32']],
  ['192.168.0.0/16', []],
  ['0.0.0.0/0', ['10.0.0.0/8', '172.16.0.0/12']],
  ['2001:db8::/32', ['2001:db8:1::/48']],
  ['1.2.3.4/32', []],
];
const peerArb: fc.Arbitrary<IPeer> = fc.oneof(
  fc.array(anySelectorArb, { minLength: 1, maxLength: 2 }).map((s) => Peer.endpoints(...s)),
  fc.uniqueArray(entityArb, { minLength: 1, maxLength: 3 }).map((e) => Peer.entities(...e)),
  fc
    .constantFrom(...CIDRS)
    .chain(([cidr, ex]) =>
      fc.subarray([...ex]).map((except) => Peer.cidr(cidr, except.length ? { except } : {})),
    ),
  fc.constant(Peer.anyPeer()),
  fc.option(fc.constantFrom(...NS), { nil: undefined }).map((ns) => Peer.kubeDns(ns)),
);
const egressPeerArb: fc.Arbitrary<IPeer> = fc.oneof(
  peerArb,
  fc.array(fqdnArb, { minLength: 1, maxLength: 3 }).map((f) => Peer.fqdns(...f)),
);
const httpArb = fc.array(
  fc.oneof(
    fc.constantFrom('/', '/api/.*', '/healthz').map((p) => HttpRule.get(p)),
    fc
      .record({ method: fc.constantFrom('GET', 'POST', 'PUT'), path: fc.constantFrom('/v1/.*', '/x') })
      .map((r) => HttpRule.of(r)),
  ),
  { minLength: 1, maxLength: 2 },
);

const ports = fc.array(portArb, { minLength: 1, maxLength: 3 });
const ingressRuleArb: fc.Arbitrary<IngressRule> = fc.oneof(
  fc.record({ from: peerArb, ports: fc.option(ports, { nil: undefined }) }).map((p) => new IngressRule(p)),
  fc
    .record({ from: peerArb, ports: fc.array(tcpPortArb, { minLength: 1, maxLength: 2 }), http: httpArb })
    .map((p) => new IngressRule(p)),
);
const egressRuleArb: fc.Arbitrary<EgressRule> = fc.oneof(
  fc.record({ to: egressPeerArb, ports: fc.option(ports, { nil: undefined }) }).map((p) => new EgressRule(p)),
  fc
    .record({ to: egressPeerArb, ports: fc.array(tcpPortArb, { minLength: 1, maxLength: 2 }), http: httpArb })
    .map((p) => new EgressRule(p)),
  fc
    .record({
      to: peerArb,
      ports: fc.array(fc.constantFrom(Port.any(53), Port.udp(53), Port.tcp(5353)), {
        minLength: 1,
        maxLength: 2,
      }),
      dns: fc.array(dnsQueryArb, { minLength: 1, maxLength: 2 }),
    })
    .map((p) => new EgressRule(p)),
);
const denyPorts = fc.option(
  fc.array(
    portArb.filter((p) => typeof p.port === 'number'),
    { minLength: 1, maxLength: 2 },
  ),
  { nil: undefined },
);
const ingressDenyArb = fc.record({ from: peerArb, ports: denyPorts }).map((p) => new IngressDenyRule(p));
const egressDenyArb = fc.record({ to: peerArb, ports: denyPorts }).map((p) => new EgressDenyRule(p));

const controllerArb: fc.Arbitrary<IngressController> = fc.oneof(
  fc
    .record({
      namespace: fc.option(fc.constantFrom(...NS), { nil: undefined }),
      instance: fc.option(fc.constantFrom('traefik', 'edge'), { nil: undefined }),
    })
    .map((o) => IngressController.traefik(o)),
  fc.constant(IngressController.ingressNginx()),
  fc.constant(IngressController.cilium()),
  podSelectorArb.map((s) => IngressController.fromSelector(s)),
);
const dnsOptionsArb = fc.record(
  {
    dnsServer: fc.option(fc.oneof(fc.constant(Peer.kubeDns()), peerArb), { nil: undefined }),
    dnsPort: fc.option(fc.constantFrom(Port.any(53), Port.udp(53), Port.tcp(5353)), { nil: undefined }),
    dnsQueries: fc.option(
      fc.oneof(
        fc.constant(DnsQueries.all()),
        fc.array(dnsQueryArb, { minLength: 1, maxLength: 2 }).map((f) => DnsQueries.only(f)),
      ),
      { nil: undefined },
    ),
  },
  { requiredKeys: [] },
);

type Build = (chart: Chart) => void;

const nsArb = fc.constantFrom(...NS);

const ingressOnlyAppArb: fc.Arbitrary<Build> = nsArb
  .chain((ns) =>
    fc.record({
      pods: podSelectorIn(ns),
      ports,
      ingressController: controllerArb,
      namespace: fc.constant(ns),
      allowHost: fc.option(fc.boolean(), { nil: undefined }),
      additionalIngress: fc.option(fc.array(ingressRuleArb, { maxLength: 2 }), { nil: undefined }),
    }),
  )
  .map((props) => (chart: Chart) => {
    new IngressOnlyApp(chart, 'app', props);
  });

const tierArb = (name: string, ns: string) =>
  fc.record({
    name: fc.constant(name),
    pods: podSelectorIn(ns),
    ports,
    allowHost: fc.option(fc.boolean(), { nil: undefined }),
  });
const tieredAppArb: fc.Arbitrary<Build> = nsArb
  .chain((ns) =>
    fc.record({
      namespace: fc.constant(ns),
      front: tierArb('web', ns),
      backends: fc
        .uniqueArray(fc.constantFrom('db', 'cache', 'queue'), { minLength: 1, maxLength: 3 })
        .chain((names) => fc.tuple(...names.map((n) => tierArb(n, ns)))),
      ingressController: controllerArb,
      lockDownFrontEgress: fc.option(fc.boolean(), { nil: undefined }),
      dns: fc.option(dnsOptionsArb, { nil: undefined }),
    }),
  )
  .map((props) => (chart: Chart) => {
    new TieredApp(chart, 'tiers', props);
  });

const fqdnEgressArb: fc.Arbitrary<Build> = fc
  .tuple(
    nsArb.chain((ns) =>
      fc.record({
        pods: podSelectorIn(ns),
        fqdns: fc.array(fqdnArb, { minLength: 1, maxLength: 3 }),
        ports: fc.option(ports, { nil: undefined }),
        namespace: fc.constant(ns),
        allowKubeApiserver: fc.option(
          fc.oneof(fc.boolean(), fc.array(tcpPortArb, { minLength: 1, maxLength: 2 })),
          { nil: undefined },
        ),
        allowSameNamespace: fc.option(fc.boolean(), { nil: undefined }),
        additionalEgress: fc.option(fc.array(egressRuleArb, { maxLength: 2 }), { nil: undefined }),
      }),
    ),
    dnsOptionsArb,
  )
  .map(([props, dns]) => (chart: Chart) => {
    new FqdnEgress(chart, 'egress', { ...props, dns });
  });

const clusterDefaultDenyArb: fc.Arbitrary<Build> = fc
  .tuple(
    fc.record({
      exemptNamespaces: fc.option(fc.subarray(NS), { nil: undefined }),
      egress: fc.option(fc.boolean(), { nil: undefined }),
      includeReservedEndpoints: fc.option(fc.boolean(), { nil: undefined }),
      dnsNamespace: fc.option(fc.constantFrom(...NS), { nil: undefined }),
    }),
    dnsOptionsArb,
  )
  .map(([props, dns]) => (chart: Chart) => {
    new ClusterDefaultDeny(chart, 'deny', { ...props, dns });
  });

const ciliumPolicyArb: fc.Arbitrary<Build> = fc
  .record({
    clusterwide: fc.boolean(),
    namespace: fc.constantFrom(...NS),
    endpointSelector: anySelectorArb,
    ingress: fc.option(fc.array(ingressRuleArb, { maxLength: 3 }), { nil: undefined }),
    ingressDeny: fc.option(fc.array(ingressDenyArb, { maxLength: 2 }), { nil: undefined }),
    egress: fc.option(fc.array(egressRuleArb, { maxLength: 3 }), { nil: undefined }),
    egressDeny: fc.option(fc.array(egressDenyArb, { maxLength: 2 }), { nil: undefined }),
    enableDefaultDeny: fc.option(
      fc.record({ ingress: fc.boolean(), egress: fc.boolean() }, { requiredKeys: [] }),
      { nil: undefined },
    ),
  })
  .map(({ clusterwide, namespace, ...spec }) => (chart: Chart) => {
    new CiliumPolicy(chart, 'policy', { ...spec, ...(clusterwide ? { clusterwide } : { namespace }) });
  });

export const CONSTRUCT_ARBITRARIES: Readonly<Record<string, fc.Arbitrary<Build>>> = {
  IngressOnlyApp: ingressOnlyAppArb,
  TieredApp: tieredAppArb,
  FqdnEgress: fqdnEgressArb,
  ClusterDefaultDeny: clusterDefaultDenyArb,
  CiliumPolicy: ciliumPolicyArb,
};

export interface RandomConstructs {
  readonly synthesized: SynthesizedPolicies[];
  /** Props the construct refused (a validation error at construction or synthesis), by construct. */
  readonly refused: Record<string, number>;
  /** A refusal message per construct, to show what refusing looks like. */
  readonly refusalSamples: Record<string, string>;
}

/** `runs` random prop sets per construct, seeded. */
export function randomConstructPolicies(seed: number, runs: number): RandomConstructs {
  const out: RandomConstructs = { synthesized: [], refused: {}, refusalSamples: {} };
  let k = 0;
  for (const [name, arb] of Object.entries(CONSTRUCT_ARBITRARIES)) {
    out.refused[name] = 0;
    fc.sample(arb, { seed: seed + k++, numRuns: runs }).forEach((build, i) => {
      const app = Testing.app();
      try {
        build(new Chart(app, 'c'));
        out.synthesized.push({ origin: `random ${name} #${i}`, policies: synthPolicies(app) });
      } catch (e) {
        out.refused[name]++;
        out.refusalSamples[name] ??= (e as Error).message.split('\n').slice(0, 3).join(' ');
      }
    });
  }
  return out;
}
