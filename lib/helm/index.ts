export * from './cilium-helm-values';
export * from './lockdown-app';
export * from './props';
export { HubbleMetric, HUBBLE_METRIC_NAMES } from './hubble-metric';
export type {
  HubbleContextIdentifier,
  HubbleContextLabel,
  HubbleDnsMetricOptions,
  HubbleFlowsToWorldMetricOptions,
  HubbleHttpMetricOptions,
  HubbleMetricContextOptions,
} from './hubble-metric';
export { checkCiliumValues } from './check-values';
export { CILIUM_CHART_VERSION } from './chart-files';
export type { ValuesProblem } from './values-problem';
