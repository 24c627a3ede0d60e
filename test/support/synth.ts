import { App, Chart, Testing } from 'cdk8s';
import { validateAgainstCrd } from '../../lib/manifest/crd-schema';
import { isCiliumPolicy, KubeManifest } from '../../lib/manifest/types';

/** A fresh chart in a test app. */
export function testChart(id = 'test'): Chart {
  return new Chart(Testing.app(), id);
}

/**
 * Synthesizes a chart (or all charts of an app) and checks every CNP/CCNP against the Cilium
 * 1.20 CRD schema with unknown fields rejected; returns the manifests.
 */
export function synthChecked(scope: Chart | App): KubeManifest[] {
  const charts = scope instanceof App ? scope.charts : [scope];
  const manifests = charts.flatMap((c) => Testing.synth(c) as KubeManifest[]);
  const problems = manifests.filter(isCiliumPolicy).flatMap((m) =>
    validateAgainstCrd(m).map((p) => `${m.kind} ${m.metadata?.name}: ${p.path}: ${p.message}`));
  if (problems.length) throw new Error(`CRD schema violations:\n${problems.join('\n')}`);
  return manifests;
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
