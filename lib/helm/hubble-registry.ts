import { readCiliumFile } from '../manifest/cilium-files';

/**
 * What Cilium 1.20's pkg/hubble/metrics registers and parses, generated from its source into
 * imports/cilium/1.20/hubble-metrics.json by scripts/helm/derive-from-cilium.ts. Cilium compares
 * option names and context identifiers in lower case, labels exactly.
 */
export interface HubbleMetricsRegistry {
  readonly metrics: readonly RegisteredHubbleMetric[];
  readonly contextOptions: readonly string[];
  readonly contextIdentifiers: readonly string[];
  readonly contextLabels: readonly string[];
}

export interface RegisteredHubbleMetric {
  readonly name: string;
  readonly options: readonly { readonly name: string; readonly spelling: string; readonly value: string }[];
  readonly conflicts: readonly string[];
  readonly contextOptions: boolean;
}

let registry: HubbleMetricsRegistry | undefined;

export function hubbleMetricRegistry(): HubbleMetricsRegistry {
  registry ??= JSON.parse(readCiliumFile('hubble-metrics.json')) as HubbleMetricsRegistry;
  return registry;
}

export function registeredMetric(name: string): RegisteredHubbleMetric | undefined {
  return hubbleMetricRegistry().metrics.find((m) => m.name === name);
}
