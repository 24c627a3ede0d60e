import { App, Chart, Testing } from 'cdk8s';
import { isCiliumPolicy, KubeManifest } from '../../lib/manifest/types';

/** A fresh chart in a test app. */
export function testChart(id = 'test'): Chart {
  return new Chart(Testing.app(), id);
}

/**
 * Synthesizes a chart (or all charts of an app). Every CNP/CCNP is checked against the Cilium
 * 1.20 CRD schema by test/support/setup.ts, which wraps `Testing.synth` for all tests.
 */
export function synthChecked(scope: Chart | App): KubeManifest[] {
  const charts = scope instanceof App ? scope.charts : [scope];
  return charts.flatMap((c) => Testing.synth(c) as KubeManifest[]);
}

export function policiesOf(manifests: KubeManifest[]): KubeManifest[] {
  return manifests.filter(isCiliumPolicy);
}

/** The single policy of a synthesized chart. */
export function onlyPolicy(manifests: KubeManifest[]): KubeManifest {
  const policies = policiesOf(manifests);
  if (policies.length !== 1) throw new Error(`expected one policy, got ${policies.length}`);
  return policies[0];
}
