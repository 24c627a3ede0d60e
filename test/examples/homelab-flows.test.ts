import { Testing } from 'cdk8s';
import { ciliumMatchers } from '../../lib/testing';
import { buildHomelab } from '../../examples/homelab/main';
import { KubeManifest } from '../../lib/manifest/types';

expect.extend(ciliumMatchers);

/** The seed's Hubble checks, offline: what the homelab policies let through once enforced. */
describe('homelab flows', () => {
  let manifests: KubeManifest[];
  let workloads: ReturnType<typeof buildHomelab>['workloads'];
  beforeAll(() => {
    const app = Testing.app();
    ({ workloads } = buildHomelab(app));
    manifests = app.charts.flatMap((c) => Testing.synth(c));
  });

  const traefik = 'traefik/app.kubernetes.io/instance=traefik-traefik';

  test('traefik may reach blog:80; default may not', () => {
    expect(manifests).toAllowFlow({ from: traefik, to: 'blog/app=blog', port: '80/TCP' });
    expect(manifests).toDenyFlow({ from: 'default/app=curl', to: 'blog/app=blog', port: '80/TCP' });
    expect(manifests).toDenyFlow({ from: traefik, to: 'blog/app=blog', port: '81/TCP' });
  });

  test('traefik takes web traffic from outside on its container ports, nothing else', () => {
    expect(manifests).toAllowFlow({ from: 'cidr:203.0.113.7', to: traefik, port: '8443/TCP' });
    expect(manifests).toAllowFlow({ from: 'entity:remote-node', to: traefik, port: '8000/TCP' });
    expect(manifests).toDenyFlow({ from: 'cidr:203.0.113.7', to: traefik, port: '9000/TCP' });
  });

  test('kubelet probes from the host reach the blog', () => {
    expect(manifests).toAllowFlow({ from: 'entity:host', to: workloads.blog, port: 80 });
  });

  test('traefik reaches the webapp on its container port 3000, not the Service port 8080', () => {
    expect(manifests).toAllowFlow({ from: traefik, to: workloads.webapp, port: '3000/TCP' });
    expect(manifests).toDenyFlow({ from: traefik, to: workloads.webapp, port: '8080/TCP' });
  });

  test('webapp -> postgres:5432 is allowed; postgres from another namespace is not', () => {
    expect(manifests).toAllowFlow({ from: workloads.webapp, to: workloads.postgres, port: '5432/TCP' });
    expect(manifests).toDenyFlow({ from: 'argocd/app.kubernetes.io/part-of=argocd', to: workloads.postgres, port: '5432/TCP' });
    expect(manifests).toDenyFlow({ from: 'blog/app=blog', to: 'webapp/app=postgres', port: 5432 });
  });

  test('the webapp egress is locked to postgres and DNS', () => {
    expect(manifests).toAllowFlow({ from: workloads.webapp, to: 'kube-system/k8s-app=kube-dns', port: '53/UDP' });
    expect(manifests).toDenyFlow({ from: workloads.webapp, to: 'fqdn:example.com', port: '443/TCP' });
  });

  test('ArgoCD reaches api.github.com and the apex github.com (through the helper), but not example.com', () => {
    const argocd = 'argocd/app.kubernetes.io/part-of=argocd,app.kubernetes.io/name=argocd-repo-server';
    expect(manifests).toAllowFlow({ from: argocd, to: 'fqdn:api.github.com', port: '443/TCP' });
    expect(manifests).toAllowFlow({ from: argocd, to: 'fqdn:github.com', port: '443/TCP' });
    expect(manifests).toAllowFlow({ from: argocd, to: 'fqdn:raw.githubusercontent.com', port: '443/TCP' });
    expect(manifests).toDenyFlow({ from: argocd, to: 'fqdn:example.com', port: '443/TCP' });
    expect(manifests).toDenyFlow({ from: argocd, to: 'fqdn:api.github.com', port: '80/TCP' });
    expect(manifests).toAllowFlow({ from: argocd, to: 'entity:kube-apiserver', port: '6443/TCP' });
    expect(manifests).toAllowFlow({ from: argocd, to: 'argocd/app.kubernetes.io/part-of=argocd,app.kubernetes.io/name=argocd-redis', port: '6379/TCP' });
  });

  test('the ArgoCD UI through Traefik', () => {
    expect(manifests).toAllowFlow({ from: traefik, to: 'argocd/app.kubernetes.io/part-of=argocd,app.kubernetes.io/name=argocd-server', port: '8080/TCP' });
  });

  test('the cluster default deny: a namespace without policies is closed for ingress, kube-system and monitoring are exempt', () => {
    expect(manifests).toAllowFlow({ from: 'monitoring/app.kubernetes.io/name=grafana', to: 'monitoring/app.kubernetes.io/name=prometheus', port: '9090/TCP' });
    expect(manifests).toDenyFlow({ from: 'blog/app=blog', to: 'default/app=whoami', port: 80 });
    expect(manifests).toAllowFlow({ from: 'blog/app=blog', to: 'kube-system/k8s-app=kube-dns', port: '53/UDP' });
  });

  test('a failing expectation explains both directions', () => {
    expect(() => expect(manifests).toAllowFlow({ from: 'default/app=curl', to: 'blog/app=blog', port: '80/TCP' }))
      .toThrow(/ingress at blog\/app=blog: DEFAULT_DENY/);
  });
});
