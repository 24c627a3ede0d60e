import { Testing } from 'cdk8s';
import { validateAgainstCrd } from '../../lib/manifest/crd-schema';
import { isCiliumPolicy, KubeManifest } from '../../lib/manifest/types';

/**
 * Every CNP/CCNP any test synthesizes with `Testing.synth` is checked against the Cilium 1.20
 * CRD schema with unknown fields rejected (the API server would silently prune them).
 */
const originalSynth = Testing.synth.bind(Testing);
Testing.synth = (chart) => {
  const manifests = originalSynth(chart) as KubeManifest[];
  const problems = manifests
    .filter(isCiliumPolicy)
    .flatMap((m) =>
      validateAgainstCrd(m).map((p) => `${m.kind} ${m.metadata?.name}: ${p.path}: ${p.message}`),
    );
  if (problems.length)
    throw new Error(`synthesized policies violate the Cilium 1.20 CRD schema:\n${problems.join('\n')}`);
  return manifests;
};
