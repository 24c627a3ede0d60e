export { CiliumHelmValues } from './cilium-helm-values';
export { LockdownApp } from './lockdown-app';
export * from './props';
export { PolicyEnforcementMode } from '../cilium/agent-settings';
export {
  HubbleContextIdentifier,
  HubbleContextLabel,
  HubbleDnsMetricOptions,
  HubbleFlowsToWorldMetricOptions,
  HubbleHttpMetricOptions,
  HubbleMetric,
  HubbleMetricContextOptions,
} from './hubble-metric';
