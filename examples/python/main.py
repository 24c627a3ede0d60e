"""The homelab in Python: the same charts, constructs, workloads and Helm values as the
TypeScript homelab (examples/homelab/), synthesizing byte-identical manifests and values."""

import sys

from cdk8s import App
from cdk8s_cilium_lockdown import LockdownApp

from cilium_values import homelab_cilium_values
from policies import HomelabPolicies
from workloads import HomelabWorkloads


def build_homelab(app: App) -> None:
    workloads = HomelabWorkloads(app, "homelab-workloads")
    HomelabPolicies(app, "homelab-policies", workloads)
    # Not a chart: the values go to dist/cilium/values.yaml, never into a *.k8s.yaml.
    homelab_cilium_values(app, "cilium")


def main() -> None:
    try:
        app = LockdownApp()
        build_homelab(app)
        app.synth()
    except (RuntimeError, TypeError) as error:
        # The library's refusals (construct path, field, value, fix) reach Python as RuntimeError,
        # the jsii runtime's argument type checks as TypeError: print the message, no traceback.
        sys.exit(f"error: {error}")


if __name__ == "__main__":
    main()
