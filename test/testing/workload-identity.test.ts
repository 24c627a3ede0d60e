import { Chart } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import { CiliumPolicy, Connection, EndpointSelector, IngressRule, Peer, Port } from '../../lib';
import { KubeManifest } from '../../lib/manifest/types';
import { ciliumMatchers, connectivityTableOf, evaluateExpectation, FlowEnd } from '../../lib/testing';
import { synthChecked, testChart } from '../support/synth';

expect.extend(ciliumMatchers);

/**
 * The jest matchers and the matrix build a workload's identity alike (pod labels through the label
 * filter, namespace and its labels, service account), so they never judge a workload differently.
 */

function workload(chart: Chart, name: string): plus.Deployment {
  const serviceAccount = new plus.ServiceAccount(chart, `${name}-sa`, {
    metadata: { name: `${name}-sa`, namespace: 'shop' },
  });
  const deployment = new plus.Deployment(chart, name, {
    metadata: { name, namespace: 'shop' },
    podMetadata: { labels: { app: name, 'pod-template-hash': '5d8f' } },
    serviceAccount,
    containers: [
      { image: name, ports: [{ name: 'http', number: 8080 }], securityContext: { ensureNonRoot: false } },
    ],
  });
  deployment.select(plus.LabelSelector.of({ labels: { app: name } }));
  return deployment;
}

function setup(from: EndpointSelector, clusterwide = false) {
  const chart = testChart();
  new plus.Namespace(chart, 'ns', { metadata: { name: 'shop', labels: { team: 'payments' } } });
  const web = workload(chart, 'web');
  const api = workload(chart, 'api');
  new CiliumPolicy(chart, 'api-policy', {
    ...(clusterwide ? { clusterwide: true } : { namespace: 'shop' }),
    endpointSelector: EndpointSelector.labels({ app: 'api' }, clusterwide ? { namespace: 'shop' } : {}),
    ingress: [new IngressRule({ from: Peer.endpoints(from), ports: [Port.named('http')] })],
  });
  return { manifests: synthChecked(chart), web, api };
}

function matrixVerdict(manifests: KubeManifest[], line: string): string | undefined {
  const table = connectivityTableOf(manifests);
  return table
    .split('\n')
    .find((l) => l.startsWith(`${line}:`))
    ?.slice(line.length + 2);
}

function matcherVerdict(manifests: KubeManifest[], from: FlowEnd, to: FlowEnd): string {
  return evaluateExpectation(manifests, { from, to, port: 8080 }).result.verdict;
}

describe('toAllowFlow judges a workload as the matrix does', () => {
  test('a policy that selects its clients by service account', () => {
    const { manifests, web, api } = setup(
      EndpointSelector.labels({ 'io.cilium.k8s.policy.serviceaccount': 'web-sa' }),
    );
    expect(matrixVerdict(manifests, 'shop/web -> shop/api 8080/TCP')).toBe('FORWARDED');
    expect(matcherVerdict(manifests, web, api)).toBe('FORWARDED');
    expect(manifests).toAllowFlow({ from: web, to: api, port: 8080 });
  });

  test("a policy that selects its clients by their namespace's labels", () => {
    const { manifests, web, api } = setup(EndpointSelector.namespaceLabels({ team: 'payments' }), true);
    expect(matrixVerdict(manifests, 'shop/web -> shop/api 8080/TCP')).toBe('FORWARDED');
    expect(matcherVerdict(manifests, web, api)).toBe('FORWARDED');
  });

  test('the other service account is denied by both', () => {
    const { manifests, web, api } = setup(
      EndpointSelector.labels({ 'io.cilium.k8s.policy.serviceaccount': 'other' }),
    );
    expect(matrixVerdict(manifests, 'shop/web -> shop/api 8080/TCP')).toBe('DROPPED');
    expect(matcherVerdict(manifests, web, api)).toBe('DROPPED');
    expect(manifests).toDenyFlow({ from: web, to: api, port: 8080 });
  });

  test('labels the label filter leaves out are not part of the identity', () => {
    const { manifests, web } = setup(EndpointSelector.labels({ app: 'web' }));
    const { flow } = evaluateExpectation(manifests, { from: web, to: 'shop/app=api', port: 8080 });
    expect(flow.source.labels).toEqual([
      'k8s:app=web',
      `k8s:cdk8s.io/metadata.addr=${web.matchLabels['cdk8s.io/metadata.addr']}`,
      'k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=shop',
      'k8s:io.cilium.k8s.namespace.labels.team=payments',
      'k8s:io.cilium.k8s.policy.serviceaccount=web-sa',
      'k8s:io.kubernetes.pod.namespace=shop',
    ]);
  });
});

describe('declared connections from workloads are verified with the same identity', () => {
  function declare(serviceAccount: string): () => unknown {
    const chart = testChart();
    const web = workload(chart, 'web');
    const api = workload(chart, 'api');
    new CiliumPolicy(chart, 'api-policy', {
      namespace: 'shop',
      endpointSelector: EndpointSelector.labels({ app: 'api' }),
      ingress: [
        new IngressRule({
          from: Peer.endpoints(
            EndpointSelector.labels({ 'io.cilium.k8s.policy.serviceaccount': serviceAccount }),
          ),
          ports: [Port.tcp(8080)],
        }),
      ],
    });
    new Connection(chart, 'web-to-api', { from: web, to: api, ports: [Port.tcp(8080)] });
    return () => synthChecked(chart);
  }

  test("allowed by the client's service account: verified", () => {
    expect(declare('web-sa')).not.toThrow();
  });

  test('another service account: the synth names the dropped connection', () => {
    expect(declare('other')).toThrow(
      /declared connection shop\/app=web.* -> shop\/app=api.* on 8080\/TCP\s+would be dropped/,
    );
  });
});
