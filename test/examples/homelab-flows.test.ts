import { Testing } from 'cdk8s';
import { buildHomelab } from '../../examples/homelab/main';
import { KubeManifest } from '../../lib/manifest/types';
import { ciliumMatchers, declaredFlows } from '../../lib/testing';

expect.extend(ciliumMatchers);

/** What the homelab's policies let through once enforced (no audit mode), checked offline. */
describe('homelab flows', () => {
  let manifests: KubeManifest[];
  let built: ReturnType<typeof buildHomelab>;
  let app: ReturnType<typeof Testing.app>;
  beforeAll(() => {
    app = Testing.app();
    built = buildHomelab(app);
    manifests = app.charts.flatMap((c) => Testing.synth(c));
  });

  const traefik = 'traefik/app.kubernetes.io/instance=traefik-traefik,app.kubernetes.io/name=traefik';
  const argocd = (c: string) =>
    `argocd/app.kubernetes.io/name=argocd-${c},app.kubernetes.io/part-of=argocd,app.kubernetes.io/instance=argocd`;
  const prometheus = 'monitoring/app.kubernetes.io/name=prometheus';

  test('every connection the homelab declares is allowed (it was also verified at synth)', () => {
    const flows = declaredFlows(app);
    expect(flows.length).toBeGreaterThan(30);
    for (const flow of flows) expect(manifests).toAllowFlow(flow);
  });

  test('Traefik: clients from outside on its entrypoints only', () => {
    expect(manifests).toAllowFlow({ from: 'cidr:203.0.113.7', to: traefik, port: '8443/TCP' });
    expect(manifests).toAllowFlow({ from: 'entity:remote-node', to: traefik, port: '8000/TCP' });
    expect(manifests).toDenyFlow({ from: 'cidr:203.0.113.7', to: traefik, port: '9000/TCP' });
    expect(manifests).toAllowFlow({ from: prometheus, to: traefik, port: '9100/TCP' });
  });

  test('traefik -> blog:80 works under the default deny in both directions; nothing else reaches the blog', () => {
    const { blog } = built.workloads;
    expect(manifests).toAllowFlow({ from: traefik, to: blog, port: '80/TCP' });
    expect(manifests).toDenyFlow({ from: traefik, to: blog, port: '81/TCP' });
    expect(manifests).toDenyFlow({ from: 'default/app=curl', to: blog, port: '80/TCP' });
    expect(manifests).toAllowFlow({ from: 'entity:host', to: blog, port: 80 });
  });

  test('Traefik egress is only its backends, the API server and DNS', () => {
    expect(manifests).toDenyFlow({ from: traefik, to: 'fqdn:example.com', port: '443/TCP' });
    expect(manifests).toDenyFlow({ from: traefik, to: built.workloads.postgres, port: '5432/TCP' });
    expect(manifests).toAllowFlow({ from: traefik, to: 'entity:kube-apiserver', port: '6443/TCP' });
    expect(manifests).toAllowFlow({ from: traefik, to: 'kube-system/k8s-app=kube-dns', port: '53/UDP' });
  });

  test('traefik -> webapp on the container port 3000, not the Service port; webapp -> postgres:5432', () => {
    const { webapp, postgres } = built.workloads;
    expect(manifests).toAllowFlow({ from: traefik, to: webapp, port: '3000/TCP' });
    expect(manifests).toDenyFlow({ from: traefik, to: webapp, port: '8080/TCP' });
    expect(manifests).toAllowFlow({ from: webapp, to: postgres, port: '5432/TCP' });
    expect(manifests).toDenyFlow({ from: argocd('server'), to: postgres, port: '5432/TCP' });
    expect(manifests).toDenyFlow({ from: webapp, to: 'fqdn:example.com', port: '443/TCP' });
    expect(manifests).toAllowFlow({ from: webapp, to: 'kube-system/k8s-app=kube-dns', port: '53/UDP' });
  });

  test('Argo CD: its components reach each other on the chart ports, and nothing more', () => {
    expect(manifests).toAllowFlow({ from: argocd('server'), to: argocd('repo-server'), port: '8081/TCP' });
    expect(manifests).toAllowFlow({
      from: argocd('application-controller'),
      to: argocd('repo-server'),
      port: '8081/TCP',
    });
    expect(manifests).toAllowFlow({ from: argocd('repo-server'), to: argocd('redis'), port: '6379/TCP' });
    expect(manifests).toAllowFlow({ from: argocd('server'), to: argocd('dex-server'), port: '5557/TCP' });
    expect(manifests).toDenyFlow({ from: argocd('redis'), to: argocd('repo-server'), port: '8081/TCP' });
    expect(manifests).toDenyFlow({ from: argocd('dex-server'), to: argocd('redis'), port: '6379/TCP' });
    expect(manifests).toAllowFlow({ from: traefik, to: argocd('server'), port: '8080/TCP' });
    expect(manifests).toAllowFlow({
      from: prometheus,
      to: argocd('application-controller'),
      port: '8082/TCP',
    });
  });

  test('Argo CD reaches GitHub (apex and subdomains) and the API server, not other names', () => {
    const repo = argocd('repo-server');
    expect(manifests).toAllowFlow({ from: repo, to: 'fqdn:github.com', port: '443/TCP' });
    expect(manifests).toAllowFlow({ from: repo, to: 'fqdn:raw.githubusercontent.com', port: '443/TCP' });
    expect(manifests).toDenyFlow({ from: repo, to: 'fqdn:example.com', port: '443/TCP' });
    expect(manifests).toDenyFlow({ from: repo, to: 'fqdn:api.github.com', port: '80/TCP' });
    expect(manifests).toAllowFlow({
      from: argocd('application-controller'),
      to: 'entity:kube-apiserver',
      port: '6443/TCP',
    });
    expect(manifests).toDenyFlow({ from: argocd('redis'), to: 'fqdn:github.com', port: '443/TCP' });
  });

  test('the cluster default deny, both directions: a namespace without policies is closed, DNS stays open', () => {
    expect(manifests).toDenyFlow({ from: 'blog/app=other', to: 'default/app=whoami', port: 80 });
    expect(manifests).toDenyFlow({ from: 'default/app=curl', to: 'fqdn:example.com', port: '443/TCP' });
    expect(manifests).toAllowFlow({
      from: 'default/app=curl',
      to: 'kube-system/k8s-app=kube-dns',
      port: '53/UDP',
    });
    expect(manifests).toAllowFlow({
      from: 'monitoring/app.kubernetes.io/name=grafana',
      to: prometheus,
      port: '9090/TCP',
    });
  });

  test('a failing expectation explains both directions', () => {
    expect(() =>
      expect(manifests).toAllowFlow({ from: 'default/app=curl', to: built.workloads.blog, port: '80/TCP' }),
    ).toThrow(/egress at default\/app=curl: DEFAULT_DENY[\s\S]*ingress at blog\/[^:]*: DEFAULT_DENY/);
  });

  test("the proposed fix is this library's TypeScript for that pod, never a rule in the cluster-wide policy", () => {
    let message = '';
    try {
      expect(manifests).toAllowFlow({ from: 'default/app=curl', to: built.workloads.blog, port: '80/TCP' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(
      'new Connection(this, \'connection\', { from: EndpointSelector.labels({ app: "curl" }, { namespace: "default" }), ' +
        'to: EndpointSelector.labels({ app: "blog" }, { namespace: "blog" }), ports: [Port.tcp(80)], allowAtSource: true })',
    );
    expect(message).toContain('allowAtDestination: true })');
    expect(message).not.toMatch(/add to CiliumClusterwideNetworkPolicy/);
  });
});
