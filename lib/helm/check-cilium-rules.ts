import { checkHubbleMetricList, checkHubbleMetricSpec } from './hubble-metric';
import { formatValuesPath, type ValuesPathSegment } from './values-path';
import { type ValuesProblem } from './values-problem';
import { POLICY_ENFORCEMENT_MODES } from '../cilium/agent-settings';

export const ENCRYPTION_TYPES = ['ipsec', 'wireguard', 'ztunnel'] as const;

function get(values: Record<string, unknown>, ...path: string[]): unknown {
  let node: unknown = values;
  for (const key of path) node = (node as Record<string, unknown> | null | undefined)?.[key];
  return node;
}

/** Go template truthiness: empty maps, lists and strings, 0, false and null are false. */
function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

function problemAt(
  segments: ValuesPathSegment[],
  value: unknown,
  message: string,
  fix: string,
): ValuesProblem {
  return { path: formatValuesPath(segments), value, message, fix };
}

/**
 * Constraints the chart documents in values.yaml comments or that Cilium enforces at run time,
 * checked on the coalesced values (chart defaults plus the user's values).
 */
export function checkCiliumRules(
  merged: Record<string, unknown>,
  user: Record<string, unknown> = merged,
): ValuesProblem[] {
  return [...checkEnums(merged), ...checkEncryption(merged, user), ...checkHubble(merged)];
}

function checkEnums(merged: Record<string, unknown>): ValuesProblem[] {
  const problems: ValuesProblem[] = [];
  const mode = get(merged, 'policyEnforcementMode');
  if (mode !== undefined && !(POLICY_ENFORCEMENT_MODES as readonly unknown[]).includes(mode)) {
    problems.push(
      problemAt(
        ['policyEnforcementMode'],
        mode,
        'the agent accepts only "default", "always" or "never"',
        'use one of "default", "always", "never"',
      ),
    );
  }
  const type = get(merged, 'encryption', 'type');
  if (type !== undefined && !(ENCRYPTION_TYPES as readonly unknown[]).includes(type)) {
    problems.push(
      problemAt(
        ['encryption', 'type'],
        type,
        'values.yaml allows only ipsec, wireguard or ztunnel',
        'use "wireguard", "ipsec" or "ztunnel"',
      ),
    );
  }
  return problems;
}

function checkEncryption(merged: Record<string, unknown>, user: Record<string, unknown>): ValuesProblem[] {
  const given = get(user, 'encryption');
  const settings =
    given !== null && typeof given === 'object' && !Array.isArray(given)
      ? Object.keys(given).filter((k) => k !== 'enabled' && (given as Record<string, unknown>)[k] !== null)
      : [];
  const enabled = get(merged, 'encryption', 'enabled');
  if (settings.length > 0 && enabled !== true) {
    const names = settings.map((k) => `encryption.${k}`).join(', ');
    return [
      problemAt(
        ['encryption', 'enabled'],
        enabled,
        `${names} ${settings.length === 1 ? 'is' : 'are'} set, but the chart renders encryption settings only when encryption.enabled is true, so the cluster would run unencrypted`,
        'set encryption.enabled to true, or drop the encryption settings',
      ),
    ];
  }
  const type = get(merged, 'encryption', 'type');
  const knownType = (ENCRYPTION_TYPES as readonly unknown[]).includes(type);
  if (get(merged, 'encryption', 'nodeEncryption') === true && knownType && type !== 'wireguard') {
    return [
      problemAt(
        ['encryption', 'nodeEncryption'],
        true,
        `node-to-node encryption only works with encryption.type "wireguard" (type is ${JSON.stringify(type)})`,
        'set encryption.type to "wireguard" or drop nodeEncryption',
      ),
    ];
  }
  return [];
}

function checkHubble(merged: Record<string, unknown>): ValuesProblem[] {
  return [...checkHubbleRelay(merged), ...checkHubbleUi(merged), ...checkHubbleMetrics(merged)];
}

function checkHubbleRelay(merged: Record<string, unknown>): ValuesProblem[] {
  const hubbleOn = get(merged, 'hubble', 'enabled') === true;
  const relayOn = get(merged, 'hubble', 'relay', 'enabled') === true;
  if (!relayOn || hubbleOn) return [];
  return [
    problemAt(
      ['hubble', 'relay', 'enabled'],
      true,
      'Hubble Relay requires hubble.enabled',
      'set hubble.enabled to true or disable the relay',
    ),
  ];
}

function checkHubbleUi(merged: Record<string, unknown>): ValuesProblem[] {
  const problems: ValuesProblem[] = [];
  const relayOn = get(merged, 'hubble', 'relay', 'enabled') === true;
  const uiOn = get(merged, 'hubble', 'ui', 'enabled') === true;
  const standalone = get(merged, 'hubble', 'ui', 'standalone', 'enabled') === true;
  if (uiOn && !relayOn && !standalone) {
    problems.push(
      problemAt(
        ['hubble', 'ui', 'enabled'],
        true,
        'Hubble UI reads flows through Hubble Relay, which is disabled (the chart fails: "Hubble UI requires .Values.hubble.relay.enabled=true")',
        'set hubble.relay.enabled to true, or hubble.ui.standalone.enabled to true when Hubble Relay is installed separately',
      ),
    );
  }
  if (
    uiOn &&
    standalone &&
    get(merged, 'hubble', 'relay', 'tls', 'server', 'enabled') === true &&
    !truthy(get(merged, 'hubble', 'ui', 'standalone', 'tls', 'certsVolume'))
  ) {
    problems.push(
      problemAt(
        ['hubble', 'ui', 'standalone', 'tls', 'certsVolume'],
        get(merged, 'hubble', 'ui', 'standalone', 'tls', 'certsVolume'),
        'a standalone Hubble UI talking to a Relay with server TLS needs the client certificates (the chart fails without them)',
        'set hubble.ui.standalone.tls.certsVolume to a volume holding the client certificates',
      ),
    );
  }
  return problems;
}

const HUBBLE_METRICS = ['hubble', 'metrics', 'enabled'];

function checkHubbleMetrics(merged: Record<string, unknown>): ValuesProblem[] {
  const metrics = get(merged, 'hubble', 'metrics', 'enabled');
  const list = Array.isArray(metrics) ? (metrics as unknown[]) : [];
  return [
    ...checkHubbleMetricsNeedHubble(merged, metrics, list),
    ...list.flatMap((spec, i) =>
      checkHubbleMetricSpec(spec).map((p) => problemAt([...HUBBLE_METRICS, i], spec, p.message, p.fix)),
    ),
    ...checkHubbleMetricList(list).map((p) => problemAt(HUBBLE_METRICS, metrics, p.message, p.fix)),
    ...checkHubbleExemplars(merged, list),
    ...checkHubbleDynamicMetrics(merged, list),
    ...checkHubbleServiceMonitor(merged, list),
  ];
}

function checkHubbleMetricsNeedHubble(
  merged: Record<string, unknown>,
  metrics: unknown,
  list: unknown[],
): ValuesProblem[] {
  if (list.length === 0 || get(merged, 'hubble', 'enabled') === true) return [];
  return [
    problemAt(HUBBLE_METRICS, metrics, 'Hubble metrics need hubble.enabled', 'set hubble.enabled to true'),
  ];
}

function checkHubbleExemplars(merged: Record<string, unknown>, list: unknown[]): ValuesProblem[] {
  const exemplars = list.some(
    (spec) =>
      typeof spec === 'string' &&
      /[:;]exemplars=true(;|$)/i.test(spec) &&
      !/[:;]exemplars=(?!true(;|$))/i.test(spec),
  );
  if (!exemplars || get(merged, 'hubble', 'metrics', 'enableOpenMetrics') === true) return [];
  return [
    problemAt(
      ['hubble', 'metrics', 'enableOpenMetrics'],
      get(merged, 'hubble', 'metrics', 'enableOpenMetrics'),
      'exemplars are only exported in the OpenMetrics format',
      'set hubble.metrics.enableOpenMetrics to true',
    ),
  ];
}

function dynamicHubbleMetricsOn(merged: Record<string, unknown>): boolean {
  return get(merged, 'hubble', 'metrics', 'dynamic', 'enabled') === true;
}

function checkHubbleDynamicMetrics(merged: Record<string, unknown>, list: unknown[]): ValuesProblem[] {
  if (!dynamicHubbleMetricsOn(merged) || list.length === 0) return [];
  return [
    problemAt(
      ['hubble', 'metrics', 'dynamic', 'enabled'],
      true,
      'the agent refuses to start with both static (hubble.metrics.enabled) and dynamic Hubble metrics ("cannot configure both static and dynamic Hubble metrics")',
      'list the metrics in hubble.metrics.dynamic.config instead, or turn dynamic metrics off',
    ),
  ];
}

function checkHubbleServiceMonitor(merged: Record<string, unknown>, list: unknown[]): ValuesProblem[] {
  if (
    get(merged, 'hubble', 'metrics', 'serviceMonitor', 'enabled') !== true ||
    list.length > 0 ||
    dynamicHubbleMetricsOn(merged)
  )
    return [];
  return [
    problemAt(
      ['hubble', 'metrics', 'serviceMonitor', 'enabled'],
      true,
      'the chart creates the Hubble ServiceMonitor only when hubble.metrics.enabled lists metrics',
      'list at least one metric in hubble.metrics.enabled',
    ),
  ];
}
