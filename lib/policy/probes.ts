import { hasProbes as workloadHasProbes } from '../manifest/workload';
import { isConstruct, synthesizedWorkload } from './synthesized';

/** True when the pods are a workload construct any of whose containers has a liveness, readiness or startup probe. */
export function hasProbes(pods: unknown): boolean {
  return isConstruct(pods) && workloadHasProbes(synthesizedWorkload(pods));
}
