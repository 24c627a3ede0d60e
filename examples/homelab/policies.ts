import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ArgoCd,
  ClusterDefaultDeny,
  EndpointSelector,
  IngressController,
  IngressControllerPolicy,
  IngressOnlyApp,
  Port,
  TieredApp,
} from '../../lib';
import { HomelabWorkloads } from './workloads';

/** kube-prometheus-stack's Prometheus, which scrapes Traefik's and Argo CD's metrics. */
export const PROMETHEUS = EndpointSelector.labels(
  { 'app.kubernetes.io/name': 'prometheus' },
  { namespace: 'monitoring' },
);

/**
 * The homelab's lockdown, end state: a cluster-wide default deny for ingress and egress (DNS
 * allowed in the same object), Traefik's own policy, the blog and the webapp behind it, Argo CD
 * complete, Prometheus scraping. Every connection these constructs declare is verified at synth.
 */
export class HomelabPolicies extends Chart {
  constructor(scope: Construct, id: string, workloads: HomelabWorkloads, props: ChartProps = {}) {
    super(scope, id, props);
    const traefik = IngressController.traefik({ namespace: 'traefik', instance: 'traefik-traefik' });

    // Traefik takes web traffic from outside (world, or remote-node when another node forwarded a
    // NodePort / LoadBalancer connection) and reaches every backend routed to it below.
    new IngressControllerPolicy(this, 'traefik', {
      policyName: 'traefik',
      controller: traefik,
      metricsFrom: PROMETHEUS,
    });

    new IngressOnlyApp(this, 'blog', {
      policyName: 'blog-policy',
      pods: workloads.blog,
      ports: [Port.fromService(workloads.blogService)],
      ingressController: traefik,
    });

    // The front's egress to postgres is written because the default deny below covers webapp.
    new TieredApp(this, 'webapp', {
      ingressController: traefik,
      // Port.fromService resolves the Service's 8080 to the container's 3000.
      front: {
        name: 'webapp',
        policyName: 'webapp-policy',
        pods: workloads.webapp,
        ports: [Port.fromService(workloads.webappService)],
      },
      backends: [
        {
          name: 'postgres',
          policyName: 'postgres-policy',
          pods: workloads.postgres,
          ports: [Port.tcp(5432)],
        },
      ],
    });

    // One policy per Argo CD component: their connections on the chart's ports, GitHub, the UI through Traefik.
    new ArgoCd(this, 'argocd', { ingressController: traefik, metricsFrom: PROMETHEUS });

    // kube-prometheus-stack stays exempt until it gets policies of its own: Grafana, Prometheus,
    // its exporters and its admission webhook all talk to each other and to the nodes.
    new ClusterDefaultDeny(this, 'default-deny', {
      policyName: 'cluster-default-deny',
      exemptNamespaces: ['kube-system', 'monitoring'],
      egress: true,
    });
  }
}
