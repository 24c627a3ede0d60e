import { Chart } from 'cdk8s';
import { CiliumHelmValues, HubbleMetric, LockdownApp } from '../../lib/helm';

/**
 * A homelab's Cilium settings: Hubble with relay, UI, Prometheus metrics and Grafana dashboards,
 * WireGuard encryption, and policy audit mode for the first days of a lockdown.
 */
export function buildCiliumHelmValuesExample(outdir?: string): LockdownApp {
  const app = new LockdownApp(outdir === undefined ? {} : { outdir });
  const chart = new Chart(app, 'homelab');
  new CiliumHelmValues(chart, 'cilium', {
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
            labelsContext: ['source_ip', 'source_namespace', 'source_workload', 'destination_ip', 'destination_namespace', 'destination_workload', 'traffic_direction'],
          }),
        ],
      },
    },
    rollOutCiliumPods: true,
    policyAuditMode: true,
    encryption: { enabled: true, type: 'wireguard', nodeEncryption: true },
  });
  return app;
}

if (require.main === module) {
  buildCiliumHelmValuesExample().synth();
}
