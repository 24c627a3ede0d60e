import { checkHubbleMetricList, checkHubbleMetricSpec, HubbleMetric } from '../../lib/helm/hubble-metric';

describe('HubbleMetric rendering', () => {
  test('factories render the chart string syntax', () => {
    expect(HubbleMetric.dns({ query: true, ignoreAAAA: true }).toString()).toBe('dns:query;ignoreAAAA');
    expect(HubbleMetric.dns().toString()).toBe('dns');
    expect(HubbleMetric.of('drop').toString()).toBe('drop');
    expect(HubbleMetric.portDistribution().toString()).toBe('port-distribution');
    expect(HubbleMetric.flowsToWorld({ anyDrop: true, synOnly: true }).toString()).toBe('flows-to-world:any-drop;syn-only');
    expect(HubbleMetric.httpV2({ exemplars: false }).toString()).toBe('httpV2');
  });

  test('labelsContext is rendered in Cilium label order, deduplicated, whatever the input order', () => {
    const a = HubbleMetric.httpV2({
      exemplars: true,
      labelsContext: ['traffic_direction', 'destination_workload', 'source_ip', 'source_ip', 'destination_ip'],
    });
    expect(a.toString()).toBe('httpV2:exemplars=true;labelsContext=source_ip,destination_ip,destination_workload,traffic_direction');
  });

  test('context identifier lists keep their order (first non-empty wins) and join with |', () => {
    const m = HubbleMetric.drop({ destinationContext: ['pod', 'ip'], sourceContext: ['namespace', 'reserved-identity'] });
    expect(m.toString()).toBe('drop:sourceContext=namespace|reserved-identity;destinationContext=pod|ip');
  });

  test('of() orders options: metric options first, then context options, then others by name', () => {
    expect(HubbleMetric.of('dns', { sourceContext: 'namespace', ignoreAAAA: true, query: true }).toString()).toBe('dns:query;ignoreAAAA;sourceContext=namespace');
  });
});

describe('checkHubbleMetricSpec', () => {
  test('accepts valid specs', () => {
    for (const spec of [
      'dns:query;ignoreAAAA',
      'drop',
      'httpV2:exemplars=true;labelsContext=source_ip,source_namespace,source_workload,destination_ip,destination_namespace,destination_workload,traffic_direction',
      'flow:sourceContext=workload-name|reserved-identity;destinationContext=workload-name|reserved-identity',
      'flows-to-world:any-drop;port;syn-only',
      'DNS'.toLowerCase(),
    ]) {
      expect(checkHubbleMetricSpec(spec)).toEqual([]);
    }
  });

  test('unknown metric name gets a suggestion', () => {
    expect(checkHubbleMetricSpec('dsn:query')).toEqual([expect.stringContaining('unknown Hubble metric `dsn`')]);
    expect(checkHubbleMetricSpec('dsn:query')[0]).toContain('did you mean `dns`?');
    expect(checkHubbleMetricSpec('httpv2')[0]).toContain('did you mean `httpV2`?');
  });

  test('unknown option gets a suggestion', () => {
    const [problem] = checkHubbleMetricSpec('dns:qeury;ignoreAAAA');
    expect(problem).toContain('metric `dns` has no option `qeury`');
    expect(problem).toContain('did you mean `query`?');
  });

  test('bad context values are reported with the valid spelling', () => {
    const [problem] = checkHubbleMetricSpec('drop:sourceContext=namespce');
    expect(problem).toContain('`namespce` is not a valid context identifier');
    expect(problem).toContain('`namespace`');
    expect(checkHubbleMetricSpec('drop:labelsContext=source_ip|source_pod')[0]).toContain('separate labels with ","');
  });

  test('flags take no value and exemplars must be exactly =true', () => {
    expect(checkHubbleMetricSpec('dns:query=true')[0]).toContain('is a flag');
    expect(checkHubbleMetricSpec('httpV2:exemplars')[0]).toContain('exemplars=true');
    expect(checkHubbleMetricSpec('httpV2:exemplars=yes')[0]).toContain('exemplars=true');
  });

  test('whitespace, empty strings and non-strings are rejected', () => {
    expect(checkHubbleMetricSpec('dns drop')[0]).toContain('without spaces');
    expect(checkHubbleMetricSpec('')[0]).toContain('without spaces');
    expect(checkHubbleMetricSpec(42)[0]).toContain('must be a string');
  });

  test('repeated options are reported', () => {
    expect(checkHubbleMetricSpec('dns:query;query')).toEqual([expect.stringContaining('given twice')]);
  });
});

describe('checkHubbleMetricList', () => {
  test('duplicates and http/httpV2 conflict', () => {
    expect(checkHubbleMetricList(['dns', 'drop'])).toEqual([]);
    expect(checkHubbleMetricList(['dns', 'dns:query'])).toEqual([expect.stringContaining('`dns` is listed more than once')]);
    expect(checkHubbleMetricList(['http', 'httpV2:exemplars=true'])).toEqual([expect.stringContaining('cannot be enabled together')]);
  });
});
