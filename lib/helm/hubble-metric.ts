import {
  type HubbleMetricsRegistry,
  hubbleMetricRegistry,
  type RegisteredHubbleMetric,
  registeredMetric,
} from './hubble-registry';
import { closestNames, orList } from './suggest';

/**
 * How a Hubble metric identifies the source or destination of a flow (`sourceContext=namespace|pod`):
 * the identifiers Cilium 1.20's `parseContextIdentifier` accepts.
 */
export enum HubbleContextIdentifier {
  IDENTITY = 'identity',
  NAMESPACE = 'namespace',
  POD = 'pod',
  POD_NAME = 'pod-name',
  DNS = 'dns',
  IP = 'ip',
  RESERVED_IDENTITY = 'reserved-identity',
  WORKLOAD = 'workload',
  WORKLOAD_NAME = 'workload-name',
  APP = 'app',
}

/** A label a Hubble metric can add through `labelsContext` (Cilium 1.20's `contextLabelsList`). */
export enum HubbleContextLabel {
  SOURCE_IP = 'source_ip',
  SOURCE_POD = 'source_pod',
  SOURCE_NAMESPACE = 'source_namespace',
  SOURCE_WORKLOAD = 'source_workload',
  SOURCE_WORKLOAD_KIND = 'source_workload_kind',
  SOURCE_APP = 'source_app',
  DESTINATION_IP = 'destination_ip',
  DESTINATION_POD = 'destination_pod',
  DESTINATION_NAMESPACE = 'destination_namespace',
  DESTINATION_WORKLOAD = 'destination_workload',
  DESTINATION_WORKLOAD_KIND = 'destination_workload_kind',
  DESTINATION_APP = 'destination_app',
  TRAFFIC_DIRECTION = 'traffic_direction',
}

/** Options every Hubble metric understands. Each identifier list is tried in order: the first non-empty value wins. */
export interface HubbleMetricContextOptions {
  /** @default - no `source` label */
  readonly sourceContext?: HubbleContextIdentifier[];
  /** Overrides `sourceContext` for egress flows. @default - `sourceContext` */
  readonly sourceEgressContext?: HubbleContextIdentifier[];
  /** Overrides `sourceContext` for ingress flows. @default - `sourceContext` */
  readonly sourceIngressContext?: HubbleContextIdentifier[];
  /** @default - no `destination` label */
  readonly destinationContext?: HubbleContextIdentifier[];
  /** Overrides `destinationContext` for egress flows. @default - `destinationContext` */
  readonly destinationEgressContext?: HubbleContextIdentifier[];
  /** Overrides `destinationContext` for ingress flows. @default - `destinationContext` */
  readonly destinationIngressContext?: HubbleContextIdentifier[];
  /** Extra labels; rendered in Cilium's label order whatever the order given. @default - none */
  readonly labelsContext?: HubbleContextLabel[];
}

/** Options of `HubbleMetric.dns`. */
export interface HubbleDnsMetricOptions extends HubbleMetricContextOptions {
  /** Adds the queried name as a `query` label. @default false */
  readonly query?: boolean;
  /** Ignores AAAA-only queries. @default false */
  readonly ignoreAAAA?: boolean;
}

/** Options of `HubbleMetric.http` and `HubbleMetric.httpV2`. */
export interface HubbleHttpMetricOptions extends HubbleMetricContextOptions {
  /** Attaches trace IDs as OpenMetrics exemplars (needs `enableOpenMetrics`). @default false */
  readonly exemplars?: boolean;
}

/** Options of `HubbleMetric.flowsToWorld`. */
export interface HubbleFlowsToWorldMetricOptions extends HubbleMetricContextOptions {
  /** Counts every drop, not only policy denials. @default false */
  readonly anyDrop?: boolean;
  /** Adds the destination port as a label. @default false */
  readonly port?: boolean;
  /** Counts only TCP SYN packets, i.e. connections. @default false */
  readonly synOnly?: boolean;
}

const CONTEXT_OPTION_ORDER = [
  'sourceContext',
  'sourceEgressContext',
  'sourceIngressContext',
  'destinationContext',
  'destinationEgressContext',
  'destinationIngressContext',
  'labelsContext',
] as const;

/**
 * One entry of `hubble.metrics.enabled`, rendered to the chart's string syntax
 * `name[:option[=value][;option[=value]]...]`, e.g. `dns:query;ignoreAAAA`.
 */
export class HubbleMetric {
  /** The names of the Hubble metrics Cilium 1.20 registers. */
  public static readonly NAMES: string[] = hubbleMetricRegistry().metrics.map((m) => m.name);

  /** DNS queries and responses (`hubble_dns_*`). */
  public static dns(options: HubbleDnsMetricOptions = {}): HubbleMetric {
    return HubbleMetric.build('dns', { query: options.query, ignoreAAAA: options.ignoreAAAA }, options);
  }
  /** Dropped packets by reason (`hubble_drop_total`). */
  public static drop(options: HubbleMetricContextOptions = {}): HubbleMetric {
    return HubbleMetric.build('drop', {}, options);
  }
  /** TCP flags (`hubble_tcp_flags_total`). */
  public static tcp(options: HubbleMetricContextOptions = {}): HubbleMetric {
    return HubbleMetric.build('tcp', {}, options);
  }
  /** Every processed flow (`hubble_flows_processed_total`). */
  public static flow(options: HubbleMetricContextOptions = {}): HubbleMetric {
    return HubbleMetric.build('flow', {}, options);
  }
  /** Flows leaving the cluster to `reserved:world` (`hubble_flows_to_world_total`). */
  public static flowsToWorld(options: HubbleFlowsToWorldMetricOptions = {}): HubbleMetric {
    return HubbleMetric.build(
      'flows-to-world',
      { 'any-drop': options.anyDrop, port: options.port, 'syn-only': options.synOnly },
      options,
    );
  }
  /** Destination ports in use (`hubble_port_distribution_total`). */
  public static portDistribution(options: HubbleMetricContextOptions = {}): HubbleMetric {
    return HubbleMetric.build('port-distribution', {}, options);
  }
  /** ICMP messages (`hubble_icmp_total`). */
  public static icmp(options: HubbleMetricContextOptions = {}): HubbleMetric {
    return HubbleMetric.build('icmp', {}, options);
  }
  /** HTTP requests, responses and latency (v1 layout). Conflicts with `httpV2`. */
  public static http(options: HubbleHttpMetricOptions = {}): HubbleMetric {
    return HubbleMetric.build('http', { exemplars: options.exemplars ? 'true' : undefined }, options);
  }
  /** HTTP requests and latency with status and reporter labels. Conflicts with `http`. */
  public static httpV2(options: HubbleHttpMetricOptions = {}): HubbleMetric {
    return HubbleMetric.build('httpV2', { exemplars: options.exemplars ? 'true' : undefined }, options);
  }
  /** SCTP chunk types (`hubble_sctp_chunk_types_total`). */
  public static sctp(options: HubbleMetricContextOptions = {}): HubbleMetric {
    return HubbleMetric.build('sctp', {}, options);
  }
  /** Policy verdicts (`hubble_policy_verdicts_total`). */
  public static policy(options: HubbleMetricContextOptions = {}): HubbleMetric {
    return HubbleMetric.build('policy', {}, options);
  }

  /**
   * Any metric by name with raw options: `HubbleMetric.of('drop')`,
   * `HubbleMetric.of('dns', { query: true, sourceContext: 'namespace' })`. `true` renders a bare
   * flag, `false` leaves the option out. Checked with the other values at synthesis.
   */
  public static of(name: string, options: { [key: string]: string | boolean } = {}): HubbleMetric {
    const order = [
      ...(registeredMetric(name)?.options.map((o) => o.spelling) ?? []),
      ...CONTEXT_OPTION_ORDER,
    ];
    const keys = Object.keys(options)
      .filter((key) => options[key] !== false)
      .sort((a, b) => rank(order, a) - rank(order, b) || (a < b ? -1 : a > b ? 1 : 0));
    return new HubbleMetric(
      name,
      keys.map((key) => [key, options[key] === true ? undefined : (options[key] as string)]),
    );
  }

  private static build(
    name: string,
    own: Record<string, boolean | string | undefined>,
    context: HubbleMetricContextOptions,
  ): HubbleMetric {
    const options: [string, string | undefined][] = [];
    for (const [key, value] of Object.entries(own)) {
      if (value === true) options.push([key, undefined]);
      else if (typeof value === 'string') options.push([key, value]);
    }
    for (const key of CONTEXT_OPTION_ORDER) {
      const list = context[key] as readonly string[] | undefined;
      if (!list || list.length === 0) continue;
      const values =
        key === 'labelsContext'
          ? [...new Set(list)].sort(
              (a, b) =>
                rank(hubbleMetricRegistry().contextLabels, a) - rank(hubbleMetricRegistry().contextLabels, b),
            )
          : [...new Set(list)];
      options.push([key, values.join(key === 'labelsContext' ? ',' : '|')]);
    }
    return new HubbleMetric(name, options);
  }

  private constructor(
    /** The metric name, e.g. `dns`. */
    public readonly name: string,
    private readonly options: readonly (readonly [string, string | undefined])[],
  ) {}

  /** The chart's string form, e.g. `dns:query;ignoreAAAA`. */
  public toString(): string {
    if (this.options.length === 0) return this.name;
    return `${this.name}:${this.options.map(([k, v]) => (v === undefined ? k : `${k}=${v}`)).join(';')}`;
  }
}

function rank(order: readonly string[], item: string): number {
  const i = order.indexOf(item);
  return i < 0 ? order.length : i;
}

/**
 * What the Cilium 1.20 agent does with a wrong metric entry:
 * - `unregistered`: skips the metric with the warning "Skipping unknown hubble metric";
 * - `agentFails`: fails to set up Hubble metrics (a handler's Init error, a conflict, a duplicate);
 * - `ignored`: loads the metric but silently ignores the option or its value;
 * - `malformed`: the entry is not one metric string (the chart joins the list with spaces).
 */
export type HubbleMetricProblemKind = 'unregistered' | 'agentFails' | 'ignored' | 'malformed';

export interface HubbleMetricProblem {
  readonly kind: HubbleMetricProblemKind;
  readonly message: string;
  readonly fix: string;
}

function problem(kind: HubbleMetricProblemKind, message: string, fix: string): HubbleMetricProblem {
  return { kind, message, fix };
}

/** Problems with one `hubble.metrics.enabled` entry. */
export function checkHubbleMetricSpec(spec: unknown): HubbleMetricProblem[] {
  if (typeof spec !== 'string')
    return [
      problem(
        'malformed',
        'a metric must be a string such as "dns:query;ignoreAAAA"',
        'use HubbleMetric.dns(...) or a string',
      ),
    ];
  if (spec === '' || /\s/.test(spec)) {
    return [
      problem(
        'malformed',
        'a metric must be one word without spaces (the chart joins the list with spaces)',
        'separate options with ";" and list values with "," or "|"',
      ),
    ];
  }
  const registry = hubbleMetricRegistry();
  const colon = spec.indexOf(':');
  const name = colon < 0 ? spec : spec.slice(0, colon);
  const metric = registeredMetric(name);
  if (!metric) {
    const close = closestNames(name, HubbleMetric.NAMES);
    const fix =
      close.length > 0
        ? `did you mean ${orList(close)}?`
        : `remove it, or use one of ${orList(HubbleMetric.NAMES)}`;
    return [
      problem(
        'unregistered',
        `Cilium 1.20 registers no Hubble metric \`${name}\`: the agent skips it ("Skipping unknown hubble metric") and exports nothing for it`,
        fix,
      ),
    ];
  }
  const problems: HubbleMetricProblem[] = [];
  const seen = new Set<string>();
  for (const option of colon < 0 ? [] : spec.slice(colon + 1).split(';')) {
    if (option === '') continue;
    const eq = option.indexOf('=');
    const key = eq < 0 ? option : option.slice(0, eq);
    const value = eq < 0 ? undefined : option.slice(eq + 1);
    if (seen.has(key.toLowerCase()))
      problems.push(
        problem(
          'ignored',
          `option \`${key}\` is given twice for metric \`${name}\`; Cilium uses one of them`,
          'keep one',
        ),
      );
    seen.add(key.toLowerCase());
    problems.push(...checkMetricOption(registry, metric, key, value));
  }
  return problems;
}

function checkMetricOption(
  registry: HubbleMetricsRegistry,
  metric: RegisteredHubbleMetric,
  key: string,
  value: string | undefined,
): HubbleMetricProblem[] {
  const contextKey = CONTEXT_OPTION_ORDER.find((k) => k.toLowerCase() === key.toLowerCase());
  if (contextKey && metric.contextOptions && registry.contextOptions.includes(key.toLowerCase()))
    return checkContextOption(registry, contextKey, value);
  const own = metric.options.find((o) => o.name === key.toLowerCase());
  if (!own) {
    const candidates = [
      ...metric.options.map((o) => o.spelling),
      ...(metric.contextOptions ? CONTEXT_OPTION_ORDER : []),
    ];
    const close = closestNames(key, candidates);
    const fix =
      close.length > 0
        ? `did you mean ${orList(close)}?`
        : `\`${metric.name}\` accepts ${orList(candidates)}`;
    return [
      problem(
        'ignored',
        `metric \`${metric.name}\` has no option \`${key}\`; Cilium would silently ignore it`,
        fix,
      ),
    ];
  }
  if (own.value !== '' && value !== own.value) {
    return [
      problem(
        'ignored',
        `option \`${own.spelling}\` of metric \`${metric.name}\` takes effect only as \`${own.spelling}=${own.value}\``,
        `write \`${own.spelling}=${own.value}\` or drop it`,
      ),
    ];
  }
  if (own.value === '' && value !== undefined) {
    return [
      problem(
        'ignored',
        `option \`${own.spelling}\` of metric \`${metric.name}\` is a flag: Cilium ignores its value (\`${own.spelling}=false\` would turn it on)`,
        `write \`${own.spelling}\` alone, or drop it to turn it off`,
      ),
    ];
  }
  return [];
}

function checkContextOption(
  registry: HubbleMetricsRegistry,
  key: string,
  value: string | undefined,
): HubbleMetricProblem[] {
  const isLabels = key === 'labelsContext';
  const example = `\`${key}=${isLabels ? 'source_namespace' : 'namespace'}\``;
  if (value === undefined)
    return [
      problem(
        'agentFails',
        `context option \`${key}\` without a value makes the agent fail to set up Hubble metrics`,
        `give it a value, e.g. ${example}`,
      ),
    ];
  const items = value.split(isLabels ? ',' : '|').filter((item) => item !== '');
  if (items.length === 0)
    return [
      problem(
        'ignored',
        `context option \`${key}\` has an empty value; Cilium ignores it`,
        `give it a value, e.g. ${example}, or drop it`,
      ),
    ];
  const allowed = isLabels ? registry.contextLabels : registry.contextIdentifiers;
  const problems: HubbleMetricProblem[] = [];
  for (const item of items) {
    if (isLabels ? allowed.includes(item) : allowed.includes(item.toLowerCase())) continue;
    const close = closestNames(item, allowed);
    const fix = close.length > 0 ? `did you mean ${orList(close)}?` : `use ${orList(allowed)}`;
    const separator = isLabels ? 'separate labels with ","' : 'separate identifiers with "|"';
    problems.push(
      problem(
        'agentFails',
        `\`${item}\` is not a ${isLabels ? 'label' : 'context identifier'} Cilium 1.20 accepts for \`${key}\` (${separator}); the agent would fail to set up Hubble metrics`,
        fix,
      ),
    );
  }
  return problems;
}

/** Problems with the `hubble.metrics.enabled` list as a whole: duplicates and conflicting metrics. */
export function checkHubbleMetricList(specs: readonly unknown[]): HubbleMetricProblem[] {
  const names = specs
    .filter((s): s is string => typeof s === 'string' && s !== '' && !/\s/.test(s))
    .map((s) => s.split(':')[0]);
  const problems: HubbleMetricProblem[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name) && registeredMetric(name)) {
      problems.push(
        problem(
          'agentFails',
          `metric \`${name}\` is listed more than once; registering it twice makes the agent fail`,
          'merge the options into one entry',
        ),
      );
    }
    seen.add(name);
  }
  const reported = new Set<string>();
  for (const name of [...seen].sort()) {
    for (const other of registeredMetric(name)?.conflicts ?? []) {
      const pair = [name, other].sort().join(' ');
      if (!seen.has(other) || reported.has(pair)) continue;
      reported.add(pair);
      problems.push(
        problem(
          'agentFails',
          `metrics \`${name}\` and \`${other}\` cannot be enabled together: the agent fails to set up Hubble metrics`,
          `keep one of them${pair === 'http httpV2' ? ' (prefer `httpV2`)' : ''}`,
        ),
      );
    }
  }
  return problems;
}
