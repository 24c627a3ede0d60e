/** A homelab-like policy set: traefik in front of a blog, a webapp with postgres, argocd with GitHub, a cluster-wide default deny. */
import { PolicyEngine } from '../../lib/engine/engine';
import { ccnp, cnp, flow, refs } from './helpers';

const dnsEgress = {
  toEndpoints: [
    { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' } },
  ],
  toPorts: [
    {
      ports: [
        { port: '53', protocol: 'UDP' },
        { port: '53', protocol: 'TCP' },
      ],
      rules: { dns: [{ matchPattern: '*' }] },
    },
  ],
};

const policies = [
  // 1.2/9: cluster-wide default deny that still allows DNS (with DNS visibility for toFQDNs, 4.3)
  ccnp('default-deny', {
    endpointSelector: {
      matchExpressions: [
        { key: 'k8s:io.kubernetes.pod.namespace', operator: 'NotIn', values: ['kube-system'] },
      ],
    },
    egress: [dnsEgress],
    ingress: [{}],
  }),
  cnp('traefik', 'traefik', {
    endpointSelector: { matchLabels: { 'app.kubernetes.io/instance': 'traefik-traefik' } },
    ingress: [
      {
        fromEntities: ['world'],
        toPorts: [
          {
            ports: [
              { port: '8000', protocol: 'TCP' },
              { port: '8443', protocol: 'TCP' },
            ],
          },
        ],
      },
    ],
    egress: [
      {
        toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'blog', app: 'blog' } }],
        toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }],
      },
    ],
  }),
  cnp('blog', 'blog-policy', {
    endpointSelector: { matchLabels: { app: 'blog' } },
    ingress: [
      {
        fromEndpoints: [
          {
            matchLabels: {
              'k8s:io.kubernetes.pod.namespace': 'traefik',
              'app.kubernetes.io/instance': 'traefik-traefik',
            },
          },
        ],
        toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }],
      },
    ],
  }),
  cnp('webapp', 'webapp', {
    endpointSelector: { matchLabels: { app: 'webapp' } },
    egress: [
      {
        toEndpoints: [{ matchLabels: { app: 'postgres' } }],
        toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }],
      },
    ],
  }),
  cnp('webapp', 'postgres', {
    endpointSelector: { matchLabels: { app: 'postgres' } },
    ingress: [
      {
        fromEndpoints: [{ matchLabels: { app: 'webapp' } }],
        toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }],
      },
    ],
  }),
  cnp('argocd', 'argocd-repo-server', {
    endpointSelector: { matchLabels: { 'app.kubernetes.io/name': 'argocd-repo-server' } },
    egress: [
      {
        toFQDNs: [{ matchPattern: '*.github.com' }, { matchName: 'github.com' }],
        toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }],
      },
    ],
  }),
  cnp('argocd', 'argocd-apex-less', {
    endpointSelector: { matchLabels: { 'app.kubernetes.io/name': 'argocd-dex' } },
    egress: [
      {
        toFQDNs: [{ matchPattern: '*.github.com' }],
        toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }],
      },
    ],
  }),
];

const TRAEFIK = 'traefik/app.kubernetes.io/instance=traefik-traefik';
const BLOG = 'blog/app=blog';
const REPO = 'argocd/app.kubernetes.io/name=argocd-repo-server';
const DEX = 'argocd/app.kubernetes.io/name=argocd-dex';
const engine = PolicyEngine.fromManifests(policies);

describe('homelab', () => {
  test('no warnings', () => expect(engine.warnings).toEqual([]));

  test.each([
    ['traefik -> blog:80 is allowed on both sides', TRAEFIK, BLOG, '80/TCP', 'FORWARDED'],
    ['traefik -> blog:81 is dropped', TRAEFIK, BLOG, '81/TCP', 'DROPPED'],
    ['default namespace -> blog:80 is dropped', 'default/app=curl', BLOG, '80/TCP', 'DROPPED'],
    ['internet -> traefik:8443 is allowed', 'cidr:203.0.113.7', TRAEFIK, '8443/TCP', 'FORWARDED'],
    ['internet -> blog directly is dropped', 'cidr:203.0.113.7', BLOG, '80/TCP', 'DROPPED'],
    [
      'webapp -> postgres:5432 is allowed',
      'webapp/app=webapp',
      'webapp/app=postgres',
      '5432/TCP',
      'FORWARDED',
    ],
    [
      'another namespace -> postgres is dropped',
      'evil/app=webapp',
      'webapp/app=postgres',
      '5432/TCP',
      'DROPPED',
    ],
    ['argocd -> api.github.com is allowed', REPO, 'fqdn:api.github.com@140.82.112.6', '443/TCP', 'FORWARDED'],
    ['argocd -> github.com (listed apex) is allowed', REPO, 'fqdn:github.com', '443/TCP', 'FORWARDED'],
    ['argocd -> example.com is dropped', REPO, 'fqdn:example.com', '443/TCP', 'DROPPED'],
    [
      'argocd-dex -> github.com apex is dropped when only *.github.com is listed',
      DEX,
      'fqdn:github.com',
      '443/TCP',
      'DROPPED',
    ],
    [
      'kubelet probes (host) reach the blog despite the default deny',
      'entity:host',
      BLOG,
      '80/TCP',
      'FORWARDED',
    ],
    [
      'kubelet probes reach a pod selected only by the CCNP',
      'entity:host',
      'webapp/app=worker',
      '8080/TCP',
      'FORWARDED',
    ],
    ['any pod may resolve DNS', 'webapp/app=worker', 'kube-system/k8s-app=kube-dns', '53/UDP', 'FORWARDED'],
    ['pods may not reach each other by default', 'webapp/app=worker', BLOG, '80/TCP', 'DROPPED'],
    [
      'kube-system is exempt from the CCNP',
      'kube-system/k8s-app=metrics-server',
      'entity:remote-node',
      '10250/TCP',
      'FORWARDED',
    ],
  ])('%s', (_name, from, to, port, verdict) => {
    expect(engine.evaluate(flow(from, to, port)).verdict).toBe(verdict);
  });

  test('the DNS allowance carries L7 DNS rules (10.3)', () => {
    const r = engine.evaluate(flow('webapp/app=worker', 'kube-system/k8s-app=kube-dns', '53/UDP'));
    expect(r.egress).toMatchObject({ decision: 'ALLOWED', l7: true });
    expect(refs(r.egress)).toEqual(['CCNP default-deny spec.egress[0]']);
  });

  test('the blog drop names the deciding policies on each side', () => {
    const r = engine.evaluate(flow('default/app=curl', BLOG, '80/TCP'));
    expect(refs(r.egress)).toEqual(['CCNP default-deny spec.egress']);
    expect(refs(r.ingress)).toEqual(['CNP blog/blog-policy spec.ingress', 'CCNP default-deny spec.ingress']);
  });
});
