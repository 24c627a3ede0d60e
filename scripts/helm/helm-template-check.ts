/**
 * Renders the Cilium 1.20.0 chart with `helm template` and the homelab's values file, and checks
 * that the rendered objects carry every intended setting. A manual check: it needs a `helm`
 * binary (HELM=/path/to/helm or on PATH; `go install helm.sh/helm/v3/cmd/helm@v3.22.0` builds one,
 * which takes a long time), so CI does not run it.
 *
 *   tsx scripts/helm/helm-template-check.ts
 *
 * Exit 0 when every setting is rendered, 1 when one is missing, 2 without helm or chart.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { CiliumHelmValues } from '../../lib/helm';
import { HOMELAB_CILIUM_VALUES } from '../../examples/homelab/cilium-values';
import { ciliumSource } from './cilium-source';

type Obj = {
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, unknown> };
  data?: Record<string, unknown>;
  spec?: Record<string, unknown>;
};
type HubbleMetricsValues = { hubble: { metrics: { enabled: string[] } } };
type PodTemplateSpec = { template?: { metadata?: { annotations?: Record<string, string> } } };

function main(): number {
  const helm = process.env.HELM ?? 'helm';
  const chart = path.join(ciliumSource(), 'install', 'kubernetes', 'cilium');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-template-'));
  try {
    const values = new CiliumHelmValues(
      new Chart(new App({ outdir: dir }), 'homelab'),
      'cilium',
      HOMELAB_CILIUM_VALUES,
    );
    values.addOverride('hubble.metrics.serviceMonitor.labels.ambiguous', 'yes');
    const file = values.writeFile(dir);
    let out: string;
    try {
      // --api-versions: the ServiceMonitor template needs the Prometheus Operator CRDs to exist;
      // --kube-version: a helm built with go install defaults to Kubernetes 1.20, below the chart's minimum.
      out = execFileSync(
        helm,
        [
          'template',
          'cilium',
          chart,
          '-n',
          'kube-system',
          '-f',
          file,
          '--api-versions',
          'monitoring.coreos.com/v1',
          '--kube-version',
          '1.33.0',
        ],
        { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
      );
    } catch (error) {
      console.error(`helm-template-check: ${helm} template failed: ${(error as Error).message}`);
      return 2;
    }
    const objects = parseAllDocuments(out)
      .map((d) => d.toJS() as Obj)
      .filter((o) => o && o.kind);
    const find = (kind: string, name: string): Obj | undefined =>
      objects.find((o) => o.kind === kind && o.metadata?.name === name);
    const config = find('ConfigMap', 'cilium-config')?.data ?? {};
    const monitor = find('ServiceMonitor', 'hubble');
    const checks: [string, boolean][] = [
      ['enable-hubble "true"', config['enable-hubble'] === 'true'],
      [
        'hubble-metrics lists the homelab metrics',
        String(config['hubble-metrics']).split(/\s+/).filter(Boolean).join(' ') ===
          (values.values as HubbleMetricsValues).hubble.metrics.enabled.join(' '),
      ],
      ['hubble-metrics-server ":9965"', config['hubble-metrics-server'] === ':9965'],
      ['enable-hubble-open-metrics "true"', config['enable-hubble-open-metrics'] === 'true'],
      ['enable-wireguard "true"', config['enable-wireguard'] === 'true'],
      ['encrypt-node "true"', config['encrypt-node'] === 'true'],
      ['policy-audit-mode "true"', config['policy-audit-mode'] === 'true'],
      ['enable-policy "default"', config['enable-policy'] === 'default'],
      ['Deployment hubble-relay', find('Deployment', 'hubble-relay') !== undefined],
      ['Deployment hubble-ui', find('Deployment', 'hubble-ui') !== undefined],
      [
        'ServiceMonitor hubble with release: kube-prometheus-stack',
        monitor?.metadata?.labels?.release === 'kube-prometheus-stack',
      ],
      ['ServiceMonitor label "yes" stays the string "yes"', monitor?.metadata?.labels?.ambiguous === 'yes'],
      [
        'Hubble dashboards in namespace monitoring with grafana_dashboard: "1"',
        objects.some(
          (o) =>
            o.kind === 'ConfigMap' &&
            o.metadata?.namespace === 'monitoring' &&
            o.metadata?.labels?.grafana_dashboard === '1',
        ),
      ],
      [
        'cilium agent pods roll out on config change',
        (find('DaemonSet', 'cilium')?.spec as PodTemplateSpec | undefined)?.template?.metadata?.annotations?.[
          'cilium.io/cilium-configmap-checksum'
        ] !== undefined,
      ],
    ];
    for (const [what, ok] of checks) console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
    const failed = checks.filter(([, ok]) => !ok).length;
    console.log(
      `helm template: ${objects.length} objects, ${checks.length - failed} settings rendered, ${failed} missing`,
    );
    return failed > 0 ? 1 : 0;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = main();
