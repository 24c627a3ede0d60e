import {
  checkHubbleMetricList,
  checkHubbleMetricSpec,
  HubbleContextIdentifier,
  HubbleContextLabel,
  HubbleMetric,
} from '../../lib/helm/hubble-metric';
import { hubbleMetricRegistry } from '../../lib/helm/hubble-registry';

const messages = (spec: unknown): string[] =>
  checkHubbleMetricSpec(spec).map((p) => `${p.message}. Fix: ${p.fix}`);
const kinds = (spec: unknown): string[] => checkHubbleMetricSpec(spec).map((p) => p.kind);

/** Every value of the exported union types, kept in sync with Cilium 1.20 by the tests below. */
const IDENTIFIERS: Record<HubbleContextIdentifier, true> = {
  identity: true,
  namespace: true,
  pod: true,
  'pod-name': true,
  dns: true,
  ip: true,
  'reserved-identity': true,
  workload: true,
  'workload-name': true,
  app: true,
};
const LABELS: Record<HubbleContextLabel, true> = {
  source_ip: true,
  source_pod: true,
  source_namespace: true,
  source_workload: true,
  source_workload_kind: true,
  source_app: true,
  destination_ip: true,
  destination_pod: true,
  destination_namespace: true,
  destination_workload: true,
  destination_workload_kind: true,
  destination_app: true,
  traffic_direction: true,
};

/** One factory call per registered metric, with every option it has. */
const FACTORIES: Record<string, HubbleMetric> = {
  dns: HubbleMetric.dns({ query: true, ignoreAAAA: true }),
  drop: HubbleMetric.drop(),
  flow: HubbleMetric.flow(),
  'flows-to-world': HubbleMetric.flowsToWorld({ anyDrop: true, port: true, synOnly: true }),
  http: HubbleMetric.http({ exemplars: true }),
  httpV2: HubbleMetric.httpV2({ exemplars: true }),
  icmp: HubbleMetric.icmp(),
  policy: HubbleMetric.policy(),
  'port-distribution': HubbleMetric.portDistribution(),
  sctp: HubbleMetric.sctp(),
  tcp: HubbleMetric.tcp(),
};

describe('the Cilium 1.20 metric registry (imports/cilium/1.20/hubble-metrics.json)', () => {
  const registry = hubbleMetricRegistry();

  test('registers exactly the metrics HubbleMetric has factories for; kafka, flows-per-pod and nld are gone', () => {
    expect([...HubbleMetric.NAMES].sort()).toEqual(Object.keys(FACTORIES).sort());
    for (const gone of ['kafka', 'flows-per-pod', 'nld']) expect(HubbleMetric.NAMES).not.toContain(gone);
    expect((HubbleMetric as unknown as Record<string, unknown>).kafka).toBeUndefined();
  });

  test('the exported context types are exactly what Cilium parses', () => {
    expect(Object.keys(IDENTIFIERS).sort()).toEqual([...registry.contextIdentifiers].sort());
    expect(Object.keys(LABELS).sort()).toEqual([...registry.contextLabels].sort());
    expect(registry.contextIdentifiers).not.toContain('pod-short');
  });

  test('each factory renders the registered spelling of every option of its metric, and is accepted', () => {
    for (const [name, metric] of Object.entries(FACTORIES)) {
      const rendered = metric.toString();
      const options = rendered.includes(':')
        ? rendered
            .split(':')[1]
            .split(';')
            .map((o) => o.split('=')[0])
        : [];
      expect([name, options.sort()]).toEqual([
        name,
        registry.metrics
          .find((m) => m.name === name)!
          .options.map((o) => o.spelling)
          .sort(),
      ]);
      expect([rendered, checkHubbleMetricSpec(rendered)]).toEqual([rendered, []]);
    }
  });
});

describe('HubbleMetric rendering', () => {
  test('factories render the chart string syntax', () => {
    expect(HubbleMetric.dns({ query: true, ignoreAAAA: true }).toString()).toBe('dns:query;ignoreAAAA');
    expect(HubbleMetric.dns().toString()).toBe('dns');
    expect(HubbleMetric.of('drop').toString()).toBe('drop');
    expect(HubbleMetric.portDistribution().toString()).toBe('port-distribution');
    expect(HubbleMetric.flowsToWorld({ anyDrop: true, synOnly: true }).toString()).toBe(
      'flows-to-world:any-drop;syn-only',
    );
    expect(HubbleMetric.httpV2({ exemplars: false }).toString()).toBe('httpV2');
    expect(HubbleMetric.sctp().toString()).toBe('sctp');
  });

  test('labelsContext is rendered in Cilium label order, deduplicated, whatever the input order', () => {
    const a = HubbleMetric.httpV2({
      exemplars: true,
      labelsContext: [
        HubbleContextLabel.TRAFFIC_DIRECTION,
        HubbleContextLabel.DESTINATION_WORKLOAD_KIND,
        HubbleContextLabel.DESTINATION_WORKLOAD,
        HubbleContextLabel.SOURCE_IP,
        HubbleContextLabel.SOURCE_IP,
        HubbleContextLabel.SOURCE_WORKLOAD_KIND,
        HubbleContextLabel.DESTINATION_IP,
      ],
    });
    expect(a.toString()).toBe(
      'httpV2:exemplars=true;labelsContext=source_ip,source_workload_kind,destination_ip,destination_workload,destination_workload_kind,traffic_direction',
    );
  });

  test('context identifier lists keep their order (first non-empty wins) and join with |', () => {
    const m = HubbleMetric.drop({
      destinationContext: [HubbleContextIdentifier.WORKLOAD, HubbleContextIdentifier.IP],
      sourceContext: [HubbleContextIdentifier.NAMESPACE, HubbleContextIdentifier.RESERVED_IDENTITY],
    });
    expect(m.toString()).toBe(
      'drop:sourceContext=namespace|reserved-identity;destinationContext=workload|ip',
    );
  });

  test('of() orders options: the metric options in Cilium registry order, then context options, then others by name', () => {
    expect(
      HubbleMetric.of('dns', { sourceContext: 'namespace', ignoreAAAA: true, query: true }).toString(),
    ).toBe('dns:ignoreAAAA;query;sourceContext=namespace');
  });
});

describe('checkHubbleMetricSpec', () => {
  test('accepts valid specs, option names in any case as Cilium does', () => {
    for (const spec of [
      'dns:query;ignoreAAAA',
      'dns:QUERY;ignoreaaaa',
      'drop',
      'httpV2:exemplars=true;labelsContext=source_ip,source_namespace,source_workload,source_workload_kind,destination_ip,destination_namespace,destination_workload,destination_workload_kind,traffic_direction',
      'httpV2:Exemplars=true',
      'flow:sourceContext=workload|reserved-identity;destinationContext=workload-name|reserved-identity',
      'flow:SourceContext=Namespace',
      'flows-to-world:any-drop;port;syn-only',
      'sctp:sourceContext=pod-name',
    ]) {
      expect([spec, messages(spec)]).toEqual([spec, []]);
    }
  });

  test('metrics Cilium 1.20 does not register are refused: the agent would skip them', () => {
    for (const name of ['kafka', 'flows-per-pod', 'nld']) {
      expect(kinds(name)).toEqual(['unregistered']);
      expect(messages(name)[0]).toContain(`Cilium 1.20 registers no Hubble metric \`${name}\``);
      expect(messages(name)[0]).toContain('Skipping unknown hubble metric');
    }
  });

  test('unknown metric name gets a suggestion', () => {
    expect(messages('dsn:query')[0]).toContain('did you mean `dns`?');
    expect(messages('httpv2')[0]).toContain('did you mean `httpV2`?');
  });

  test('unknown option gets a suggestion and is reported as ignored by Cilium', () => {
    const [problem] = checkHubbleMetricSpec('dns:qeury;ignoreAAAA');
    expect(problem).toMatchObject({ kind: 'ignored', fix: 'did you mean `query`?' });
    expect(problem.message).toContain('metric `dns` has no option `qeury`');
  });

  test('pod-short is refused (the 1.20 agent fails on it); workload is valid', () => {
    expect(kinds('flow:sourceContext=pod-short')).toEqual(['agentFails']);
    expect(messages('flow:sourceContext=pod-short')[0]).toContain(
      '`pod-short` is not a context identifier Cilium 1.20 accepts',
    );
    expect(messages('flow:sourceContext=workload')).toEqual([]);
  });

  test('bad context values are reported with the valid spelling', () => {
    expect(messages('drop:sourceContext=namespce')[0]).toContain('did you mean `namespace`?');
    expect(messages('drop:labelsContext=source_ip|source_pod')[0]).toContain('separate labels with ","');
    expect(kinds('drop:labelsContext=Source_ip')).toEqual(['agentFails']);
  });

  test('a context option without a value fails the agent; with an empty value it is ignored', () => {
    expect(kinds('drop:sourceContext')).toEqual(['agentFails']);
    expect(kinds('drop:labelsContext')).toEqual(['agentFails']);
    expect(kinds('drop:sourceContext=')).toEqual(['ignored']);
    expect(kinds('drop:labelsContext=,')).toEqual(['ignored']);
  });

  test('flags ignore their value and exemplars must be exactly =true', () => {
    expect(messages('dns:query=false')[0]).toContain('`query=false` would turn it on');
    expect(messages('httpV2:exemplars')[0]).toContain('exemplars=true');
    expect(messages('httpV2:exemplars=yes')[0]).toContain('exemplars=true');
    expect(messages('drop:query')[0]).toContain('metric `drop` has no option `query`');
  });

  test('whitespace, empty strings and non-strings are rejected', () => {
    expect(messages('dns drop')[0]).toContain('without spaces');
    expect(messages('')[0]).toContain('without spaces');
    expect(messages(42)[0]).toContain('must be a string');
  });

  test('repeated options are reported', () => {
    expect(messages('dns:query;QUERY')).toEqual([expect.stringContaining('given twice')]);
  });
});

describe('checkHubbleMetricList', () => {
  test('duplicates and the http/httpV2 conflict make the agent fail', () => {
    expect(checkHubbleMetricList(['dns', 'drop'])).toEqual([]);
    expect(checkHubbleMetricList(['dns', 'dns:query'])).toEqual([
      expect.objectContaining({
        kind: 'agentFails',
        message: expect.stringContaining('`dns` is listed more than once'),
      }),
    ]);
    expect(checkHubbleMetricList(['http', 'httpV2:exemplars=true'])).toEqual([
      expect.objectContaining({
        kind: 'agentFails',
        message: expect.stringContaining('cannot be enabled together'),
      }),
    ]);
    expect(checkHubbleMetricList(['kafka', 'kafka'])).toEqual([]);
  });
});
