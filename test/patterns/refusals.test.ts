import { ApiObject, Chart, Testing } from 'cdk8s';
import {
  ArgoCd,
  CiliumPolicy,
  ClusterDefaultDeny,
  Connection,
  EndpointSelector,
  Entity,
  Fqdn,
  FqdnEgress,
  IngressController,
  IngressControllerPolicy,
  IngressOnlyApp,
  IngressRule,
  LabelExpression,
  Peer,
  Port,
  SameNamespaceTraffic,
  TieredApp,
} from '../../lib';
import { testChart } from '../support/synth';

const rule = [IngressRule.allowFrom(Peer.entities(Entity.HOST))];

describe('constructs refuse what the API server or kubectl apply would break', () => {
  test.each([
    ['uppercase', 'Blog-Policy', 'it must consist of lower case alphanumeric characters'],
    ['underscore', 'blog_policy', 'it must consist of lower case alphanumeric characters'],
    ['trailing dash', 'blog-', 'it must consist of lower case alphanumeric characters'],
    ['empty', '', 'it is empty'],
    ['too long', 'a'.repeat(254), 'it is longer than 253 characters'],
  ])('metadata.name: %s', (_what, name, problem) => {
    expect(
      () =>
        new CiliumPolicy(testChart(), 'p', {
          namespace: 'blog',
          name,
          endpointSelector: EndpointSelector.all(),
          ingress: rule,
        }),
    ).toThrow(`test/p: name = ${JSON.stringify(name)}: ${problem}`);
  });

  test('a 253-character dotted name is accepted', () => {
    const name = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    expect(name.length).toBe(253);
    expect(
      () =>
        new CiliumPolicy(testChart(), 'p', {
          namespace: 'blog',
          name,
          endpointSelector: EndpointSelector.all(),
          ingress: rule,
        }),
    ).not.toThrow();
  });

  test('two policies with the same kind, namespace and name in one app, even in different charts', () => {
    const app = Testing.app();
    new CiliumPolicy(new Chart(app, 'a'), 'p', {
      namespace: 'blog',
      name: 'blog-policy',
      endpointSelector: EndpointSelector.all(),
      ingress: rule,
    });
    expect(
      () =>
        new CiliumPolicy(new Chart(app, 'b'), 'p', {
          namespace: 'blog',
          name: 'blog-policy',
          endpointSelector: EndpointSelector.all(),
          ingress: rule,
        }),
    ).toThrow(
      'b/p: name = "blog-policy": CiliumNetworkPolicy blog/blog-policy is already defined by a/p; on apply one would silently replace the other. Fix: give one of them another `name`',
    );
    // Same name, other namespace or other kind: fine.
    expect(
      () =>
        new CiliumPolicy(new Chart(app, 'c'), 'p', {
          namespace: 'web',
          name: 'blog-policy',
          endpointSelector: EndpointSelector.all(),
          ingress: rule,
        }),
    ).not.toThrow();
    expect(
      () =>
        new CiliumPolicy(new Chart(app, 'd'), 'p', {
          clusterwide: true,
          name: 'blog-policy',
          endpointSelector: EndpointSelector.all(),
          ingress: rule,
        }),
    ).not.toThrow();
  });

  test("a hand-written policy with the name of a construct's fails at synth, naming both", () => {
    const app = Testing.app();
    const chart = new Chart(app, 'a');
    new CiliumPolicy(chart, 'p', {
      namespace: 'blog',
      name: 'blog-policy',
      endpointSelector: EndpointSelector.all(),
      ingress: rule,
    });
    new ApiObject(chart, 'raw', {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'blog-policy', namespace: 'blog' },
      spec: { endpointSelector: {}, ingress: [{}] },
    });
    expect(() => Testing.synth(chart)).toThrow(
      'CiliumNetworkPolicy blog/blog-policy is defined 2 times (a/p/Resource, a/raw); on apply one would silently replace the other',
    );
  });

  test('FqdnEgress with ports: [] (which would mean every port and protocol)', () => {
    expect(
      () =>
        new FqdnEgress(testChart(), 'f', {
          namespace: 'argocd',
          pods: EndpointSelector.labels({ app: 'x' }),
          fqdns: [Fqdn.name('github.com')],
          ports: [],
        }),
    ).toThrow(
      'test/f: ports = []: an empty port list would allow every port and protocol. Fix: list the ports, e.g. [Port.tcp(443)], or leave `ports` out for the default',
    );
  });

  test.each([
    [
      'IngressOnlyApp without ingressController',
      (c: Chart) =>
        new IngressOnlyApp(c, 'x', {
          pods: EndpointSelector.labels({ app: 'a' }),
          namespace: 'a',
          ports: [Port.tcp(80)],
        } as any),
      'test/x: ingressController = undefined: a required prop is missing. Fix: set `ingressController`',
    ],
    [
      'IngressOnlyApp without props',
      (c: Chart) => new IngressOnlyApp(c, 'x', undefined as any),
      'test/x: props = undefined: the construct needs its props',
    ],
    [
      'TieredApp without front',
      (c: Chart) => new TieredApp(c, 'x', { backends: [] } as any),
      'test/x: front = undefined: a required prop is missing',
    ],
    [
      'TieredApp backend without ports',
      (c: Chart) =>
        new TieredApp(c, 'x', {
          ingressController: IngressController.traefik(),
          front: {
            name: 'f',
            pods: EndpointSelector.labels({ app: 'f' }, { namespace: 'a' }),
            ports: [Port.tcp(80)],
          },
          backends: [{ name: 'b', pods: EndpointSelector.labels({ app: 'b' }) } as any],
        }),
      'test/x: ports = undefined: a required prop is missing',
    ],
    [
      'TieredApp with the old restrictFrontEgress',
      (c: Chart) =>
        new TieredApp(c, 'x', {
          ingressController: IngressController.traefik(),
          restrictFrontEgress: true,
          front: {
            name: 'f',
            pods: EndpointSelector.labels({ app: 'f' }, { namespace: 'a' }),
            ports: [Port.tcp(80)],
          },
          backends: [{ name: 'b', pods: EndpointSelector.labels({ app: 'b' }), ports: [Port.tcp(5432)] }],
        } as any),
      'test/x: restrictFrontEgress = true: renamed',
    ],
    [
      'TieredApp with no way in',
      (c: Chart) =>
        new TieredApp(c, 'x', {
          front: {
            name: 'f',
            pods: EndpointSelector.labels({ app: 'f' }, { namespace: 'a' }),
            ports: [Port.tcp(80)],
          },
          backends: [{ name: 'b', pods: EndpointSelector.labels({ app: 'b' }), ports: [Port.tcp(5432)] }],
        }),
      'test/x: ingressController = undefined: nothing could reach the front tier. Fix: give `ingressController`, or `frontClients` for an internal front tier',
    ],
    [
      'FqdnEgress without fqdns',
      (c: Chart) =>
        new FqdnEgress(c, 'x', { pods: EndpointSelector.labels({ app: 'a' }), namespace: 'a' } as any),
      'test/x: fqdns = undefined: a required prop is missing',
    ],
    [
      'FqdnEgress with an undefined port',
      (c: Chart) =>
        new FqdnEgress(c, 'x', {
          pods: EndpointSelector.labels({ app: 'a' }),
          namespace: 'a',
          fqdns: [Fqdn.name('a.com')],
          ports: [undefined as any],
        }),
      'test/x: ports[0] = undefined: not a Port',
    ],
    [
      'Connection without to',
      (c: Chart) =>
        new Connection(c, 'x', {
          from: EndpointSelector.labels({ app: 'a' }, { namespace: 'a' }),
          ports: [Port.tcp(1)],
        } as any),
      'test/x: to = undefined: a required prop is missing',
    ],
    [
      'Connection from a selector without namespace',
      (c: Chart) =>
        new Connection(c, 'x', {
          from: EndpointSelector.labels({ app: 'a' }),
          to: Entity.WORLD,
          ports: [Port.tcp(1)],
        }),
      'test/x: from = "pods without a namespace": a connection end must name the pods\' namespace',
    ],
    [
      'Connection to the cluster entity',
      (c: Chart) =>
        new Connection(c, 'x', {
          from: EndpointSelector.labels({ app: 'a' }, { namespace: 'a' }),
          to: Entity.CLUSTER,
          ports: [Port.tcp(1)],
        }),
      'test/x: to = "cluster": not a single endpoint',
    ],
    [
      'Connection writing a side of an entity',
      (c: Chart) =>
        new Connection(c, 'x', {
          from: Entity.WORLD,
          to: EndpointSelector.labels({ app: 'a' }, { namespace: 'a' }),
          ports: [Port.tcp(1)],
          allowAtSource: true,
        }),
      'test/x: allowAtSource = true: the source is entity:world, not pods',
    ],
    [
      "IngressControllerPolicy for Cilium's own ingress",
      (c: Chart) => new IngressControllerPolicy(c, 'x', { controller: IngressController.cilium() }),
      'test/x: controller = "cilium-ingress": Cilium\'s own ingress is not a pod',
    ],
    [
      'IngressControllerPolicy without entrypoints',
      (c: Chart) =>
        new IngressControllerPolicy(c, 'x', {
          controller: IngressController.fromSelector(
            EndpointSelector.labels({ app: 'haproxy' }, { namespace: 'edge' }),
          ),
        }),
      'test/x: entrypoints = undefined: the custom controller names no entrypoint ports. Fix: give `entrypoints`',
    ],
    [
      'SameNamespaceTraffic without namespace',
      (c: Chart) => new SameNamespaceTraffic(c, 'x', {} as any),
      'test/x: namespace = undefined: a required prop is missing',
    ],
    [
      'ArgoCd with a bad namespace',
      (c: Chart) => new ArgoCd(c, 'x', { namespace: 'Argo' }),
      'test/x: namespace = "Argo": not a valid namespace name',
    ],
  ])('%s: an error with the construct path, not a TypeError', (_what, build, message) => {
    expect(() => build(testChart())).toThrow(message);
  });

  test('two IngressControllerPolicy for one controller', () => {
    const chart = testChart();
    new IngressControllerPolicy(chart, 'a', { controller: IngressController.traefik() });
    expect(
      () => new IngressControllerPolicy(chart, 'b', { controller: IngressController.traefik() }),
    ).toThrow('test/b: controller = "traefik": test/a already writes this controller\'s policy');
  });
});

describe('declared connections catch what props alone do not', () => {
  test('ClusterDefaultDeny: DNS pods in a namespace that is neither exempt nor the dnsNamespace', () => {
    const chart = testChart();
    new ClusterDefaultDeny(chart, 'deny', {
      exemptNamespaces: ['dns'],
      dnsNamespace: 'dns',
      dns: { dnsServer: Peer.kubeDns('kube-system') },
    });
    expect(() => Testing.synth(chart)).toThrow(
      '[test/deny] declared connection default/ -> kube-system/k8s-app=kube-dns on 53/TCP would be dropped once enforced: ingress at the destination kube-system/k8s-app=kube-dns is default-deny',
    );
    expect(() => Testing.synth(chart)).toThrow(
      "Fix: the DNS pods are in namespace kube-system: set `dnsNamespace: 'kube-system'`",
    );
  });

  test('a selector whose requirements contradict each other selects no pod', () => {
    const chart = testChart();
    new IngressOnlyApp(chart, 'x', {
      namespace: 'a',
      pods: EndpointSelector.labels({ app: 'a' }, { expressions: [LabelExpression.notIn('app', ['a'])] }),
      ports: [Port.tcp(80)],
      ingressController: IngressController.traefik(),
    });
    expect(() => Testing.synth(chart)).toThrow(
      'selects no pod (its label requirements contradict each other). Fix: correct the selector',
    );
  });
});
