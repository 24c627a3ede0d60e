import { Testing } from 'cdk8s';
import { buildHomelab } from '../../examples/homelab/main';
import { computeMatrix } from '../../lib/matrix';
import { POLICY_SUBJECT_KIND } from '../../lib/matrix/subjects';
import { buildServiceMap } from '../../lib/matrix/service-map';
import { verdicts } from './helpers';

/** The homelab as synthesized: Traefik and Argo CD have policies but no workload manifests (Helm installs them). */
function homelabMatrix() {
  const app = Testing.app();
  buildHomelab(app);
  const manifests = app.charts.flatMap((c) => Testing.synth(c));
  return computeMatrix(
    { policies: manifests.map((manifest) => ({ manifest, file: 'dist/homelab.k8s.yaml' })) },
    { engine: {} },
  );
}

describe('policy subjects without workload manifests', () => {
  const m = homelabMatrix();

  test("Traefik and each Argo CD component are nodes, built from their policies' selectors", () => {
    const subjects = m.nodes.filter((n) => n.workloadKind === POLICY_SUBJECT_KIND);
    expect(subjects.map((n) => n.id)).toEqual([
      'argocd/argocd-application-controller',
      'argocd/argocd-applicationset-controller',
      'argocd/argocd-dex-server',
      'argocd/argocd-notifications-controller',
      'argocd/argocd-redis',
      'argocd/argocd-repo-server',
      'argocd/argocd-server',
      'traefik/traefik-traefik',
    ]);
    const traefik = subjects.find((n) => n.id === 'traefik/traefik-traefik')!;
    expect(traefik.labels).toContain('k8s:app.kubernetes.io/instance=traefik-traefik');
    expect(traefik.origin).toBe('CiliumNetworkPolicy traefik/traefik (dist/homelab.k8s.yaml)');
    // The workloads the manifests do describe are not doubled.
    expect(m.nodes.filter((n) => n.namespace === 'blog').map((n) => n.id)).toEqual(['blog/blog']);
  });

  test("their edges are evaluated like any workload's", () => {
    expect(verdicts(m, 'traefik/traefik-traefik', 'blog/blog')['80/TCP']).toBe('FORWARDED');
    expect(verdicts(m, 'argocd/argocd-server', 'argocd/argocd-repo-server')).toEqual(
      expect.objectContaining({ '8081/TCP': 'FORWARDED' }),
    );
    expect(verdicts(m, 'entity:world', 'traefik/traefik-traefik')['8443/TCP']).toBe('FORWARDED');
  });

  test('the service map draws them', () => {
    const map = buildServiceMap(m, {});
    const ids = map.groups.flatMap((g) => g.nodes.map((n) => n.id));
    expect(ids).toEqual(expect.arrayContaining(['traefik/traefik-traefik', 'argocd/argocd-server']));
  });
});
