/**
 * `cdk8s-cilium-lockdown/tools`: the plain-TypeScript tools around the constructs (the offline
 * policy engine, the linter, connectivity matrices and diffs, manifest loading, the replay of
 * Hubble exports and its rollout gate). Not part of the jsii assembly, so not available from Python.
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
export type { ReplayInput, ReplaySourceInput, ReplayRun } from '../replay/run';
export { assessRollout } from '../replay/rollout';
export type { Blocker, BlockerKind, RolloutAssessment } from '../replay/rollout';
export type { Gate, GateBlocker, GateBlockerKind } from '../replay/gate';
export type { ReplayResult, ReplayGroup, ReplaySummary, GroupPeer } from '../replay/result';
export type { GroupFile, GroupJson } from '../replay/group-file';
export { ReplayInputError } from '../replay/replay-input-error';
export { FlowInputError } from '../hubble/input-error';
