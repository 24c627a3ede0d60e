import { namespaceLabels } from '../../lib/manifest/namespace-labels';
import { readService } from '../../lib/manifest/service';
import { containerPortNamed, hasProbes, readWorkload, WORKLOAD_KINDS } from '../../lib/manifest/workload';

const podSpec = {
  serviceAccountName: 'api',
  containers: [
    {
      name: 'api',
      ports: [
        { name: 'http', containerPort: 8080 },
        { containerPort: 9090, protocol: 'UDP' },
      ],
      readinessProbe: { httpGet: { path: '/', port: 'http' } },
    },
  ],
  initContainers: [
    { name: 'proxy', restartPolicy: 'Always', ports: [{ name: 'admin', containerPort: 15000 }] },
  ],
};
const template = { metadata: { labels: { app: 'api', tier: 3 } }, spec: podSpec };

const manifests: Record<string, unknown> = {
  Pod: {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'w', namespace: 'shop', labels: template.metadata.labels },
    spec: podSpec,
  },
  PodTemplate: {
    apiVersion: 'v1',
    kind: 'PodTemplate',
    metadata: { name: 'w', namespace: 'shop' },
    template,
  },
  ReplicationController: {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name: 'w', namespace: 'shop' },
    spec: { selector: { app: 'api' }, template },
  },
  Deployment: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'w', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'api' } }, template },
  },
  StatefulSet: {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'w', namespace: 'shop' },
    spec: { template },
  },
  DaemonSet: {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'w', namespace: 'shop' },
    spec: { template },
  },
  ReplicaSet: {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'w', namespace: 'shop' },
    spec: { template },
  },
  Job: {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'w', namespace: 'shop' },
    spec: { template },
  },
  CronJob: {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'w', namespace: 'shop' },
    spec: { schedule: '* * * * *', jobTemplate: { spec: { template } } },
  },
  Rollout: {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'w', namespace: 'shop' },
    spec: { template },
  },
};

describe('one reader of workloads and pod templates', () => {
  test('every kind that carries a pod template is read alike', () => {
    expect(Object.keys(manifests).sort()).toEqual([...WORKLOAD_KINDS].sort());
    for (const [kind, manifest] of Object.entries(manifests)) {
      const reading = readWorkload(manifest)!;
      expect([kind, reading.problems]).toEqual([kind, []]);
      const w = reading.workload!;
      expect(w).toMatchObject({
        kind,
        name: 'w',
        namespace: 'shop',
        declaredNamespace: 'shop',
        serviceAccount: 'api',
      });
      expect(w.podLabels).toEqual({ app: 'api', tier: '3' });
      expect(
        w.containers.map((c) => [
          c.name,
          c.init,
          c.ports.map((p) => `${p.name ?? ''}:${p.containerPort}/${p.protocol}`),
        ]),
      ).toEqual([
        ['api', false, ['http:8080/TCP', ':9090/UDP']],
        ['proxy', true, ['admin:15000/TCP']],
      ]);
      expect(w.containers[0].probes).toEqual([{ probe: 'readinessProbe', handler: 'httpGet', port: 'http' }]);
      expect(hasProbes(w)).toBe(true);
      expect(containerPortNamed(w, 'ADMIN')?.containerPort).toBe(15000);
      expect(w.runsPods).toBe(kind !== 'PodTemplate');
    }
  });

  test("the workload's own selector: label selectors, a ReplicationController's plain map, none for a Pod", () => {
    expect(readWorkload(manifests.Deployment)!.workload!.selector).toEqual({
      matchLabels: { app: 'api' },
      matchExpressions: [],
    });
    expect(readWorkload(manifests.ReplicationController)!.workload!.selector).toEqual({
      matchLabels: { app: 'api' },
      matchExpressions: [],
    });
    expect(readWorkload(manifests.Pod)!.workload!.selector).toBeUndefined();
    expect(readWorkload(manifests.Job)!.workload!.selector).toBeUndefined();
  });

  test('not a workload: other kinds, another API group, a Rollout that refers to a workload', () => {
    expect(readWorkload({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } })).toBeUndefined();
    expect(
      readWorkload({ apiVersion: 'example.com/v1', kind: 'Deployment', spec: { template } }),
    ).toBeUndefined();
    expect(
      readWorkload({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        metadata: { name: 'r' },
        spec: { workloadRef: { name: 'x' } },
      }),
    ).toBeUndefined();
    expect(readWorkload('Deployment')).toBeUndefined();
    expect(readWorkload(null)).toBeUndefined();
  });

  test('defaults: namespace default, service account default (also for empty strings), TCP', () => {
    const w = readWorkload({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: {
        template: {
          spec: { serviceAccountName: '', containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] },
        },
      },
    })!.workload!;
    expect(w).toMatchObject({ namespace: 'default', serviceAccount: 'default', podLabels: {} });
    expect(w.declaredNamespace).toBeUndefined();
    expect(w.containers[0].ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    expect(hasProbes(w)).toBe(false);
  });

  test('what Kubernetes would reject is read as far as possible and named by field', () => {
    const reading = readWorkload({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'Bad_NS' },
      spec: {
        template: {
          metadata: { labels: { 'bad key': 'x', app: 'has space' } },
          spec: {
            containers: [
              { name: 'c', ports: [{ containerPort: 'http' }, { containerPort: 80, protocol: 'HTTP' }] },
            ],
          },
        },
      },
    })!;
    expect(reading.problems).toEqual([
      'metadata.namespace "Bad_NS" is not a valid namespace name',
      'spec.template.metadata.labels key "bad key" is not a valid label key',
      'spec.template.metadata.labels.app value "has space" is not a valid label value (quote it, at most 63 characters of [A-Za-z0-9_.-])',
      'spec.template.spec.containers[0].ports[0].containerPort "http" must be a port number 1-65535',
      'spec.template.spec.containers[0].ports[1].protocol "HTTP" must be TCP, UDP or SCTP',
    ]);
    expect(reading.workload!.containers[0].ports).toEqual([{ containerPort: 80, protocol: 'HTTP' }]);
    expect(
      readWorkload({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: {} }),
    ).toEqual({
      problems: ['spec.jobTemplate.spec.template is missing; a CronJob needs a pod template'],
    });
    expect(readWorkload({ kind: 'Pod', metadata: { name: 'p' } })).toEqual({ problems: ['spec is missing'] });
  });
});

describe('one reader of namespace labels and Services', () => {
  test('Namespace manifests give their labels (scalars as strings); other objects are ignored', () => {
    const labels = namespaceLabels([
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'shop', labels: { team: 'payments', tier: 1 } },
      },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'empty' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { a: 'b' } } },
      { apiVersion: 'example.com/v1', kind: 'Namespace', metadata: { name: 'other' } },
      'garbage',
    ]);
    expect([...labels]).toEqual([
      ['shop', { team: 'payments', tier: '1' }],
      ['empty', {}],
    ]);
  });

  test('a Service: selector, ports with their targetPort (the port when none is given), cluster IPs', () => {
    expect(
      readService({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: 'shop' },
        spec: {
          selector: { app: 'web' },
          clusterIP: '10.0.0.1',
          clusterIPs: ['10.0.0.1'],
          ports: [
            { name: 'http', port: 80, targetPort: 'http' },
            { port: 53, protocol: 'UDP' },
            { port: 'x' },
          ],
        },
      }),
    ).toEqual({
      name: 'web',
      namespace: 'shop',
      selector: { app: 'web' },
      ports: [
        { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
        { port: 53, targetPort: 53, protocol: 'UDP' },
      ],
      clusterIPs: ['10.0.0.1'],
    });
  });
});
