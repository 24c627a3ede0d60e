import { Chart, Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import {
  ClusterDefaultDeny,
  IngressController,
  IngressControllerPolicy,
  IngressOnlyApp,
  Port,
} from '../../lib';
import { ciliumMatchers } from '../../lib/testing';

expect.extend(ciliumMatchers);

/** cdk8s-plus selects a Deployment's pods on `cdk8s.io/metadata.addr`, not on `app`. */
describe('endpoints of cdk8s-plus workloads', () => {
  const app = Testing.app();
  const chart = new Chart(app, 'blog');
  const blog = new plus.Deployment(chart, 'blog', {
    metadata: { namespace: 'blog' },
    podMetadata: { labels: { app: 'blog' } },
    containers: [{ image: 'ghost', portNumber: 2368, securityContext: { ensureNonRoot: false } }],
  });
  const traefik = IngressController.traefik();
  new IngressOnlyApp(chart, 'policy', { pods: blog, ports: [Port.tcp(2368)], ingressController: traefik });
  new IngressControllerPolicy(chart, 'traefik', { controller: traefik });
  new ClusterDefaultDeny(chart, 'deny', { egress: true });
  const manifests = Testing.synth(chart);
  const from = 'traefik/app.kubernetes.io/instance=traefik-traefik';

  test('the policy selects the label cdk8s-plus generates', () => {
    const policy = manifests.find((m) => m.metadata.namespace === 'blog' && m.kind === 'CiliumNetworkPolicy');
    expect(Object.keys(policy.spec.endpointSelector.matchLabels)).toEqual(['cdk8s.io/metadata.addr']);
  });

  test('the documented way: the endpoint built from the same workload object', () => {
    expect(manifests).toAllowFlow({ from, to: blog, port: 2368 });
    expect(manifests).toDenyFlow({ from, to: blog, port: 80 });
  });

  test('a hand-written endpoint the policy does not select gets a warning instead of a fix', () => {
    let message = '';
    try {
      expect(manifests).toAllowFlow({ from, to: 'blog/app=blog', port: 2368 });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('warning: blog/app=blog matches no subject of the policy in namespace blog');
    expect(message).toContain('cdk8s.io/metadata.addr');
    expect(message).toContain('Build the endpoint from the workload object');
    expect(message).not.toContain('to allow it, add to');
  });
});
