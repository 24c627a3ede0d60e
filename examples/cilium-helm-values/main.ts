import { CiliumHelmValues, HubbleMetric, LockdownApp } from '../../lib/helm';

/**
 * The smallest useful Cilium values for a lockdown rollout: Hubble with relay and UI, the drop
 * and flow metrics, and policy audit mode on. The homelab's full block is in examples/homelab/.
 */
export function buildCiliumHelmValuesExample(outdir?: string): LockdownApp {
  const app = new LockdownApp(outdir === undefined ? {} : { outdir });
  // Directly under the app, not in a chart: the values are a Helm file, not a manifest.
  new CiliumHelmValues(app, 'cilium', {
    hubble: {
      enabled: true,
      relay: { enabled: true },
      ui: { enabled: true },
      metrics: { enabled: [HubbleMetric.drop(), HubbleMetric.flow(), HubbleMetric.dns({ query: true })] },
    },
    policyAuditMode: true,
  });
  return app;
}

if (require.main === module) {
  buildCiliumHelmValuesExample().synth();
}
