import { closestNames, orList } from './suggest';

/** How a Hubble metric identifies the source or destination of a flow (`sourceContext=namespace|pod`). */
export type HubbleContextIdentifier =
  | 'identity'
  | 'namespace'
  | 'pod'
  | 'pod-short'
  | 'pod-name'
  | 'dns'
  | 'ip'
  | 'reserved-identity'
  | 'workload-name'
  | 'app';

/** A label a Hubble metric can add through `labelsContext`. */
export type HubbleContextLabel =
  | 'source_ip'
  | 'source_pod'
  | 'source_namespace'
  | 'source_workload'
  | 'source_app'
  | 'destination_ip'
  | 'destination_pod'
  | 'destination_namespace'
  | 'destination_workload'
  | 'destination_app'
  | 'traffic_direction';

const CONTEXT_IDENTIFIERS: readonly HubbleContextIdentifier[] = [
  'identity',
  'namespace',
  'pod',
  'pod-short',
  'pod-name',
  'dns',
  'ip',
  'reserved-identity',
  'workload-name',
  'app',
];

/** Cilium's own order for labelsContext labels (the order of the Prometheus label names). */
const CONTEXT_LABELS: readonly HubbleContextLabel[] = [
  'source_ip',
  'source_pod',
  'source_namespace',
  'source_workload',
  'source_app',
  'destination_ip',
  'destination_pod',
  'destination_namespace',
  'destination_workload',
  'destination_app',
  'traffic_direction',
];

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

export interface HubbleDnsMetricOptions extends HubbleMetricContextOptions {
  /** Adds the queried name as a `query` label. @default false */
  readonly query?: boolean;
  /** Ignores AAAA-only queries. @default false */
  readonly ignoreAAAA?: boolean;
}

export interface HubbleHttpMetricOptions extends HubbleMetricContextOptions {
  /** Attaches trace IDs as OpenMetrics exemplars (needs `enableOpenMetrics`). @default false */
  readonly exemplars?: boolean;
}

export interface HubbleFlowsToWorldMetricOptions extends HubbleMetricContextOptions {
  /** Counts every drop, not only policy denials. @default false */
  readonly anyDrop?: boolean;
  /** Adds the destination port as a label. @default false */
  readonly port?: boolean;
  /** Counts only TCP SYN packets, i.e. connections. @default false */
  readonly synOnly?: boolean;
}

type OptionKind = 'flag' | 'trueValue';

/**
 * Hubble metrics known to Cilium and the options each one reads besides the context options.
 * Source: cilium/cilium pkg/hubble/metrics (handler Init functions). Cilium matches most option
 * names case-insensitively; `exemplars` must be spelled exactly and set to `true`.
 */
const METRIC_OPTIONS: Readonly<Record<string, Readonly<Record<string, OptionKind>>>> = {
  'dns': { query: 'flag', ignoreAAAA: 'flag' },
  'drop': {},
  'flow': {},
  'flows-to-world': { 'any-drop': 'flag', 'port': 'flag', 'syn-only': 'flag' },
  'http': { exemplars: 'trueValue' },
  'httpV2': { exemplars: 'trueValue' },
  'icmp': {},
  'kafka': {},
  'policy': {},
  'port-distribution': {},
  'tcp': {},
  'sctp': {},
  'flows-per-pod': {},
  'nld': { direction: 'flag', ignoreHost: 'flag' },
};

/** Metrics Cilium refuses to load together. */
const CONFLICTS: readonly (readonly [string, string])[] = [['http', 'httpV2']];

const CONTEXT_OPTION_ORDER = [
  'sourceContext',
  'sourceEgressContext',
  'sourceIngressContext',
  'destinationContext',
  'destinationEgressContext',
  'destinationIngressContext',
  'labelsContext',
] as const;

/** The Hubble metric names this library knows about. */
export const HUBBLE_METRIC_NAMES: readonly string[] = Object.keys(METRIC_OPTIONS);

/**
 * One entry of `hubble.metrics.enabled`, rendered to the chart's string syntax
 * `name[:option[=value][;option[=value]]...]`, e.g. `dns:query;ignoreAAAA`.
 */
export class HubbleMetric {
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
    return HubbleMetric.build('flows-to-world', { 'any-drop': options.anyDrop, 'port': options.port, 'syn-only': options.synOnly }, options);
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
  /** Kafka requests (`hubble_kafka_*`). */
  public static kafka(options: HubbleMetricContextOptions = {}): HubbleMetric {
    return HubbleMetric.build('kafka', {}, options);
  }
  /** Policy verdicts (`hubble_policy_verdicts_total`). */
  public static policy(options: HubbleMetricContextOptions = {}): HubbleMetric {
    return HubbleMetric.build('policy', {}, options);
  }

  /**
   * Any metric by name with raw options: `HubbleMetric.of('drop')`,
   * `HubbleMetric.of('dns', { query: true, sourceContext: 'namespace' })`. `true` renders a bare flag.
   * Checked with the other values at synthesis.
   */
  public static of(name: string, options: Record<string, string | true> = {}): HubbleMetric {
    const known = METRIC_OPTIONS[name] ?? {};
    const order = [...Object.keys(known), ...CONTEXT_OPTION_ORDER];
    const keys = Object.keys(options).sort((a, b) => rank(order, a) - rank(order, b) || (a < b ? -1 : a > b ? 1 : 0));
    return new HubbleMetric(name, keys.map((key) => [key, options[key] === true ? undefined : (options[key] as string)]));
  }

  private static build(name: string, own: Record<string, boolean | string | undefined>, context: HubbleMetricContextOptions): HubbleMetric {
    const options: [string, string | undefined][] = [];
    for (const [key, value] of Object.entries(own)) {
      if (value === true) options.push([key, undefined]);
      else if (typeof value === 'string') options.push([key, value]);
    }
    for (const key of CONTEXT_OPTION_ORDER) {
      const list = context[key] as readonly string[] | undefined;
      if (!list || list.length === 0) continue;
      const values = key === 'labelsContext' ? [...new Set(list)].sort((a, b) => rank(CONTEXT_LABELS, a) - rank(CONTEXT_LABELS, b)) : [...new Set(list)];
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

/** Problems with one `hubble.metrics.enabled` entry, as "message. Fix: ..." sentences. */
export function checkHubbleMetricSpec(spec: unknown): string[] {
  if (typeof spec !== 'string') return [`a metric must be a string such as "dns:query;ignoreAAAA". Fix: use HubbleMetric.dns(...) or a string`];
  if (spec === '' || /\s/.test(spec)) {
    return ['a metric must be one word without spaces (the chart joins the list with spaces). Fix: separate options with ";" and list values with "," or "|"'];
  }
  const colon = spec.indexOf(':');
  const name = colon < 0 ? spec : spec.slice(0, colon);
  const known = METRIC_OPTIONS[name];
  if (!known) {
    const close = closestNames(name, HUBBLE_METRIC_NAMES);
    const fix = close.length > 0 ? `did you mean ${orList(close)}?` : `use one of ${orList(HUBBLE_METRIC_NAMES)}`;
    return [`unknown Hubble metric \`${name}\`; Cilium would refuse to start its metrics server. Fix: ${fix}`];
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const option of colon < 0 ? [] : spec.slice(colon + 1).split(';')) {
    if (option === '') continue;
    const eq = option.indexOf('=');
    const key = eq < 0 ? option : option.slice(0, eq);
    const value = eq < 0 ? undefined : option.slice(eq + 1);
    if (seen.has(key.toLowerCase())) problems.push(`option \`${key}\` is given twice for metric \`${name}\`. Fix: keep one`);
    seen.add(key.toLowerCase());
    problems.push(...checkMetricOption(name, known, key, value));
  }
  return problems;
}

function checkMetricOption(name: string, known: Readonly<Record<string, OptionKind>>, key: string, value: string | undefined): string[] {
  const contextKey = CONTEXT_OPTION_ORDER.find((k) => k.toLowerCase() === key.toLowerCase());
  if (contextKey) return checkContextOption(contextKey, value);
  const ownKey = Object.keys(known).find((k) => (known[k] === 'trueValue' ? k === key : k.toLowerCase() === key.toLowerCase()));
  if (!ownKey) {
    const candidates = [...Object.keys(known), ...CONTEXT_OPTION_ORDER];
    const close = closestNames(key, candidates);
    const fix = close.length > 0 ? `did you mean ${orList(close)}?` : `\`${name}\` accepts ${orList(candidates)}`;
    return [`metric \`${name}\` has no option \`${key}\`; Cilium would silently ignore it. Fix: ${fix}`];
  }
  if (known[ownKey] === 'trueValue' && value !== 'true') {
    return [`option \`${ownKey}\` of metric \`${name}\` takes effect only as \`${ownKey}=true\`. Fix: write \`${ownKey}=true\` or drop it`];
  }
  if (known[ownKey] === 'flag' && value !== undefined) {
    return [`option \`${ownKey}\` of metric \`${name}\` is a flag and takes no value. Fix: write \`${ownKey}\` alone`];
  }
  return [];
}

function checkContextOption(key: string, value: string | undefined): string[] {
  if (!value) return [`context option \`${key}\` needs a value, e.g. \`${key}=${key === 'labelsContext' ? 'source_namespace' : 'namespace'}\``];
  const isLabels = key === 'labelsContext';
  const allowed: readonly string[] = isLabels ? CONTEXT_LABELS : CONTEXT_IDENTIFIERS;
  const problems: string[] = [];
  for (const item of value.split(isLabels ? ',' : '|')) {
    const ok = isLabels ? allowed.includes(item) : allowed.includes(item.toLowerCase());
    if (ok) continue;
    const close = closestNames(item, allowed);
    const fix = close.length > 0 ? `did you mean ${orList(close)}?` : `use ${orList(allowed)}`;
    const separator = isLabels ? 'separate labels with ","' : 'separate identifiers with "|"';
    problems.push(`\`${item}\` is not a valid ${isLabels ? 'label' : 'context identifier'} for \`${key}\` (${separator}). Fix: ${fix}`);
  }
  return problems;
}

/** Problems with the `hubble.metrics.enabled` list as a whole: duplicates and conflicting metrics. */
export function checkHubbleMetricList(specs: readonly unknown[]): string[] {
  const names = specs.filter((s): s is string => typeof s === 'string').map((s) => s.split(':')[0]);
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) problems.push(`metric \`${name}\` is listed more than once; Cilium registers each metric once. Fix: merge the options into one entry`);
    seen.add(name);
  }
  for (const [a, b] of CONFLICTS) {
    if (seen.has(a) && seen.has(b)) problems.push(`metrics \`${a}\` and \`${b}\` cannot be enabled together. Fix: keep one of them (prefer \`httpV2\`)`);
  }
  return problems;
}
