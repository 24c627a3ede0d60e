import { App, Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import {
  CiliumHelmValues,
  type CiliumHelmValuesProps,
  EncryptionType,
  HubbleMetric,
  PolicyEnforcementMode,
} from '../../lib/helm';
import { HOMELAB_CILIUM_VALUES } from '../../examples/homelab/cilium-values';

const HOMELAB: CiliumHelmValuesProps = {
  ...HOMELAB_CILIUM_VALUES,
  policyEnforcementMode: PolicyEnforcementMode.DEFAULT,
};

/** Nothing is written here; a fixed relative outdir keeps the header's helm command stable. */
function setup(props: CiliumHelmValuesProps = HOMELAB): { chart: Chart; values: CiliumHelmValues } {
  const app = new App({ outdir: 'dist' });
  const chart = new Chart(app, 'homelab');
  return { chart, values: new CiliumHelmValues(chart, 'cilium', props) };
}

/** The validation error text Testing.synth raises, or '' when it passes. */
function synthError(chart: Chart): string {
  try {
    Testing.synth(chart);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

describe('CiliumHelmValues', () => {
  test('homelab values render to the expected YAML', () => {
    const { values } = setup();
    expect(values.toYaml()).toMatchSnapshot();
  });

  test('homelab values are exactly the chart keys of the homelab block', () => {
    const { values } = setup();
    expect(parse(values.toYaml())).toEqual({
      rollOutCiliumPods: true,
      encryption: { enabled: true, type: 'wireguard', nodeEncryption: true },
      hubble: {
        enabled: true,
        metrics: {
          enabled: [
            'dns:query;ignoreAAAA',
            'drop',
            'tcp',
            'flow',
            'port-distribution',
            'icmp',
            'httpV2:exemplars=true;labelsContext=source_ip,source_namespace,source_workload,destination_ip,destination_namespace,destination_workload,traffic_direction',
          ],
          enableOpenMetrics: true,
          port: 9965,
          serviceMonitor: { enabled: true, labels: { release: 'kube-prometheus-stack' } },
          dashboards: { enabled: true, label: 'grafana_dashboard', namespace: 'monitoring', labelValue: '1' },
        },
        relay: { enabled: true, rollOutPods: true },
        ui: { enabled: true, rollOutPods: true },
      },
      policyAuditMode: true,
      policyEnforcementMode: 'default',
    });
  });

  test('adds no Kubernetes manifest to its chart', () => {
    const { chart } = setup();
    expect(Testing.synth(chart)).toEqual([]);
  });

  test('only given props are written', () => {
    const { values } = setup({ policyAuditMode: true, hubble: { relay: {} } });
    expect(values.values).toEqual({ policyAuditMode: true });
  });

  test('a typo through addOverride fails synthesis with the construct path and a suggestion', () => {
    const { chart, values } = setup();
    values.addOverride('hubble.relay.enabeld', true);
    const error = synthError(chart);
    expect(error).toContain('[homelab/cilium]');
    expect(error).toContain('`hubble.relay.enabeld` = true');
    expect(error).toContain('did you mean `hubble.relay.enabled`?');
  });

  test('a typo through extraValues fails too, and values/toYaml throw naming the construct', () => {
    const { chart, values } = setup({
      ...HOMELAB,
      extraValues: { hubble: { metrics: { serviceMonitor: { enable: true } } } },
    });
    expect(synthError(chart)).toContain('did you mean `hubble.metrics.serviceMonitor.enabled`?');
    expect(() => values.toYaml()).toThrow(
      /CiliumHelmValues homelab\/cilium: invalid Cilium 1\.20\.0 Helm values/,
    );
  });

  test('a schema type error fails with the expected type', () => {
    const { chart, values } = setup();
    values.addOverride('hubble.metrics.port', '9965');
    const error = synthError(chart);
    expect(error).toContain('`hubble.metrics.port` = "9965": values.schema.json requires integer');
    expect(error).toContain('Fix: set `hubble.metrics.port` to an integer');
  });

  test('policyAuditMode (commented out in values.yaml) is allowed but must be boolean', () => {
    expect(synthError(setup({ policyAuditMode: true }).chart)).toBe('');
    const { chart, values } = setup();
    values.addOverride('policyAuditMode', 'yes');
    expect(synthError(chart)).toContain('values.yaml documents `policyAuditMode` as a boolean');
  });

  test('free-form maps accept any key below them', () => {
    const { chart, values } = setup({
      ...HOMELAB,
      extraValues: {
        podAnnotations: { 'example.com/team': 'platform' },
        extraConfig: { 'enable-policy-secrets-sync': 'true' },
        hubble: { relay: { podLabels: { tier: 'observability' } } },
      },
    });
    values.addOverride('nodeSelector.kubernetes\\.io/os', 'linux');
    values.addOverride('hubble.metrics.serviceMonitor.labels.team', 'sre');
    expect(synthError(chart)).toBe('');
    expect(values.values.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
  });

  test('Cilium constraints: relay needs Hubble, UI needs relay, nodeEncryption needs WireGuard', () => {
    const relay = setup({ hubble: { enabled: false, relay: { enabled: true } } });
    expect(synthError(relay.chart)).toContain('Hubble Relay requires hubble.enabled');
    const ui = setup({ hubble: { ui: { enabled: true } } });
    expect(synthError(ui.chart)).toContain('Hubble UI reads flows through Hubble Relay');
    expect(synthError(ui.chart)).toContain('hubble.ui.standalone.enabled');
    const ipsec = setup({ encryption: { enabled: true, type: EncryptionType.IPSEC, nodeEncryption: true } });
    expect(synthError(ipsec.chart)).toContain(
      'node-to-node encryption only works with encryption.type "wireguard"',
    );
    const mode = setup({ policyEnforcementMode: 'sometimes' as never });
    expect(synthError(mode.chart)).toContain('`policyEnforcementMode` = "sometimes"');
  });

  test('Hubble metric strings are checked wherever they come from', () => {
    const { chart } = setup({ hubble: { metrics: { enabled: ['dns:qeury', HubbleMetric.drop()] } } });
    const error = synthError(chart);
    expect(error).toContain('`hubble.metrics.enabled.0` = "dns:qeury"');
    expect(error).toContain('did you mean `query`?');
  });

  test('static and dynamic Hubble metrics together are refused, as the agent does', () => {
    const { chart, values } = setup({ hubble: { metrics: { enabled: [HubbleMetric.drop()] } } });
    values.addOverride('hubble.metrics.dynamic.enabled', true);
    expect(synthError(chart)).toContain('cannot configure both static and dynamic Hubble metrics');
  });

  test('exemplars need OpenMetrics; a ServiceMonitor needs metrics', () => {
    const exemplars = setup({ hubble: { metrics: { enabled: [HubbleMetric.httpV2({ exemplars: true })] } } });
    expect(synthError(exemplars.chart)).toContain('exemplars are only exported in the OpenMetrics format');
    const monitor = setup({ hubble: { metrics: { serviceMonitor: { enabled: true } } } });
    expect(synthError(monitor.chart)).toContain(
      'creates the Hubble ServiceMonitor only when hubble.metrics.enabled lists metrics',
    );
  });

  test('all problems are reported at once', () => {
    const { chart, values } = setup();
    values.addOverride('hubble.relay.enabeld', true);
    values.addOverride('encryption.nodeEncrypton', true);
    values.addOverride('hubble.metrics.port', 'x');
    const error = synthError(chart);
    expect(error.match(/Cilium Helm values:/g)).toHaveLength(3);
  });

  test('extraValues deep-merge over props; overrides apply last, in order; deletion restores the chart default', () => {
    const { values } = setup({
      ...HOMELAB,
      extraValues: {
        hubble: { relay: { enabled: true }, metrics: { serviceMonitor: { labels: { team: 'sre' } } } },
        bpf: { masquerade: true },
      },
    });
    values.addOverride('hubble.metrics.port', 9962);
    values.addOverride('hubble.metrics.port', 9963);
    values.addDeletionOverride('rollOutCiliumPods');
    const v = values.values as any;
    expect(v.hubble.relay).toEqual({ enabled: true, rollOutPods: true });
    expect(v.hubble.metrics.serviceMonitor.labels).toEqual({ release: 'kube-prometheus-stack', team: 'sre' });
    expect(v.hubble.metrics.port).toBe(9963);
    expect(v.bpf).toEqual({ masquerade: true });
    expect(v.rollOutCiliumPods).toBeUndefined();
  });

  test('null is kept (Helm then drops the chart default) and accepted', () => {
    const { chart, values } = setup();
    values.addOverride('hubble.metrics.serviceMonitor.relabelings', null);
    expect(synthError(chart)).toBe('');
    expect(values.toYaml()).toContain('relabelings: null');
  });

  test('key order follows values.yaml, independent of prop and override order', () => {
    const a = setup({
      policyAuditMode: true,
      encryption: { nodeEncryption: true, type: EncryptionType.WIREGUARD, enabled: true },
      rollOutCiliumPods: true,
    });
    a.values.addOverride('podAnnotations.b', '2');
    a.values.addOverride('podAnnotations.a', '1');
    const b = setup({
      rollOutCiliumPods: true,
      encryption: { enabled: true, type: EncryptionType.WIREGUARD, nodeEncryption: true },
      policyAuditMode: true,
    });
    b.values.addOverride('podAnnotations.a', '1');
    b.values.addOverride('podAnnotations.b', '2');
    expect(a.values.toYaml()).toBe(b.values.toYaml());
    expect(a.values.toYaml()).toMatch(
      /\nrollOutCiliumPods: true\npodAnnotations:\n {2}a: "1"\n {2}b: "2"\nencryption:\n {2}enabled: true\n {2}type: wireguard\n {2}nodeEncryption: true\npolicyAuditMode: true\n$/,
    );
  });

  test('props are copied: mutating the caller object afterwards changes nothing', () => {
    const extraValues: Record<string, any> = { bpf: { masquerade: true } };
    const metrics = [HubbleMetric.drop()];
    const { values } = setup({ extraValues, hubble: { metrics: { enabled: metrics } } });
    extraValues.bpf.masquerade = false;
    metrics.push(HubbleMetric.tcp());
    expect(values.values).toEqual({ bpf: { masquerade: true }, hubble: { metrics: { enabled: ['drop'] } } });
  });

  test('valuesFile must be a relative .yaml path inside outdir', () => {
    const chart = new Chart(new App({ outdir: 'dist' }), 'c');
    expect(() => new CiliumHelmValues(chart, 'a', { valuesFile: '/etc/values.yaml' })).toThrow(
      /must be relative/,
    );
    expect(() => new CiliumHelmValues(chart, 'b', { valuesFile: '../values.yaml' })).toThrow(
      /inside the app output directory/,
    );
    expect(() => new CiliumHelmValues(chart, 'c', { valuesFile: 'cilium/values.json' })).toThrow(
      /\.yaml or \.yml/,
    );
    expect(new CiliumHelmValues(chart, 'd', { valuesFile: './helm//cilium.yaml' }).valuesFile).toBe(
      'helm/cilium.yaml',
    );
  });

  test('valuesFile must not look like a manifest nor clash with another CiliumHelmValues', () => {
    const manifest = setup({ valuesFile: 'cilium.k8s.yaml' });
    expect(synthError(manifest.chart)).toContain('ends with ".k8s.yaml"');
    const { chart } = setup();
    new CiliumHelmValues(chart, 'second', {});
    expect(synthError(chart)).toContain('valuesFile "cilium/values.yaml" is also written by homelab/');
  });

  test('header names the chart version, the construct and the helm command', () => {
    const app = new App({ outdir: 'out' });
    const values = new CiliumHelmValues(new Chart(app, 'c'), 'cilium', { valuesFile: 'helm/cilium.yaml' });
    const header = values
      .toYaml()
      .split('\n')
      .filter((l) => l.startsWith('#'));
    expect(header.join('\n')).toContain('Cilium 1.20.0 chart');
    expect(header.join('\n')).toContain('construct "c/cilium"');
    expect(header).toContain(
      '#   helm upgrade --install cilium cilium/cilium --version 1.20.0 -n kube-system -f out/helm/cilium.yaml',
    );
  });

  test('non-data values are rejected', () => {
    const { chart } = setup({
      extraValues: { bpf: { masquerade: new Date(0) as unknown as boolean }, MTU: Number.NaN },
    });
    const error = synthError(chart);
    expect(error).toContain('`bpf.masquerade` is a Date instance');
    expect(error).toContain('`MTU` = NaN is not a finite number');
  });

  test('error paths are written the way addOverride accepts them, list indexes included', () => {
    const { chart, values } = setup({
      hubble: { metrics: { enabled: ['drop', 'tcp', 'flow', 'icmp', 'policy', 'dns', 'sctp', 'kafka'] } },
    });
    const error = synthError(chart);
    expect(error).toContain('`hubble.metrics.enabled.7` = "kafka"');
    expect(error).not.toMatch(/\[\d+\]/);
    values.addOverride('hubble.metrics.enabled.7', 'port-distribution');
    expect(synthError(chart)).toBe('');
    expect((values.values as any).hubble.metrics.enabled[7]).toBe('port-distribution');
  });

  test('encryption settings without encryption.enabled are refused, not rendered as nothing', () => {
    const off = setup({ encryption: { type: EncryptionType.WIREGUARD, nodeEncryption: true } });
    const error = synthError(off.chart);
    expect(error).toContain(
      '`encryption.enabled` = false: encryption.type, encryption.nodeEncryption are set, but the chart renders encryption settings only when encryption.enabled is true',
    );
    expect(error).toContain('Fix: set encryption.enabled to true');
    const extra = setup({ extraValues: { encryption: { wireguard: { persistentKeepalive: '10s' } } } });
    expect(synthError(extra.chart)).toContain('encryption.wireguard is set');
    expect(synthError(setup({ encryption: { enabled: true, type: EncryptionType.WIREGUARD } }).chart)).toBe(
      '',
    );
    expect(synthError(setup({ encryption: { enabled: false } }).chart)).toBe('');
  });

  test('the standalone Hubble UI (relay installed elsewhere) is accepted', () => {
    const { chart, values } = setup({ hubble: { enabled: false, ui: { enabled: true, standalone: true } } });
    expect(synthError(chart)).toBe('');
    expect(values.values).toEqual({
      hubble: { enabled: false, ui: { enabled: true, standalone: { enabled: true } } },
    });
    values.addOverride('hubble.relay.tls.server.enabled', true);
    expect(synthError(chart)).toContain(
      '`hubble.ui.standalone.tls.certsVolume` = {}: a standalone Hubble UI talking to a Relay with server TLS needs the client certificates',
    );
    values.addOverride('hubble.ui.standalone.tls.certsVolume', { projected: { sources: [] } });
    expect(synthError(chart)).toBe('');
  });

  test('__proto__, constructor and prototype are refused as paths: no prototype pollution', () => {
    const { chart, values } = setup();
    for (const bad of [
      '__proto__.polluted',
      'constructor.prototype.polluted',
      'hubble.__proto__.polluted',
      'prototype',
    ]) {
      expect(() => values.addOverride(bad, 1)).toThrow(
        `CiliumHelmValues homelab/cilium: addOverride(${JSON.stringify(bad)}): Invalid values path`,
      );
      expect(() => values.addDeletionOverride(bad)).toThrow(/is not allowed as a key/);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(synthError(chart)).toBe('');
  });

  test('a __proto__ key in extraValues (e.g. from JSON.parse) is refused and pollutes nothing', () => {
    const extraValues = JSON.parse(
      '{"__proto__": {"polluted": 1}, "podAnnotations": {"__proto__": {"polluted": 2}}}',
    ) as Record<string, unknown>;
    const { chart } = setup({ extraValues });
    const error = synthError(chart);
    expect(error).toContain('`__proto__`: `__proto__` is not allowed as a key');
    expect(error).toContain('`podAnnotations.__proto__`');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('an override through an inherited name does not reach Object.prototype', () => {
    const { chart, values } = setup();
    values.addOverride('podAnnotations.toString', 'x');
    values.addOverride('hasOwnProperty.x', 1);
    const error = synthError(chart);
    expect(error).toContain('never read `hasOwnProperty`');
    expect(typeof ({} as Record<string, unknown>).toString).toBe('function');
  });
});
