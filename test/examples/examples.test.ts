import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { Yaml } from 'cdk8s';
import {
  CiliumPolicy,
  ClusterDefaultDeny,
  EndpointSelector,
  Entity,
  Fqdn,
  FqdnEgress,
  IngressRule,
  Peer,
  Port,
} from '../../lib';
import { LockdownApp } from '../../lib/helm';
import { buildHomelab } from '../../examples/homelab/main';
import { build as clusterDefaultDeny } from '../../examples/cluster-default-deny/main';
import { build as customPolicy } from '../../examples/custom-policy/main';
import { build as fqdnEgress } from '../../examples/fqdn-egress/main';
import { build as ingressOnlyApp } from '../../examples/ingress-only-app/main';
import { build as tieredApp } from '../../examples/tiered-app/main';
import { build as ingressControllerPolicy } from '../../examples/ingress-controller-policy/main';
import { build as argocd } from '../../examples/argocd/main';
import { build as sameNamespaceTraffic } from '../../examples/same-namespace-traffic/main';
import { build as connection } from '../../examples/connection/main';
import { policiesOf, synthChecked, testChart } from '../support/synth';

describe('per-construct examples', () => {
  test.each([
    ['ingress-only-app', ingressOnlyApp],
    ['tiered-app', tieredApp],
    ['fqdn-egress', fqdnEgress],
    ['cluster-default-deny', clusterDefaultDeny],
    ['custom-policy', customPolicy],
    ['ingress-controller-policy', ingressControllerPolicy],
    ['argocd', argocd],
    ['same-namespace-traffic', sameNamespaceTraffic],
    ['connection', connection],
  ])('%s', (_name, build) => {
    expect(synthChecked(build(Testing.app()))).toMatchSnapshot();
  });
});

describe('the homelab example', () => {
  test('snapshot of every manifest', () => {
    const app = Testing.app();
    buildHomelab(app);
    expect(synthChecked(app)).toMatchSnapshot();
  });

  test('has the end-state policies: Traefik, blog, webapp + postgres, Argo CD per component, the cluster default deny', () => {
    const app = Testing.app();
    buildHomelab(app);
    const policies = policiesOf(synthChecked(app));
    expect(policies.map((p) => `${p.kind} ${p.metadata!.namespace ?? ''}/${p.metadata!.name}`)).toEqual([
      'CiliumNetworkPolicy traefik/traefik',
      'CiliumNetworkPolicy blog/blog-policy',
      'CiliumNetworkPolicy webapp/webapp-policy',
      'CiliumNetworkPolicy webapp/postgres-policy',
      'CiliumNetworkPolicy argocd/argocd-server',
      'CiliumNetworkPolicy argocd/argocd-repo-server',
      'CiliumNetworkPolicy argocd/argocd-application-controller',
      'CiliumNetworkPolicy argocd/argocd-applicationset-controller',
      'CiliumNetworkPolicy argocd/argocd-redis',
      'CiliumNetworkPolicy argocd/argocd-dex-server',
      'CiliumNetworkPolicy argocd/argocd-notifications-controller',
      'CiliumClusterwideNetworkPolicy /cluster-default-deny',
    ]);
    const byName = (n: string) => policies.find((p) => p.metadata!.name === n)!;
    // The Service listens on 8080; the policy must name the container port 3000.
    expect(byName('webapp-policy').spec.ingress[0].toPorts[0].ports).toEqual([
      { port: '3000', protocol: 'TCP' },
    ]);
    // Default deny both ways, DNS in the same object.
    const deny = byName('cluster-default-deny');
    expect(deny.spec.egress[0].toPorts[0].rules.dns).toEqual([{ matchPattern: '*' }]);
    expect(deny.spec.ingress).toEqual([{}]);
    // Traefik's egress lists every backend routed to it, on container ports.
    const traefikEgress = byName('traefik').spec.egress.map(
      (r: any) => r.toEndpoints?.[0]?.matchLabels?.['k8s:io.kubernetes.pod.namespace'],
    );
    expect(traefikEgress).toEqual(expect.arrayContaining(['blog', 'webapp', 'argocd']));
    const repo = byName('argocd-repo-server');
    expect(repo.spec.egress.find((r: any) => r.toFQDNs).toFQDNs).toContainEqual({ matchName: 'github.com' });
    expect(repo.spec.egress[0].toPorts[0].rules.dns).toEqual([{ matchPattern: '*' }]);
  });

  test('cdk8s synth writes the policies and the Helm values file, deterministically', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-'));
    const synthOnce = () => {
      const app = new LockdownApp({ outdir });
      buildHomelab(app);
      app.synth();
      return fs
        .readdirSync(outdir, { recursive: true })
        .map(String)
        .sort()
        .filter((f) => fs.statSync(path.join(outdir, f)).isFile())
        .map((f) => [f, fs.readFileSync(path.join(outdir, f), 'utf8')]);
    };
    try {
      const first = synthOnce();
      expect(first.map(([f]) => f)).toEqual([
        'cilium/values.yaml',
        'homelab-policies.k8s.yaml',
        'homelab-workloads.k8s.yaml',
      ]);
      expect(synthOnce()).toEqual(first);
      const values = Yaml.load(path.join(outdir, 'cilium/values.yaml'))[0];
      expect(values.policyAuditMode).toBe(true);
      expect(values.encryption).toEqual({ enabled: true, type: 'wireguard', nodeEncryption: true });
      expect(values.hubble.relay.enabled).toBe(true);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('determinism across input orderings', () => {
  test('names, ports, entities and namespaces render in a canonical order', () => {
    const render = (reverse: boolean) => {
      const order = <T>(items: T[]) => (reverse ? [...items].reverse() : items);
      const chart = testChart();
      new FqdnEgress(chart, 'f', {
        policyName: 'f',
        namespace: 'a',
        pods: EndpointSelector.labels(reverse ? { b: '2', a: '1' } : { a: '1', b: '2' }),
        fqdns: order([Fqdn.name('b.com'), Fqdn.name('a.com'), Fqdn.pattern('*.c.com')]),
        ports: order([Port.tcp(443), Port.tcp(22), Port.udp(443)]),
      });
      new ClusterDefaultDeny(chart, 'd', {
        policyName: 'd',
        exemptNamespaces: order(['kube-system', 'monitoring', 'argocd']),
      });
      new CiliumPolicy(chart, 'p', {
        name: 'p',
        namespace: 'a',
        endpointSelector: EndpointSelector.all(),
        ingress: [
          IngressRule.allowFrom(Peer.entities(...order([Entity.HOST, Entity.HEALTH, Entity.REMOTE_NODE]))),
        ],
      });
      return JSON.stringify(synthChecked(chart));
    };
    expect(render(true)).toEqual(render(false));
  });
});
