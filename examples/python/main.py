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
    except RuntimeError as error:
        # The library's errors (construct path, field, value, fix) reach Python as RuntimeError:
        # print the message, not a Python and JavaScript traceback.
        sys.exit(f"error: {error}")


if __name__ == "__main__":
    main()
