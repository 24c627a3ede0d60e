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
  const problems: ValuesProblem[] = [];
  const hubbleOn = get(merged, 'hubble', 'enabled') === true;
  const relayOn = get(merged, 'hubble', 'relay', 'enabled') === true;
  if (relayOn && !hubbleOn) {
    problems.push(
      problemAt(
        ['hubble', 'relay', 'enabled'],
        true,
        'Hubble Relay requires hubble.enabled',
        'set hubble.enabled to true or disable the relay',
      ),
    );
  }
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
  const metrics = get(merged, 'hubble', 'metrics', 'enabled');
  const list = Array.isArray(metrics) ? (metrics as unknown[]) : [];
  const base = ['hubble', 'metrics', 'enabled'];
  if (list.length > 0 && !hubbleOn) {
    problems.push(
      problemAt(base, metrics, 'Hubble metrics need hubble.enabled', 'set hubble.enabled to true'),
    );
  }
  list.forEach((spec, i) => {
    for (const p of checkHubbleMetricSpec(spec))
      problems.push(problemAt([...base, i], spec, p.message, p.fix));
  });
  for (const p of checkHubbleMetricList(list)) problems.push(problemAt(base, metrics, p.message, p.fix));
  const exemplars = list.some(
    (spec) =>
      typeof spec === 'string' &&
      /[:;]exemplars=true(;|$)/i.test(spec) &&
      !/[:;]exemplars=(?!true(;|$))/i.test(spec),
  );
  if (exemplars && get(merged, 'hubble', 'metrics', 'enableOpenMetrics') !== true) {
    problems.push(
      problemAt(
        [...base.slice(0, 2), 'enableOpenMetrics'],
        get(merged, 'hubble', 'metrics', 'enableOpenMetrics'),
        'exemplars are only exported in the OpenMetrics format',
        'set hubble.metrics.enableOpenMetrics to true',
      ),
    );
  }
  const dynamicMetrics = get(merged, 'hubble', 'metrics', 'dynamic', 'enabled') === true;
  if (dynamicMetrics && list.length > 0) {
    problems.push(
      problemAt(
        ['hubble', 'metrics', 'dynamic', 'enabled'],
        true,
        'the agent refuses to start with both static (hubble.metrics.enabled) and dynamic Hubble metrics ("cannot configure both static and dynamic Hubble metrics")',
        'list the metrics in hubble.metrics.dynamic.config instead, or turn dynamic metrics off',
      ),
    );
  }
  if (
    get(merged, 'hubble', 'metrics', 'serviceMonitor', 'enabled') === true &&
    list.length === 0 &&
    !dynamicMetrics
  ) {
    problems.push(
      problemAt(
        ['hubble', 'metrics', 'serviceMonitor', 'enabled'],
        true,
        'the chart creates the Hubble ServiceMonitor only when hubble.metrics.enabled lists metrics',
        'list at least one metric in hubble.metrics.enabled',
      ),
    );
  }
  return problems;
}
