import { Construct } from 'constructs';
import {
  CiliumHelmValues,
  CiliumHelmValuesProps,
  EncryptionType,
  HubbleContextLabel,
  HubbleMetric,
} from '../../lib/helm';

/**
 * The homelab's Cilium Helm values (written to dist/cilium/values.yaml): Hubble with relay, UI,
 * metrics and dashboards, WireGuard, and audit mode on while the lockdown is rolled out.
 */
export const HOMELAB_CILIUM_VALUES: CiliumHelmValuesProps = {
  hubble: {
    enabled: true,
    relay: { enabled: true, rollOutPods: true },
    ui: { enabled: true, rollOutPods: true },
    metrics: {
      enableOpenMetrics: true,
      port: 9965,
      serviceMonitor: { enabled: true, labels: { release: 'kube-prometheus-stack' } },
      dashboards: { enabled: true, namespace: 'monitoring', label: 'grafana_dashboard', labelValue: '1' },
      enabled: [
        HubbleMetric.dns({ query: true, ignoreAAAA: true }),
        HubbleMetric.drop(),
        HubbleMetric.tcp(),
        HubbleMetric.flow(),
        HubbleMetric.portDistribution(),
        HubbleMetric.icmp(),
        HubbleMetric.httpV2({
          exemplars: true,
          labelsContext: [
            HubbleContextLabel.SOURCE_IP,
            HubbleContextLabel.SOURCE_NAMESPACE,
            HubbleContextLabel.SOURCE_WORKLOAD,
            HubbleContextLabel.DESTINATION_IP,
            HubbleContextLabel.DESTINATION_NAMESPACE,
            HubbleContextLabel.DESTINATION_WORKLOAD,
            HubbleContextLabel.TRAFFIC_DIRECTION,
          ],
        }),
      ],
    },
  },
  rollOutCiliumPods: true,
  // Step 1 of the rollout: ship every policy with audit mode on, replay Hubble, then set false.
  policyAuditMode: true,
  encryption: { enabled: true, type: EncryptionType.WIREGUARD, nodeEncryption: true },
};

export function homelabCiliumValues(scope: Construct, id: string): CiliumHelmValues {
  return new CiliumHelmValues(scope, id, HOMELAB_CILIUM_VALUES);
}
