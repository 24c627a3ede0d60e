"""The homelab's Cilium Helm values (written to dist/cilium/values.yaml): Hubble with relay, UI,
metrics and dashboards, WireGuard, and audit mode on while the lockdown is rolled out."""

from cdk8s_cilium_lockdown import CiliumHelmValues, EncryptionType, HubbleContextLabel, HubbleMetric
from constructs import Construct


def homelab_cilium_values(scope: Construct, id: str) -> CiliumHelmValues:
    return CiliumHelmValues(
        scope,
        id,
        hubble={
            "enabled": True,
            "relay": {"enabled": True, "roll_out_pods": True},
            "ui": {"enabled": True, "roll_out_pods": True},
            "metrics": {
                "enable_open_metrics": True,
                "port": 9965,
                "service_monitor": {"enabled": True, "labels": {"release": "kube-prometheus-stack"}},
                "dashboards": {"enabled": True, "namespace": "monitoring", "label": "grafana_dashboard", "label_value": "1"},
                "enabled": [
                    HubbleMetric.dns(query=True, ignore_aaaa=True),
                    HubbleMetric.drop(),
                    HubbleMetric.tcp(),
                    HubbleMetric.flow(),
                    HubbleMetric.port_distribution(),
                    HubbleMetric.icmp(),
                    HubbleMetric.http_v2(
                        exemplars=True,
                        labels_context=[
                            HubbleContextLabel.SOURCE_IP,
                            HubbleContextLabel.SOURCE_NAMESPACE,
                            HubbleContextLabel.SOURCE_WORKLOAD,
                            HubbleContextLabel.DESTINATION_IP,
                            HubbleContextLabel.DESTINATION_NAMESPACE,
                            HubbleContextLabel.DESTINATION_WORKLOAD,
                            HubbleContextLabel.TRAFFIC_DIRECTION,
                        ],
                    ),
                ],
            },
        },
        roll_out_cilium_pods=True,
        # Step 1 of the rollout: ship every policy with audit mode on, replay Hubble, then set False.
        policy_audit_mode=True,
        encryption={"enabled": True, "type": EncryptionType.WIREGUARD, "node_encryption": True},
    )
