import { type HubbleMetric } from './hubble-metric';

/** How the agent enforces policy on endpoints (values.yaml `policyEnforcementMode`). */
export enum PolicyEnforcementMode {
  /** Endpoints are enforced once a policy selects them. */
  DEFAULT = 'default',
  /** Every endpoint is enforced, selected by a policy or not. */
  ALWAYS = 'always',
  /** No enforcement at all. */
  NEVER = 'never',
}

/** Transparent encryption method (values.yaml `encryption.type`). */
export enum EncryptionType {
  IPSEC = 'ipsec',
  WIREGUARD = 'wireguard',
  ZTUNNEL = 'ztunnel',
}

/** Transparent encryption (values.yaml `encryption`). */
export interface EncryptionProps {
  /** Enable transparent network encryption. @default false */
  readonly enabled?: boolean;
  /** Encryption method. @default EncryptionType.IPSEC */
  readonly type?: EncryptionType;
  /** Also encrypt pure node-to-node traffic; only with `EncryptionType.WIREGUARD`. @default false */
  readonly nodeEncryption?: boolean;
}

/** Hubble Relay (values.yaml `hubble.relay`). */
export interface HubbleRelayProps {
  /** Deploy Hubble Relay (requires `hubble.enabled`). @default false */
  readonly enabled?: boolean;
  /** Restart the relay pods when their ConfigMap changes. @default false */
  readonly rollOutPods?: boolean;
}

/** Hubble UI (values.yaml `hubble.ui`). */
export interface HubbleUiProps {
  /** Deploy Hubble UI (needs Hubble Relay, unless `standalone`). @default false */
  readonly enabled?: boolean;
  /**
   * Install only the UI, for a cluster whose Cilium and Hubble Relay are already installed
   * (values.yaml `hubble.ui.standalone.enabled`): the chart then skips its Hubble and relay checks.
   * @default false
   */
  readonly standalone?: boolean;
  /** Restart the UI pods when their ConfigMap changes. @default false */
  readonly rollOutPods?: boolean;
}

/** The Prometheus Operator ServiceMonitor for Hubble metrics (values.yaml `hubble.metrics.serviceMonitor`). */
export interface HubbleServiceMonitorProps {
  /** Create a Prometheus Operator ServiceMonitor for the Hubble metrics (needs the CRDs). @default false */
  readonly enabled?: boolean;
  /** Labels of the ServiceMonitor, e.g. `{ release: 'kube-prometheus-stack' }` for the Prometheus selector. @default {} */
  readonly labels?: { [key: string]: string };
  /** Annotations of the ServiceMonitor. @default {} */
  readonly annotations?: { [key: string]: string };
  /** Scrape interval. @default '10s' */
  readonly interval?: string;
}

/** Grafana dashboards for Hubble (values.yaml `hubble.metrics.dashboards`). */
export interface HubbleDashboardsProps {
  /** Ship the Hubble Grafana dashboards as ConfigMaps. @default false */
  readonly enabled?: boolean;
  /** Namespace of the dashboard ConfigMaps. @default - the release namespace */
  readonly namespace?: string;
  /** Label the Grafana sidecar looks for. @default 'grafana_dashboard' */
  readonly label?: string;
  /** Value of that label. @default '1' */
  readonly labelValue?: string;
  /** Annotations of the dashboard ConfigMaps. @default {} */
  readonly annotations?: { [key: string]: string };
}

/** Hubble metrics (values.yaml `hubble.metrics`). */
export interface HubbleMetricsProps {
  /**
   * The metrics to collect (the chart's `hubble.metrics.enabled` list); none means metrics are off.
   * Strings use the chart syntax (`'dns:query;ignoreAAAA'`) and are checked like the typed helpers.
   * @default - none (metrics disabled)
   */
  readonly enabled?: (HubbleMetric | string)[];
  /** Export the metrics in OpenMetrics format (needed for exemplars). @default false */
  readonly enableOpenMetrics?: boolean;
  /** Port of the Hubble metrics server. @default 9965 */
  readonly port?: number;
  /** @default - no ServiceMonitor */
  readonly serviceMonitor?: HubbleServiceMonitorProps;
  /** @default - no dashboards */
  readonly dashboards?: HubbleDashboardsProps;
}

/** Hubble (values.yaml `hubble`). */
export interface HubbleProps {
  /** Enable Hubble in the agent. @default true */
  readonly enabled?: boolean;
  /** @default - relay disabled */
  readonly relay?: HubbleRelayProps;
  /** @default - UI disabled */
  readonly ui?: HubbleUiProps;
  /** @default - metrics disabled */
  readonly metrics?: HubbleMetricsProps;
}

/** Props of `CiliumHelmValues`: the chart values it writes. */
export interface CiliumHelmValuesProps {
  /** Hubble observability settings. @default - the chart's Hubble defaults */
  readonly hubble?: HubbleProps;
  /** Transparent encryption settings. @default - encryption disabled */
  readonly encryption?: EncryptionProps;
  /**
   * Report policy denials as audit verdicts instead of dropping traffic: the safe first step of a
   * lockdown. Documented in values.yaml as a comment (`# policyAuditMode: false`).
   * @default false
   */
  readonly policyAuditMode?: boolean;
  /** When endpoints are enforced. @default PolicyEnforcementMode.DEFAULT */
  readonly policyEnforcementMode?: PolicyEnforcementMode;
  /** Restart the agent pods when the cilium-config ConfigMap changes. @default false */
  readonly rollOutCiliumPods?: boolean;
  /**
   * Any other chart values, deep-merged over the values above (maps merge, lists and scalars
   * replace). Checked against values.yaml and values.schema.json like everything else.
   * @default {}
   */
  readonly extraValues?: { [key: string]: unknown };
  /**
   * Where to write the values file, relative to the app's output directory.
   * @default 'cilium/values.yaml'
   */
  readonly valuesFile?: string;
}
