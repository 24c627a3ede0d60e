import { ApiObject } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';

/** True when any container of a cdk8s-plus workload or Pod has a liveness, readiness or startup probe. */
export function hasProbes(pods: unknown): boolean {
  if (!(pods instanceof plus.AbstractPod)) return false;
  // cdk8s-plus keeps probes private; read them from the rendered pod spec.
  const manifest = ApiObject.of(pods).toJson();
  const podSpec = manifest.spec?.template?.spec ?? manifest.spec ?? {};
  return (podSpec.containers ?? []).some((c: any) => c.livenessProbe || c.readinessProbe || c.startupProbe);
}
