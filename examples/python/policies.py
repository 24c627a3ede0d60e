"""The homelab's lockdown, end state: a cluster-wide default deny for ingress and egress (DNS
allowed in the same object), Traefik's own policy, the blog and the webapp behind it, Argo CD
complete, Prometheus scraping. Every connection these constructs declare is verified at synth."""

from cdk8s import Chart
from cdk8s_cilium_lockdown import (
    ArgoCd,
    ClusterDefaultDeny,
    EndpointSelector,
    IngressController,
    IngressControllerPolicy,
    IngressOnlyApp,
    Port,
    TierProps,
    TieredApp,
)
from constructs import Construct

from workloads import HomelabWorkloads

# kube-prometheus-stack's Prometheus, which scrapes Traefik's and Argo CD's metrics.
PROMETHEUS = EndpointSelector.labels({"app.kubernetes.io/name": "prometheus"}, namespace="monitoring")


class HomelabPolicies(Chart):
    def __init__(self, scope: Construct, id: str, workloads: HomelabWorkloads) -> None:
        super().__init__(scope, id)
        traefik = IngressController.traefik(namespace="traefik", instance="traefik-traefik")

        # Traefik takes web traffic from outside and reaches every backend routed to it below.
        IngressControllerPolicy(self, "traefik", policy_name="traefik", controller=traefik, metrics_from=PROMETHEUS)

        IngressOnlyApp(
            self,
            "blog",
            policy_name="blog-policy",
            pods=workloads.blog,
            ports=[Port.from_service(workloads.blog_service)],
            ingress_controller=traefik,
        )

        # The front's egress to postgres is written because the default deny below covers webapp.
        TieredApp(
            self,
            "webapp",
            ingress_controller=traefik,
            # Port.from_service resolves the Service's 8080 to the container's 3000.
            front=TierProps(
                name="webapp",
                policy_name="webapp-policy",
                pods=workloads.webapp,
                ports=[Port.from_service(workloads.webapp_service)],
            ),
            backends=[TierProps(name="postgres", policy_name="postgres-policy", pods=workloads.postgres, ports=[Port.tcp(5432)])],
        )

        # One policy per Argo CD component: their connections on the chart's ports, GitHub, the UI through Traefik.
        ArgoCd(self, "argocd", ingress_controller=traefik, metrics_from=PROMETHEUS)

        # kube-prometheus-stack stays exempt until it gets policies of its own.
        ClusterDefaultDeny(
            self, "default-deny", policy_name="cluster-default-deny", exempt_namespaces=["kube-system", "monitoring"], egress=True
        )
