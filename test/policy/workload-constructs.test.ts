import { ApiObject, Chart, Helm, Include, JsonPatch } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import * as plus33 from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { IngressController, IngressOnlyApp, Port } from '../../lib';
import { ciliumMatchers } from '../../lib/testing';
import { onlyPolicy, synthChecked, testChart } from '../support/synth';

expect.extend(ciliumMatchers);

/** Workloads and Services passed as constructs are read from what they synthesize. */

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web', version: 'v2' } },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'web',
            ports: [{ name: 'http', containerPort: 8080 }],
            readinessProbe: { httpGet: { path: '/', port: 'http' } },
          },
        ],
      },
    },
  },
};
const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
};
const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' } };

function ingressOnly(
  chart: Chart,
  pods: ConstructorParameters<typeof IngressOnlyApp>[2]['pods'],
  ports: Port[],
) {
  return new IngressOnlyApp(chart, 'policy', { pods, ports, ingressController: IngressController.traefik() });
}

function expectWebPolicy(chart: Chart): void {
  const policy = onlyPolicy(synthChecked(chart));
  expect(policy.metadata?.namespace).toBe('shop');
  expect(policy.spec.endpointSelector).toEqual({ matchLabels: { app: 'web' } });
  expect(policy.spec.ingress[0].toPorts).toEqual([{ ports: [{ port: '8080', protocol: 'TCP' }] }]);
  // The readiness probe forces ingress from the host.
  expect(policy.spec.ingress[1].fromEntities).toEqual(['health', 'host']);
}

function tempYaml(docs: unknown[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workload-constructs-'));
  const file = path.join(dir, 'app.yaml');
  fs.writeFileSync(file, docs.map((d) => stringify(d)).join('---\n'));
  return file;
}

/** A stand-in `helm` that prints the rendered chart (the Helm construct runs `helm template`). */
function fakeHelm(docs: unknown[]): string {
  const rendered = tempYaml(docs);
  const helm = path.join(path.dirname(rendered), 'helm');
  fs.writeFileSync(helm, `#!/bin/sh\ncat '${rendered}'\n`, { mode: 0o755 });
  return helm;
}

describe('workloads and Services from any construct', () => {
  test('hand-written ApiObjects: the selector, the named targetPort resolved against the containers, the probes', () => {
    const chart = testChart();
    const web = new ApiObject(chart, 'web', deployment);
    const svc = new ApiObject(chart, 'svc', service);
    ingressOnly(chart, web, [Port.fromService(svc, undefined, web)]);
    expectWebPolicy(chart);
  });

  test('an Included YAML file: its one Service and, once it holds one workload, the workload', () => {
    const chart = testChart();
    const included = new Include(chart, 'app', { url: tempYaml([configMap, deployment, service]) });
    ingressOnly(chart, included, [Port.fromService(included, 'http', included)]);
    expectWebPolicy(chart);
  });

  test("cdk8s's Helm construct", () => {
    const chart = testChart();
    const helm = new Helm(chart, 'web', { chart: 'web', helmExecutable: fakeHelm([deployment, service]) });
    ingressOnly(chart, helm, [Port.fromService(helm, 80, helm)]);
    expectWebPolicy(chart);
    expect(synthChecked(chart)).toAllowFlow({
      from: 'traefik/app.kubernetes.io/instance=traefik-traefik',
      to: helm,
      port: 8080,
    });
  });

  test('cdk8s-plus-28 and cdk8s-plus-33 workloads and Services alike', () => {
    const container = {
      image: 'ghost',
      ports: [{ number: 2368, name: 'http' }],
      securityContext: { ensureNonRoot: false },
    };
    const service = { metadata: { namespace: 'blog' }, ports: [{ port: 80, targetPort: 2368 }] };
    const chart28 = testChart();
    const blog28 = new plus.Deployment(chart28, 'blog', {
      metadata: { namespace: 'blog' },
      containers: [container],
    });
    const svc28 = new plus.Service(chart28, 'svc', { ...service, selector: blog28 });
    ingressOnly(chart28, blog28, [Port.fromService(svc28)]);
    const chart33 = testChart();
    const blog33 = new plus33.Deployment(chart33, 'blog', {
      metadata: { namespace: 'blog' },
      containers: [container],
    });
    const svc33 = new plus33.Service(chart33, 'svc', { ...service, selector: blog33 });
    ingressOnly(chart33, blog33, [Port.fromService(svc33)]);
    const rendered = [chart28, chart33].map((c) => onlyPolicy(synthChecked(c)).spec);
    expect(rendered[0].ingress[0].toPorts).toEqual([{ ports: [{ port: '2368', protocol: 'TCP' }] }]);
    expect(Object.keys(rendered[0].endpointSelector.matchLabels)).toEqual(['cdk8s.io/metadata.addr']);
    expect(rendered[1]).toEqual(rendered[0]);
  });

  test('the Service port is the targetPort; a named one stays named without a workload', () => {
    const chart = testChart();
    const svc = new ApiObject(chart, 'svc', service);
    expect(Port.fromService(svc)._render('p')).toEqual({ port: 'http', protocol: 'TCP' });
  });

  test('read at synth: a workload changed after the policy was declared is what the policy selects', () => {
    const chart = testChart();
    const web = new plus.Deployment(chart, 'web', {
      metadata: { namespace: 'shop' },
      containers: [{ image: 'web', portNumber: 8080, securityContext: { ensureNonRoot: false } }],
    });
    const svc = new ApiObject(chart, 'svc', service);
    ingressOnly(chart, web, [Port.fromService(svc, 80)]);
    web.select(plus.LabelSelector.of({ labels: { app: 'web' } }));
    svc.addJsonPatch(JsonPatch.replace('/spec/ports/0/targetPort', 9000));
    const policy = onlyPolicy(synthChecked(chart));
    expect(Object.keys(policy.spec.endpointSelector.matchLabels).sort()).toEqual([
      'app',
      'cdk8s.io/metadata.addr',
    ]);
    expect(policy.spec.ingress[0].toPorts).toEqual([{ ports: [{ port: '9000', protocol: 'TCP' }] }]);
  });

  test("a workload without a selector (a Job, a Pod) is known by its pod template's identity labels", () => {
    const chart = testChart();
    const job = new plus.Job(chart, 'migrate', {
      metadata: { namespace: 'shop' },
      podMetadata: { labels: { app: 'migrate' } },
      containers: [{ image: 'migrate', portNumber: 8080, securityContext: { ensureNonRoot: false } }],
    });
    ingressOnly(chart, job, [Port.tcp(8080)]);
    const selector = onlyPolicy(synthChecked(chart)).spec.endpointSelector;
    expect(Object.keys(selector.matchLabels).sort()).toEqual(['app', 'cdk8s.io/metadata.addr']);
  });
});

describe('clear errors naming the construct, what it synthesizes and the fix', () => {
  test('no workload', () => {
    const chart = testChart();
    const cm = new ApiObject(chart, 'settings', configMap);
    const other = testChart();
    const empty = new Construct(other, 'empty');
    expect(() => ingressOnly(other, empty, [Port.tcp(80)])).toThrow(
      'test/policy: workload = "test/empty": the construct synthesizes no Kubernetes object. Fix: pass the construct of the workload itself',
    );
    expect(() => ingressOnly(chart, cm, [Port.tcp(80)])).toThrow(
      'test/policy: workload = "test/settings": the construct synthesizes no workload (it synthesizes ConfigMap shop/settings). Fix: pass the construct of the workload itself (Pod, PodTemplate, ReplicationController, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout), or select the pods with EndpointSelector.labels(',
    );
  });

  test('several workloads', () => {
    const chart = testChart();
    const other = { ...deployment, metadata: { name: 'api', namespace: 'shop' } };
    const included = new Include(chart, 'app', { url: tempYaml([deployment, other]) });
    expect(() => ingressOnly(chart, included, [Port.tcp(80)])).toThrow(
      /test\/policy: workload = "test\/app": the construct synthesizes 2 workloads \(Deployment shop\/web, Deployment shop\/api\)\. Fix: pass one of them, e\.g\. chart\.apiObjects\.find/,
    );
  });

  test('no Service', () => {
    const chart = testChart();
    const web = new ApiObject(chart, 'web', deployment);
    expect(() => ingressOnly(chart, web, [Port.fromService(web)])).toThrow(
      'test/policy: service = "test/web": the construct synthesizes no Service (it synthesizes Deployment shop/web). Fix: pass the Service construct',
    );
  });

  test('a named targetPort no container declares', () => {
    const chart = testChart();
    const web = new ApiObject(chart, 'web', deployment);
    const svc = new ApiObject(chart, 'svc', {
      ...service,
      spec: { ...service.spec, ports: [{ port: 80, targetPort: 'grpc' }] },
    });
    expect(() => ingressOnly(chart, web, [Port.fromService(svc, 80, web)])).toThrow(
      'targetPort = "grpc": no container of test/web declares a port named grpc',
    );
  });

  test('a workload the Service does not select', () => {
    const chart = testChart();
    const web = new ApiObject(chart, 'web', deployment);
    const svc = new ApiObject(chart, 'svc', {
      ...service,
      spec: { ...service.spec, selector: { app: 'api' } },
    });
    expect(() => ingressOnly(chart, web, [Port.fromService(svc, 80, web)])).toThrow(
      'workload = "test/web": Service web selects app=api, which the pods of test/web do not carry. Fix: pass the workload the Service forwards to',
    );
  });

  test('a workload that cannot be synthesized yet', () => {
    const chart = testChart();
    const unfinished = new plus.Deployment(chart, 'web', { metadata: { namespace: 'shop' } });
    expect(() => ingressOnly(chart, unfinished, [Port.tcp(80)])).toThrow(
      /^test\/policy: workload = "test\/web\/Resource": the construct cannot be synthesized yet \(.+\)\. Fix: finish it/,
    );
  });

  test('not a construct', () => {
    expect(() => Port.fromService({} as never)).toThrow('service = "object": not a construct');
  });
});
