import * as plus from 'cdk8s-plus-28';
import { EndpointSelector, IngressController, Port, TieredApp } from '../../lib';
import { policiesOf, synthChecked, testChart } from '../support/synth';

describe('TieredApp', () => {
  const base = {
    namespace: 'webapp',
    ingressController: IngressController.traefik(),
    front: { name: 'webapp', pods: EndpointSelector.labels({ app: 'webapp' }), ports: [Port.tcp(3000)] },
    backends: [
      { name: 'postgres', pods: EndpointSelector.labels({ app: 'postgres' }), ports: [Port.tcp(5432)] },
    ],
  };

  test('snapshot: webapp + postgres with front egress lock-down', () => {
    const chart = testChart();
    new TieredApp(chart, 'webapp', { ...base, lockDownFrontEgress: true });
    expect(synthChecked(chart)).toMatchSnapshot();
  });

  test('the backend accepts only the front tier, with the namespace written out', () => {
    const chart = testChart();
    const app = new TieredApp(chart, 'webapp', base);
    const [front, backend] = policiesOf(synthChecked(chart));
    expect(front.metadata!.name).toBe(app.frontPolicy.name);
    expect(backend.spec.endpointSelector).toEqual({ matchLabels: { app: 'postgres' } });
    expect(backend.spec.ingress).toEqual([
      {
        fromEndpoints: [{ matchLabels: { app: 'webapp', 'k8s:io.kubernetes.pod.namespace': 'webapp' } }],
        toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }],
      },
      { fromEntities: ['health', 'host'] },
    ]);
    expect(front.spec.ingress[0].fromEndpoints[0].matchLabels['app.kubernetes.io/instance']).toBe(
      'traefik-traefik',
    );
    expect(front.spec.egress).toBeUndefined();
  });

  test('front egress lock-down allows only the backends and DNS (with rules: dns)', () => {
    const chart = testChart();
    new TieredApp(chart, 'webapp', {
      ...base,
      backends: [
        ...base.backends,
        { name: 'redis', pods: EndpointSelector.labels({ app: 'redis' }), ports: [Port.tcp(6379)] },
      ],
      lockDownFrontEgress: true,
    });
    const [front, ...backends] = policiesOf(synthChecked(chart));
    expect(backends).toHaveLength(2);
    expect(front.spec.egress.map((e: any) => e.toEndpoints[0].matchLabels)).toEqual([
      { app: 'postgres', 'k8s:io.kubernetes.pod.namespace': 'webapp' },
      { app: 'redis', 'k8s:io.kubernetes.pod.namespace': 'webapp' },
      { 'k8s-app': 'kube-dns', 'k8s:io.kubernetes.pod.namespace': 'kube-system' },
    ]);
    expect(front.spec.egress[2].toPorts).toEqual([
      { ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } },
    ]);
  });

  test('workloads and Services: the Service port 8080 resolves to the container port 3000', () => {
    const chart = testChart();
    const web = new plus.Deployment(chart, 'web', {
      metadata: { namespace: 'webapp' },
      containers: [{ image: 'web', portNumber: 3000 }],
    });
    const svc = new plus.Service(chart, 'svc', {
      metadata: { namespace: 'webapp' },
      ports: [{ port: 8080, targetPort: 3000 }],
    });
    new TieredApp(chart, 'app', {
      ...base,
      namespace: undefined,
      front: { name: 'web', pods: web, ports: [Port.fromService(svc)] },
    });
    const [front] = policiesOf(synthChecked(chart));
    expect(front.spec.ingress[0].toPorts[0].ports).toEqual([{ port: '3000', protocol: 'TCP' }]);
  });

  test.each([
    ['no backends', { backends: [] }, 'test/t: backends = []: no backend tier given'],
    [
      'duplicate tier names',
      { backends: [{ ...base.backends[0], name: 'webapp' }] },
      'test/t: backends[0].name = "webapp": tier names must be unique',
    ],
    [
      'backend in another namespace',
      {
        backends: [
          { ...base.backends[0], pods: EndpointSelector.labels({ app: 'pg' }, { namespace: 'db' }) },
        ],
      },
      'test/t: backends[0].pods = "db": the pods are in namespace db but the policy is for webapp',
    ],
    [
      'bad backend port',
      { backends: [{ ...base.backends[0], ports: [Port.tcp(65536)] }] },
      'test/t: backends[0].ports[0].port = 65536',
    ],
  ])('bad props: %s', (_name, override, message) => {
    expect(() => new TieredApp(testChart(), 't', { ...base, ...override } as any)).toThrow(message);
  });
});
