import { App, Chart, Testing } from 'cdk8s';
import { isCiliumPolicy, KubeManifest } from '../../lib/manifest/types';

/** A synthesized manifest as tests read it (deep property access without narrowing). */
export interface SynthManifest extends KubeManifest {
  readonly [key: string]: any;
}

/** A fresh chart in a test app. */
export function testChart(id = 'test'): Chart {
  return new Chart(Testing.app(), id);
}

/**
 * Synthesizes a chart (or all charts of an app). Every CNP/CCNP is checked against the Cilium
 * 1.20 CRD schema by test/support/setup.ts, which wraps `Testing.synth` for all tests.
 */
export function synthChecked(scope: Chart | App): SynthManifest[] {
  const charts = scope instanceof App ? scope.charts : [scope];
  return charts.flatMap((c) => Testing.synth(c) as SynthManifest[]);
}

export function policiesOf(manifests: SynthManifest[]): SynthManifest[] {
  return manifests.filter(isCiliumPolicy);
}

/** The single policy of a synthesized chart. */
export function onlyPolicy(manifests: SynthManifest[]): SynthManifest {
  const policies = policiesOf(manifests);
  if (policies.length !== 1) throw new Error(`expected one policy, got ${policies.length}`);
  return policies[0];
}
