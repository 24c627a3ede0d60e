import { Chart, Include, Testing, ApiObject } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import {
  ArgoCd,
  ClusterDefaultDeny,
  Connection,
  ConnectionEnd,
  EndpointSelector,
  Entity,
  Fqdn,
  FqdnEgress,
  IngressController,
  IngressControllerPolicy,
  IngressOnlyApp,
  Port,
  SameNamespaceTraffic,
  TieredApp,
} from '../../lib';
import { ciliumMatchers, declaredFlows } from '../../lib/testing';

expect.extend(ciliumMatchers);

/** The blog post's plan, written the way a new user would from the README. */
function naiveApp(chart: Chart): void {
  new IngressOnlyApp(chart, 'blog', {
    namespace: 'blog',
    pods: EndpointSelector.labels({ app: 'blog' }),
    ports: [Port.tcp(80)],
    ingressController: IngressController.traefik(),
  });
  new TieredApp(chart, 'webapp', {
    namespace: 'webapp',
    ingressController: IngressController.traefik(),
    front: { name: 'webapp', pods: EndpointSelector.labels({ app: 'webapp' }), ports: [Port.tcp(3000)] },
    backends: [
      { name: 'postgres', pods: EndpointSelector.labels({ app: 'postgres' }), ports: [Port.tcp(5432)] },
    ],
  });
  new FqdnEgress(chart, 'argocd', {
    namespace: 'argocd',
    pods: EndpointSelector.labels({ 'app.kubernetes.io/part-of': 'argocd' }),
    fqdns: [Fqdn.domainAndSubdomains('github.com')],
    allowKubeApiserver: true,
    allowSameNamespace: true,
  });
  new ClusterDefaultDeny(chart, 'default-deny', { egress: true });
}

const traefik = 'traefik/app.kubernetes.io/instance=traefik-traefik';

describe('the naive blog-post app', () => {
  test("fails synth naming the missing side (Traefik's egress), the policy that drops it and the fix as TypeScript", () => {
    const chart = new Chart(Testing.app(), 'policies');
    naiveApp(chart);
    let message = '';
    try {
      Testing.synth(chart);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(
      '[policies/blog] declared connection traefik/app.kubernetes.io/instance=traefik-traefik -> blog/app=blog on 80/TCP would be dropped once enforced',
    );
    expect(message).toContain(
      'egress at the source traefik/app.kubernetes.io/instance=traefik-traefik is default-deny (made so by CiliumClusterwideNetworkPolicy',
    );
    expect(message).toContain('(construct policies/default-deny/Policy)');
    expect(message).toContain(
      "Fix: give the controller its own policy, which allows egress to every backend the app routes to it: new IngressControllerPolicy(this, 'traefik', { controller: IngressController.traefik() })",
    );
    expect(message).toContain(
      '[policies/webapp] declared connection traefik/app.kubernetes.io/instance=traefik-traefik -> webapp/app=webapp on 3000/TCP',
    );
    // webapp -> postgres and Argo CD's components are complete by construction: not in the errors.
    expect(message).not.toContain('postgres');
    expect(message).not.toContain('argocd');
    // Never a broader cluster-wide rule.
    expect(message).not.toMatch(/ClusterDefaultDeny\(|clusterwide: true/);
  });

  test('with the proposed fix it synthesizes, and traefik -> blog:80, webapp -> postgres:5432, argocd-server -> argocd-repo-server work', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'policies');
    naiveApp(chart);
    new IngressControllerPolicy(chart, 'traefik', { controller: IngressController.traefik() });
    const manifests = Testing.synth(chart);
    expect(manifests).toAllowFlow({ from: traefik, to: 'blog/app=blog', port: '80/TCP' });
    expect(manifests).toAllowFlow({ from: 'webapp/app=webapp', to: 'webapp/app=postgres', port: '5432/TCP' });
    const argocd = (c: string) =>
      `argocd/app.kubernetes.io/part-of=argocd,app.kubernetes.io/name=argocd-${c}`;
    expect(manifests).toAllowFlow({ from: argocd('server'), to: argocd('repo-server'), port: '8081/TCP' });
    expect(manifests).toAllowFlow({ from: 'cidr:203.0.113.9', to: traefik, port: '8000/TCP' });
    for (const flow of declaredFlows(app)) expect(manifests).toAllowFlow(flow);
  });

  test('the ArgoCd pattern instead of FqdnEgress gives the same, component by component', () => {
    const chart = new Chart(Testing.app(), 'policies');
    new ArgoCd(chart, 'argocd', {});
    new ClusterDefaultDeny(chart, 'default-deny', { egress: true });
    const manifests = Testing.synth(chart);
    expect(manifests).toAllowFlow({
      from: 'argocd/app.kubernetes.io/name=argocd-server',
      to: 'argocd/app.kubernetes.io/name=argocd-repo-server',
      port: '8081/TCP',
    });
    expect(manifests).toDenyFlow({
      from: 'argocd/app.kubernetes.io/name=argocd-redis',
      to: 'argocd/app.kubernetes.io/name=argocd-repo-server',
      port: '8081/TCP',
    });
  });
});

describe('declared connections across the whole app', () => {
  test('a hand-written ApiObject in another chart that denies a declared connection fails synth, naming that policy', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'policies');
    new IngressOnlyApp(chart, 'blog', {
      namespace: 'blog',
      pods: EndpointSelector.labels({ app: 'blog' }),
      ports: [Port.tcp(80)],
      ingressController: IngressController.cilium(),
    });
    const other = new Chart(app, 'hand-written');
    new ApiObject(other, 'deny', {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'no-ingress-entity', namespace: 'blog' },
      spec: { endpointSelector: {}, ingressDeny: [{ fromEntities: ['ingress'] }] },
    });
    expect(() => Testing.synth(chart)).toThrow(
      /\[policies\/blog\] declared connection entity:ingress -> blog\/app=blog on 80\/TCP would be dropped once enforced: ingress at the destination blog\/app=blog is DENIED by CiliumNetworkPolicy blog\/no-ingress-entity at spec.ingressDeny\[0\] \(construct hand-written\/deny\)/,
    );
  });

  test('a policy the evaluator cannot read fails the verification loudly instead of passing it', () => {
    const chart = new Chart(Testing.app(), 'policies');
    new Connection(chart, 'c', {
      from: EndpointSelector.labels({ app: 'a' }, { namespace: 'a' }),
      to: Entity.WORLD,
      ports: [Port.tcp(443)],
    });
    new ApiObject(chart, 'bad', {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'bad', namespace: 'a' },
      spec: {
        endpointSelector: { matchExpressions: [{ key: 'app', operator: 'Bogus' }] },
        egressDeny: [{ toEntities: ['world'] }],
      },
    });
    expect(() => Testing.synth(chart)).toThrow(
      /the declared connections cannot be verified: CiliumNetworkPolicy a\/bad[^\n]*policy skipped\. Fix: correct that policy/,
    );
  });

  test('an Included default deny counts too, and Connection writes the missing side', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'policies');
    const from = EndpointSelector.labels({ app: 'worker' }, { namespace: 'jobs' });
    const to = EndpointSelector.labels({ app: 'queue' }, { namespace: 'queue' });
    new ClusterDefaultDeny(chart, 'deny', { egress: true });
    new Connection(chart, 'worker-to-queue', { from, to, ports: [Port.tcp(5672)] });
    expect(() => Testing.synth(chart)).toThrow(
      'Fix: new Connection(this, \'worker-to-queue\', { from: EndpointSelector.labels({ app: "worker" }, { namespace: "jobs" }), ' +
        'to: EndpointSelector.labels({ app: "queue" }, { namespace: "queue" }), ports: [Port.tcp(5672)], allowAtSource: true })',
    );
    const fixed = new Chart(Testing.app(), 'policies');
    new ClusterDefaultDeny(fixed, 'deny', { egress: true });
    new Connection(fixed, 'worker-to-queue', {
      from,
      to,
      ports: [Port.tcp(5672)],
      allowAtSource: true,
      allowAtDestination: true,
    });
    const manifests = Testing.synth(fixed);
    expect(manifests).toAllowFlow({ from: 'jobs/app=worker', to: 'queue/app=queue', port: 5672 });
    expect(manifests).toDenyFlow({ from: 'jobs/app=worker', to: 'queue/app=queue', port: 5673 });
    // The written sides only add allows: the worker's other egress is unchanged without the default deny.
    const alone = new Chart(Testing.app(), 'alone');
    new Connection(alone, 'c', { from, to, ports: [Port.tcp(5672)], allowAtSource: true });
    expect(Testing.synth(alone)).toAllowFlow({ from: 'jobs/app=worker', to: 'fqdn:example.com', port: 443 });
  });

  test('a source under an egress default deny written elsewhere: frontEgressDefaultDenied writes the front side', () => {
    const build = (frontEgressDefaultDenied: boolean) => {
      const app = Testing.app();
      const chart = new Chart(app, 'policies');
      new Include(chart, 'platform', { url: `${__dirname}/fixtures/egress-default-deny.yaml` });
      // The edge proxies' own egress is default-denied by the same platform policy: their side.
      new Connection(chart, 'edge-to-shop', {
        from: EndpointSelector.allInNamespace('edge'),
        to: EndpointSelector.labels({ app: 'web' }, { namespace: 'shop' }),
        ports: [Port.tcp(8080)],
        allowAtSource: true,
      });
      new TieredApp(chart, 'shop', {
        namespace: 'shop',
        frontClients: [EndpointSelector.allInNamespace('edge')],
        frontEgressDefaultDenied,
        front: { name: 'web', pods: EndpointSelector.labels({ app: 'web' }), ports: [Port.tcp(8080)] },
        backends: [{ name: 'db', pods: EndpointSelector.labels({ app: 'db' }), ports: [Port.tcp(5432)] }],
      });
      return chart;
    };
    expect(() => Testing.synth(build(false))).toThrow(
      /shop\/app=web -> shop\/app=db on 5432\/TCP would be dropped once enforced: egress at the source shop\/app=web is default-deny \(made so by CiliumClusterwideNetworkPolicy platform-egress-default-deny at spec.egress \(construct policies\/platform\/[^)]*\)\)[^\n]*Fix: the front is egress default-denied by a policy outside this app: set `frontEgressDefaultDenied: true`/,
    );
    const manifests = Testing.synth(build(true));
    expect(manifests).toAllowFlow({ from: 'shop/app=web', to: 'shop/app=db', port: 5432 });
    expect(manifests).toAllowFlow({ from: 'edge/app=proxy', to: 'shop/app=web', port: 8080 });
    expect(manifests).toDenyFlow({ from: 'other/app=proxy', to: 'shop/app=web', port: 8080 });
  });

  test('the ingress controller policy collects every backend of the app, in any chart and any order, on container ports', () => {
    const app = Testing.app();
    const first = new Chart(app, 'edge');
    const controller = IngressController.ingressNginx();
    new IngressControllerPolicy(first, 'nginx', { controller });
    const second = new Chart(app, 'apps');
    const blog = new plus.Deployment(second, 'blog', {
      metadata: { namespace: 'blog' },
      containers: [{ image: 'ghost', portNumber: 2368 }],
    });
    new IngressOnlyApp(second, 'blog-policy', {
      pods: blog,
      ports: [Port.tcp(2368)],
      ingressController: controller,
    });
    new ClusterDefaultDeny(second, 'deny', { egress: true });
    const manifests = [...Testing.synth(first), ...Testing.synth(second)];
    expect(manifests).toAllowFlow({
      from: 'ingress-nginx/app.kubernetes.io/name=ingress-nginx,app.kubernetes.io/instance=ingress-nginx,app.kubernetes.io/component=controller',
      to: blog,
      port: 2368,
    });
    expect(manifests).toAllowFlow({
      from: 'entity:kube-apiserver',
      to: 'ingress-nginx/app.kubernetes.io/name=ingress-nginx,app.kubernetes.io/instance=ingress-nginx,app.kubernetes.io/component=controller',
      port: 8443,
    });
    expect(manifests).toAllowFlow({
      from: 'cidr:192.0.2.1',
      to: 'ingress-nginx/app.kubernetes.io/name=ingress-nginx,app.kubernetes.io/instance=ingress-nginx,app.kubernetes.io/component=controller',
      port: 443,
    });
  });

  test('IngressClients.cidrs narrows who reaches the entrypoints', () => {
    const chart = new Chart(Testing.app(), 'edge');
    new IngressControllerPolicy(chart, 'traefik', {
      controller: IngressController.traefik(),
      clients: [IngressClientsCidrs()],
    });
    const manifests = Testing.synth(chart);
    expect(manifests).toAllowFlow({ from: 'cidr:192.168.1.20', to: traefik, port: 8443 });
    expect(manifests).toDenyFlow({ from: 'cidr:203.0.113.9', to: traefik, port: 8443 });
  });

  test('SameNamespaceTraffic: both directions, and only allows', () => {
    const chart = new Chart(Testing.app(), 'mon');
    new SameNamespaceTraffic(chart, 'monitoring', { namespace: 'monitoring' });
    new ClusterDefaultDeny(chart, 'deny', { egress: true });
    const manifests = Testing.synth(chart);
    expect(manifests).toAllowFlow({
      from: 'monitoring/app=grafana',
      to: 'monitoring/app=prometheus',
      port: 9090,
    });
    expect(manifests).toAllowFlow({
      from: 'monitoring/app=prometheus',
      to: 'monitoring/app=grafana',
      port: 3000,
    });
    expect(manifests).toDenyFlow({ from: 'other/app=x', to: 'monitoring/app=prometheus', port: 9090 });
    const alone = new Chart(Testing.app(), 'alone');
    new SameNamespaceTraffic(alone, 'monitoring', { namespace: 'monitoring' });
    expect(Testing.synth(alone)).toAllowFlow({
      from: 'other/app=x',
      to: 'monitoring/app=prometheus',
      port: 9090,
    });
  });

  test('ConnectionEnd.of: entities and DNS names as ends', () => {
    expect(ConnectionEnd.of(Entity.WORLD).describe()).toBe('entity:world');
    expect(ConnectionEnd.of(Fqdn.pattern('*.github.com')).describe()).toBe('fqdn:api.github.com');
    expect(ConnectionEnd.of(EndpointSelector.labels({ app: 'a' }), 'ns').describe()).toBe('ns/app=a');
  });
});

import { IngressClients } from '../../lib';
function IngressClientsCidrs(): IngressClients {
  return IngressClients.cidrs('192.168.1.0/24');
}
