export { CiliumHelmValues } from './cilium-helm-values';
export { LockdownApp } from './lockdown-app';
export * from './props';
export {
  HubbleContextIdentifier,
  HubbleContextLabel,
  HubbleDnsMetricOptions,
  HubbleFlowsToWorldMetricOptions,
  HubbleHttpMetricOptions,
  HubbleMetric,
  HubbleMetricContextOptions,
} from './hubble-metric';
