import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import {
  CiliumPolicy, ClusterDefaultDeny, EndpointSelector, Entity, Fqdn, FqdnEgress, IngressController, IngressOnlyApp, Peer, Port,
  PolicyRule, TieredApp,
} from '../../lib';
import { HomelabWorkloads } from './workloads';

/** The homelab's lockdown: every policy of the seed, with its mistakes fixed. */
export class HomelabPolicies extends Chart {
  constructor(scope: Construct, id: string, workloads: HomelabWorkloads, props: ChartProps = {}) {
    super(scope, id, props);
    const traefik = IngressController.traefik({ namespace: 'traefik', instance: 'traefik-traefik' });

    // Traefik itself is under the default deny too: it takes traffic from outside. NodePort or
    // LoadBalancer traffic arrives as world, or as remote-node when another node forwarded it.
    new CiliumPolicy(this, 'traefik', {
      name: 'traefik-ingress',
      namespace: 'traefik',
      metadata: { annotations: { 'lint.cilium-lockdown.io/ignore': 'ingress-from-world' } },
      description: 'Traefik accepts web traffic from outside the cluster on its container ports',
      endpointSelector: EndpointSelector.labels({ 'app.kubernetes.io/instance': 'traefik-traefik' }),
      ingress: [
        PolicyRule.allowFrom(Peer.entities(Entity.WORLD, Entity.REMOTE_NODE), Port.tcp(8000), Port.tcp(8443)),
        PolicyRule.allowFrom(Peer.entities(Entity.HOST, Entity.HEALTH)),
      ],
    });

    new IngressOnlyApp(this, 'blog', {
      name: 'blog-policy',
      app: workloads.blog,
      ports: [Port.fromService(workloads.blogService)],
      ingressController: traefik,
    });

    new TieredApp(this, 'webapp', {
      ingressController: traefik,
      // Port.fromService resolves the Service's 8080 to the container's 3000.
      front: { name: 'webapp', policyName: 'webapp-policy', pods: workloads.webapp, ports: [Port.fromService(workloads.webappService)] },
      backends: [{ name: 'postgres', policyName: 'postgres-policy', pods: workloads.postgres, ports: [Port.tcp(5432)] }],
      lockDownFrontEgress: true,
    });

    const argocd = EndpointSelector.labels({ 'app.kubernetes.io/part-of': 'argocd' });
    new FqdnEgress(this, 'argocd', {
      name: 'argocd-egress',
      namespace: 'argocd',
      pods: argocd,
      fqdns: [Fqdn.domainAndSubdomains('github.com'), Fqdn.domainAndSubdomains('githubusercontent.com')],
      allowKubeApiserver: true,
      allowSameNamespace: true,
    });

    // The default deny below closes ArgoCD's ingress too: its components talk to each other.
    new CiliumPolicy(this, 'argocd-internal', {
      name: 'argocd-internal',
      namespace: 'argocd',
      description: 'ArgoCD components reach each other; kubelet probes reach them',
      endpointSelector: argocd,
      ingress: [
        PolicyRule.allowFrom(Peer.endpoints(EndpointSelector.namespace('argocd'))),
        // The ArgoCD UI through Traefik (argocd-server's container port).
        PolicyRule.ingress({ from: traefik.peer, ports: [Port.tcp(8080)] }),
        PolicyRule.allowFrom(Peer.entities(Entity.HOST, Entity.HEALTH)),
      ],
    });

    // kube-prometheus-stack (which scrapes Hubble's metrics) is left open until it gets policies of
    // its own: Grafana, Prometheus, its exporters and its admission webhook all talk to each other.
    new ClusterDefaultDeny(this, 'default-deny', { name: 'cluster-default-deny', exemptNamespaces: ['kube-system', 'monitoring'] });
  }
}
