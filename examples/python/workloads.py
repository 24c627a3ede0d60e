"""The homelab's apps, as the platform team deploys them (the policies protect these)."""

import cdk8s_plus_28 as plus
from cdk8s import ApiObjectMetadata, Chart
from constructs import Construct

# The containers run as the images expect (root, writable root file system).
SECURITY_CONTEXT = plus.ContainerSecurityContextProps(ensure_non_root=False, read_only_root_filesystem=False)


class HomelabWorkloads(Chart):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        for ns in ["blog", "webapp", "argocd"]:
            plus.Namespace(self, f"ns-{ns}", metadata=ApiObjectMetadata(name=ns))

        self.blog = labelled_deployment(
            self, "blog", "blog", image="ghost:5-alpine", port_number=80, readiness=plus.Probe.from_http_get("/", port=80)
        )
        self.blog_service = plus.Service(
            self,
            "blog-service",
            metadata=ApiObjectMetadata(namespace="blog", name="blog"),
            ports=[plus.ServicePort(port=80, target_port=80, name="http")],
        )
        self.blog_service.select(self.blog)

        self.webapp = labelled_deployment(
            self,
            "webapp",
            "webapp",
            image="ghcr.io/example/webapp:1.4.2",
            port_number=3000,
            liveness=plus.Probe.from_http_get("/healthz", port=3000),
        )
        self.webapp_service = plus.Service(
            self,
            "webapp-service",
            metadata=ApiObjectMetadata(namespace="webapp", name="webapp"),
            ports=[plus.ServicePort(port=8080, target_port=3000, name="http")],
        )
        self.webapp_service.select(self.webapp)

        postgres_service = plus.Service(
            self,
            "postgres-service",
            metadata=ApiObjectMetadata(namespace="webapp", name="postgres"),
            cluster_ip="None",
            ports=[plus.ServicePort(port=5432, name="postgres")],
        )
        self.postgres = plus.StatefulSet(
            self,
            "postgres",
            metadata=ApiObjectMetadata(namespace="webapp", name="postgres"),
            select=False,
            pod_metadata=ApiObjectMetadata(labels={"app": "postgres"}),
            service=postgres_service,
            containers=[
                plus.ContainerProps(
                    image="postgres:16-alpine",
                    port_number=5432,
                    security_context=SECURITY_CONTEXT,
                    readiness=plus.Probe.from_tcp_socket(port=5432),
                )
            ],
        )
        self.postgres.select(plus.LabelSelector.of(labels={"app": "postgres"}))


def labelled_deployment(scope: Construct, namespace: str, app: str, **container) -> plus.Deployment:
    deployment = plus.Deployment(
        scope,
        app,
        metadata=ApiObjectMetadata(namespace=namespace, name=app),
        select=False,
        pod_metadata=ApiObjectMetadata(labels={"app": app}),
        containers=[plus.ContainerProps(security_context=SECURITY_CONTEXT, **container)],
    )
    deployment.select(plus.LabelSelector.of(labels={"app": app}))
    return deployment
