import * as plus from 'cdk8s-plus-28';
import {
  EndpointSelector,
  Entity,
  IngressController,
  IngressOnlyApp,
  IngressRule,
  Peer,
  Port,
} from '../../lib';
import { onlyPolicy, synthChecked, testChart } from '../support/synth';

describe('IngressOnlyApp', () => {
  const base = {
    namespace: 'blog',
    pods: EndpointSelector.labels({ app: 'blog' }),
    ports: [Port.tcp(80)],
    ingressController: IngressController.traefik(),
  };

  test('snapshot: Traefik -> blog:80, plus host and health', () => {
    const chart = testChart();
    new IngressOnlyApp(chart, 'blog', { ...base, policyName: 'blog-policy' });
    expect(synthChecked(chart)).toMatchSnapshot();
  });

  test('allows the controller on the container port only, and host + health on all ports', () => {
    const chart = testChart();
    new IngressOnlyApp(chart, 'blog', base);
    const spec = onlyPolicy(synthChecked(chart)).spec;
    expect(spec.endpointSelector).toEqual({ matchLabels: { app: 'blog' } });
    expect(spec.ingress).toEqual([
      {
        fromEndpoints: [
          {
            matchLabels: {
              'app.kubernetes.io/instance': 'traefik-traefik',
              'k8s:io.kubernetes.pod.namespace': 'traefik',
            },
          },
        ],
        toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }],
      },
      { fromEntities: ['health', 'host'] },
    ]);
    expect(spec.egress).toBeUndefined();
  });

  test.each([
    [
      'ingress-nginx',
      IngressController.ingressNginx(),
      {
        fromEndpoints: [
          {
            matchLabels: {
              'app.kubernetes.io/component': 'controller',
              'app.kubernetes.io/instance': 'ingress-nginx',
              'app.kubernetes.io/name': 'ingress-nginx',
              'k8s:io.kubernetes.pod.namespace': 'ingress-nginx',
            },
          },
        ],
      },
    ],
    ['Cilium ingress', IngressController.cilium(), { fromEntities: ['ingress'] }],
    [
      'any selector',
      IngressController.fromSelector(EndpointSelector.labels({ app: 'haproxy' }, { namespace: 'edge' })),
      { fromEndpoints: [{ matchLabels: { app: 'haproxy', 'k8s:io.kubernetes.pod.namespace': 'edge' } }] },
    ],
  ])('ingress controller preset: %s', (_name, controller, peer) => {
    const chart = testChart();
    new IngressOnlyApp(chart, 'app', { ...base, ingressController: controller });
    expect(onlyPolicy(synthChecked(chart)).spec.ingress[0]).toEqual({
      ...peer,
      toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }],
    });
  });

  test('takes selector labels and namespace from a cdk8s-plus Deployment, and a Service resolves to its targetPort', () => {
    const chart = testChart();
    const deployment = new plus.Deployment(chart, 'webapp', {
      metadata: { namespace: 'webapp' },
      containers: [{ image: 'webapp', portNumber: 3000 }],
    });
    const service = new plus.Service(chart, 'svc', {
      metadata: { namespace: 'webapp' },
      ports: [{ port: 8080, targetPort: 3000 }],
    });
    new IngressOnlyApp(chart, 'webapp-policy', {
      pods: deployment,
      ports: [Port.fromService(service)],
      ingressController: IngressController.traefik(),
    });
    const policy = synthChecked(chart).find((m) => m.kind === 'CiliumNetworkPolicy')!;
    expect(policy.metadata!.namespace).toBe('webapp');
    expect(policy.spec.endpointSelector).toEqual({
      matchLabels: { 'cdk8s.io/metadata.addr': deployment.matchLabels['cdk8s.io/metadata.addr'] },
    });
    expect(policy.spec.ingress[0].toPorts).toEqual([{ ports: [{ port: '3000', protocol: 'TCP' }] }]);
  });

  test('a workload with probes always allows the host', () => {
    const chart = testChart();
    const deployment = new plus.Deployment(chart, 'blog', {
      metadata: { namespace: 'blog' },
      containers: [{ image: 'ghost', portNumber: 80, liveness: plus.Probe.fromHttpGet('/', { port: 80 }) }],
    });
    expect(() => new IngressOnlyApp(chart, 'p', { ...base, pods: deployment, allowHost: false })).toThrow(
      'test/p: allowHost = false: the workload has probes, which kubelet sends from the host. Fix: keep `allowHost` (the default), or remove the probes',
    );
  });

  test('allowHost: false drops host and health for a workload without probes', () => {
    const chart = testChart();
    new IngressOnlyApp(chart, 'p', { ...base, allowHost: false });
    expect(onlyPolicy(synthChecked(chart)).spec.ingress).toHaveLength(1);
  });

  test('additional ingress rules are appended', () => {
    const chart = testChart();
    new IngressOnlyApp(chart, 'p', {
      ...base,
      additionalIngress: [
        IngressRule.allowFrom(
          Peer.endpoints(EndpointSelector.labels({ app: 'prometheus' }, { namespace: 'monitoring' })),
          Port.tcp(9100),
        ),
      ],
    });
    expect(onlyPolicy(synthChecked(chart)).spec.ingress[2]).toEqual({
      fromEndpoints: [
        { matchLabels: { app: 'prometheus', 'k8s:io.kubernetes.pod.namespace': 'monitoring' } },
      ],
      toPorts: [{ ports: [{ port: '9100', protocol: 'TCP' }] }],
    });
    expect(Entity.HOST.name).toBe('host');
  });

  test.each([
    [
      'port 0',
      { ports: [Port.tcp(0)] },
      'test/p: ports[0].port = 0: a port must be an integer from 1 to 65535',
    ],
    ['port above 65535', { ports: [Port.tcp(70000)] }, 'test/p: ports[0].port = 70000'],
    ['no ports', { ports: [] }, 'test/p: ports = []: an empty port list would allow every port and protocol'],
    [
      'empty app selector',
      { pods: EndpointSelector.all() },
      'test/p: pods = {}: an empty selector would select every pod of the namespace',
    ],
    [
      'no namespace',
      { namespace: undefined },
      'test/p: namespace = undefined: no namespace given and the pods name none',
    ],
    [
      'identity-invisible label',
      { pods: EndpointSelector.labels({ 'pod-template-hash': 'abc' }) },
      'Cilium leaves this label out of security identities',
    ],
  ])('bad props throw with the construct path, field, value and fix: %s', (_name, override, message) => {
    const chart = testChart();
    expect(() => new IngressOnlyApp(chart, 'p', { ...base, ...override } as any)).toThrow(message);
  });
});
