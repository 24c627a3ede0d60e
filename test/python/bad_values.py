"""A Python app with one bad string value (the case named on the command line), synthesized into
the directory given second. Like examples/python/main.py it prints the error's message, no
traceback: the library's refusal at synth (construct path, field, value, fix), or the jsii
runtime's type check of an argument (a str where an enum such as L4Protocol is expected)."""

import sys

from cdk8s import Chart
from cdk8s_cilium_lockdown import (
    EndpointSelector,
    Entity,
    IngressController,
    IngressOnlyApp,
    IngressRule,
    LockdownApp,
    Peer,
    Port,
)


def protocol(chart: Chart) -> None:
    IngressOnlyApp(
        chart,
        "blog",
        namespace="blog",
        pods=EndpointSelector.labels({"app": "blog"}),
        ports=[Port.named("http", "TPC")],  # type: ignore[arg-type]
        ingress_controller=IngressController.traefik(),
    )


def port_name(chart: Chart) -> None:
    IngressOnlyApp(
        chart,
        "blog",
        namespace="blog",
        pods=EndpointSelector.labels({"app": "blog"}),
        ports=[Port.named("web_http")],
        ingress_controller=IngressController.traefik(),
    )


def entity(chart: Chart) -> None:
    IngressOnlyApp(
        chart,
        "blog",
        namespace="blog",
        pods=EndpointSelector.labels({"app": "blog"}),
        ports=[Port.tcp(80)],
        ingress_controller=IngressController.traefik(),
        additional_ingress=[IngressRule(from_=Peer.entities(Entity.of("wrld")))],
    )


CASES = {"protocol": protocol, "port-name": port_name, "entity": entity}


def main() -> None:
    case, outdir = sys.argv[1], sys.argv[2]
    try:
        app = LockdownApp(outdir=outdir)
        CASES[case](Chart(app, "bad"))
        app.synth()
    except (RuntimeError, TypeError) as error:
        sys.exit(f"error: {error}")


if __name__ == "__main__":
    main()
