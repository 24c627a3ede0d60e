/** Hubble metric strings checked against Cilium's own registry by check-against-cilium.ts. */
import { type HubbleMetricProblemKind } from '../../lib/helm/hubble-metric';
import { hubbleMetricRegistry } from '../../lib/helm/hubble-registry';
import { HubbleMetric } from '../../lib/helm';

const registry = hubbleMetricRegistry();
const everyIdentifier = registry.contextIdentifiers.join('|');
const everyLabel = registry.contextLabels.join(',');

/** Every factory with all its options, and every metric with every context option. */
export const ACCEPTED: readonly string[] = [
  HubbleMetric.dns({ query: true, ignoreAAAA: true }).toString(),
  HubbleMetric.flowsToWorld({ anyDrop: true, port: true, synOnly: true }).toString(),
  HubbleMetric.http({ exemplars: true }).toString(),
  HubbleMetric.httpV2({ exemplars: true, labelsContext: registry.contextLabels as never }).toString(),
  ...registry.metrics.map(
    (m) =>
      `${m.name}:sourceContext=${everyIdentifier};sourceEgressContext=workload;sourceIngressContext=pod-name;destinationContext=${everyIdentifier};destinationEgressContext=app;destinationIngressContext=ip;labelsContext=${everyLabel}`,
  ),
  ...registry.contextIdentifiers.map((id) => `flow:sourceContext=${id}`),
  ...registry.contextLabels.map((label) => `drop:labelsContext=${label}`),
  'dns:QUERY;IgnoreAaaa',
  'httpV2:Exemplars=true',
  'flow:SOURCECONTEXT=Namespace',
  'port-distribution:destinationContext=workload-name|reserved-identity',
  'sctp:sourceContext=pod',
  'tcp:destinationContext=dns',
  'policy:sourceContext=app;destinationContext=app',
  'icmp:labelsContext=traffic_direction',
];

export const REFUSED: readonly { spec: string; kind: HubbleMetricProblemKind }[] = [
  { spec: 'kafka', kind: 'unregistered' },
  { spec: 'kafka:labelsContext=source_pod', kind: 'unregistered' },
  { spec: 'flows-per-pod', kind: 'unregistered' },
  { spec: 'nld:direction', kind: 'unregistered' },
  { spec: 'dsn:query', kind: 'unregistered' },
  { spec: 'httpv2', kind: 'unregistered' },
  { spec: 'flow:sourceContext=pod-short', kind: 'agentFails' },
  { spec: 'flow:destinationContext=namespce', kind: 'agentFails' },
  { spec: 'drop:sourceContext', kind: 'agentFails' },
  { spec: 'drop:labelsContext', kind: 'agentFails' },
  { spec: 'drop:labelsContext=source_ip|source_pod', kind: 'agentFails' },
  { spec: 'drop:labelsContext=Source_IP', kind: 'agentFails' },
  { spec: 'drop:labelsContext=source_workload_name', kind: 'agentFails' },
  { spec: 'tcp:sourceIngressContext=workloads', kind: 'agentFails' },
];

/** Specs whose problem Cilium silently ignores, with the spec Cilium loads identically. */
export const IGNORED: readonly { spec: string; same: string }[] = [
  { spec: 'dns:qeury;ignoreAAAA', same: 'dns:ignoreAAAA' },
  { spec: 'dns:query=false', same: 'dns:query' },
  { spec: 'dns:query;QUERY', same: 'dns:query' },
  { spec: 'drop:query', same: 'drop' },
  { spec: 'httpV2:exemplars', same: 'httpV2' },
  { spec: 'httpV2:exemplars=yes', same: 'httpV2' },
  { spec: 'http:exemplars=TRUE', same: 'http' },
  { spec: 'flows-to-world:any-drop=no', same: 'flows-to-world:any-drop' },
  { spec: 'drop:sourceContext=', same: 'drop' },
  { spec: 'drop:labelsContext=,', same: 'drop' },
  { spec: 'flow:context=namespace', same: 'flow' },
];

export const LIST_CASES: readonly { list: string[]; kind: 'accepted' | HubbleMetricProblemKind }[] = [
  { list: registry.metrics.filter((m) => m.name !== 'http').map((m) => m.name), kind: 'accepted' },
  { list: ['http', 'dns', 'drop'], kind: 'accepted' },
  { list: ['http', 'httpV2'], kind: 'agentFails' },
  { list: ['dns', 'dns:query'], kind: 'agentFails' },
  { list: ['drop', 'flow', 'drop'], kind: 'agentFails' },
];

/** Strings YAML 1.1 or Go's number syntax would read as another type when written plain. */
export const AMBIGUOUS_STRINGS: readonly string[] = [
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'on',
  'On',
  'ON',
  'off',
  'Off',
  'OFF',
  'true',
  'False',
  '~',
  'null',
  'NULL',
  '',
  '0',
  '-0',
  '+12',
  '1_000',
  '0b101',
  '0B101',
  '0x1F',
  '0X1F',
  '0o17',
  '0O17',
  '017',
  '0_17',
  '1:20',
  '190:20:30',
  '1.',
  '.5',
  '+0.5',
  '1_0.5',
  '1e3',
  '1E3',
  '1.5e+3',
  '1e-3',
  '.inf',
  '-.Inf',
  '.nan',
  '.NaN',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '2001-12-14 21:59:43.10 -5',
  '<<',
  '=',
];
