/** The homelab matrix answers what the semantics predict (docs/cilium-semantics.md). */
import { loadManifests } from '../../lib/manifest/load';
import { computeMatrix } from '../../lib/matrix/compute';
import { ConnectivityMatrix } from '../../lib/matrix/model';
import { cellsOf, FIXTURES, verdicts } from './helpers';

let m: ConnectivityMatrix;
beforeAll(() => {
  m = computeMatrix({ policies: loadManifests([FIXTURES]) });
});

test('nodes: workloads of every file, world and host plus the entities policies mention, FQDNs of toFQDNs', () => {
  expect(m.nodes.map((n) => n.id)).toEqual([
    'argocd/argocd-server',
    'blog/blog',
    'default/debug',
    'kube-system/coredns',
    'traefik/traefik',
    'webapp/postgres',
    'webapp/webapp',
    'entity:health',
    'entity:host',
    'entity:kube-apiserver',
    'entity:world',
    'fqdn:api.github.com',
    'fqdn:api.githubusercontent.com',
    'fqdn:github.com',
    'fqdn:githubusercontent.com',
  ]);
  expect(m.nodes.map((n) => n.id)).not.toContain('fqdn:example.com');
  expect(m.fqdnExamples).toEqual([
    { pattern: '**.github.com', example: 'api.github.com' },
    { pattern: '**.githubusercontent.com', example: 'api.githubusercontent.com' },
  ]);
  const blog = m.nodes.find((n) => n.id === 'blog/blog')!;
  expect(blog.labels).toContain('k8s:app=blog');
  expect(blog.labels).toContain('k8s:io.kubernetes.pod.namespace=blog');
  expect(m.nodes.find((n) => n.id === 'kube-system/coredns')!.labels).not.toContain(
    'k8s:pod-template-hash=7db6d8ff4d',
  );
});

test('ports: declared container ports plus the policy ports some rule decides on; defaults for entities', () => {
  const ports = (id: string) => m.portsByDestination.get(id)!.map((p) => p.text);
  expect(ports('blog/blog')).toEqual(['80/TCP']);
  expect(ports('kube-system/coredns')).toEqual(['53/TCP', '53/UDP', '9153/TCP']);
  expect(ports('traefik/traefik')).toEqual(['8000/TCP', '8443/TCP', '9100/TCP']);
  expect(ports('default/debug')).toEqual([]);
  expect(ports('fqdn:api.github.com')).toEqual(['443/TCP']);
  expect(ports('entity:kube-apiserver')).toEqual(['6443/TCP']);
});

test('traefik -> blog:80 and webapp -> postgres:5432 are allowed, by the rules that allow them', () => {
  const [traefikBlog] = cellsOf(m, 'traefik/traefik', 'blog/blog');
  expect(traefikBlog).toMatchObject({
    verdict: 'FORWARDED',
    egress: 'NOT_ENFORCED',
    ingress: 'ALLOWED',
    policyInvolved: true,
  });
  expect(traefikBlog.rules).toEqual(['CiliumNetworkPolicy blog/blog-policy spec.ingress[0]']);
  expect(verdicts(m, 'webapp/webapp', 'webapp/postgres')).toEqual({ '5432/TCP': 'FORWARDED' });
  expect(verdicts(m, 'traefik/traefik', 'webapp/webapp')).toEqual({ '3000/TCP': 'FORWARDED' });
});

test('default -> blog, argocd -> postgres and webapp -> the outside are denied', () => {
  expect(verdicts(m, 'default/debug', 'blog/blog')).toEqual({ '80/TCP': 'DROPPED' });
  const [argoPg] = cellsOf(m, 'argocd/argocd-server', 'webapp/postgres');
  expect(argoPg).toMatchObject({ verdict: 'DROPPED', egress: 'DEFAULT_DENY', ingress: 'DEFAULT_DENY' });
  expect(verdicts(m, 'webapp/webapp', 'fqdn:api.github.com')).toEqual({ '443/TCP': 'DROPPED' });
});

test('argocd reaches GitHub on 443 through toFQDNs; plain world is undecided with the reason', () => {
  for (const name of ['api.github.com', 'github.com', 'githubusercontent.com', 'api.githubusercontent.com']) {
    expect(verdicts(m, 'argocd/argocd-server', `fqdn:${name}`)).toEqual({ '443/TCP': 'FORWARDED' });
  }
  const [world] = cellsOf(m, 'argocd/argocd-server', 'entity:world');
  expect(world.verdict).toBe('UNDECIDED');
  expect(world.reason).toMatch(/no DNS names/);
  expect(verdicts(m, 'argocd/argocd-server', 'kube-system/coredns')).toEqual({
    '53/TCP': 'FORWARDED',
    '53/UDP': 'FORWARDED',
    '9153/TCP': 'DROPPED',
  });
});

test('the homelab findings: nothing reaches traefik or argocd-server but the host', () => {
  expect(verdicts(m, 'entity:world', 'traefik/traefik')).toEqual({
    '8000/TCP': 'DROPPED',
    '8443/TCP': 'DROPPED',
    '9100/TCP': 'DROPPED',
  });
  expect(Object.values(verdicts(m, 'argocd/argocd-server', 'argocd/argocd-server'))).toEqual([
    'DROPPED',
    'DROPPED',
  ]);
  expect(verdicts(m, 'entity:host', 'traefik/traefik')['8000/TCP']).toBe('FORWARDED');
});

test('flows no policy touches are marked so; pairs where neither end enforces are left out', () => {
  const [blogOut] = cellsOf(m, 'blog/blog', 'fqdn:github.com');
  expect(blogOut).toMatchObject({
    verdict: 'FORWARDED',
    egress: 'NOT_ENFORCED',
    ingress: 'NOT_ENFORCED',
    policyInvolved: false,
  });
  expect(cellsOf(m, 'entity:world', 'entity:host')).toEqual([]);
  expect(m.cells.some((c) => c.from.startsWith('fqdn:'))).toBe(false);
  expect(m.enforced.get('kube-system/coredns')).toEqual({ ingress: false, egress: false });
  expect(m.enforced.get('default/debug')).toEqual({ ingress: true, egress: false });
});

test('--ports replaces the ports of every destination', () => {
  const only = computeMatrix(
    { policies: loadManifests([FIXTURES]) },
    { engine: {}, ports: [{ protocol: 'TCP', port: 5432, text: '5432/TCP' }] },
  );
  expect(new Set(only.cells.map((c) => c.port.text))).toEqual(new Set(['5432/TCP']));
  expect(verdicts(only, 'webapp/webapp', 'webapp/postgres')).toEqual({ '5432/TCP': 'FORWARDED' });
  expect(verdicts(only, 'traefik/traefik', 'blog/blog')).toEqual({ '5432/TCP': 'DROPPED' });
});

test('engine options: audit mode turns drops into AUDIT, enforcement never forwards everything', () => {
  const audit = computeMatrix({ policies: loadManifests([FIXTURES]) }, { engine: { policyAuditMode: true } });
  expect(verdicts(audit, 'default/debug', 'blog/blog')).toEqual({ '80/TCP': 'AUDIT' });
  const never = computeMatrix(
    { policies: loadManifests([FIXTURES]) },
    { engine: { policyEnforcementMode: 'never' } },
  );
  expect(never.cells.every((c) => c.verdict === 'FORWARDED' && !c.policyInvolved)).toBe(true);
});
