/**
 * `cdk8s-cilium-lockdown/tools`: the plain-TypeScript tools around the constructs (the offline
 * policy engine, the linter, connectivity matrices and diffs, manifest loading, replay, the rollout
 * assessment and suggest). Not part of
 * the jsii assembly, so not available from Python.
 */
export * from '../manifest/types';
export * from '../manifest/load';
export * from '../engine';
export * from '../lint';
export * from '../diff';
export * from '../matrix';
export { PolicyPropError } from '../policy/errors';
export { checkCiliumValues } from '../helm/check-values';
export type { ValuesProblem } from '../helm/values-problem';
export { runReplay } from '../replay/run';
export type { ReplayInput, ReplayRun, ReplaySourceInput, RunOptions } from '../replay/run';
export { assessRollout } from '../replay/rollout';
export type { Blocker, BlockerKind, RolloutAssessment } from '../replay/rollout';
export { suggest } from '../suggest/suggest';
export type { SuggestOutcome } from '../suggest/suggest';
