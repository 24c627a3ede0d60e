/**
 * `cdk8s-cilium-lockdown/tools`: the plain-TypeScript tools around the constructs (the offline
 * policy engine, the linter, connectivity matrices and diffs, manifest loading). Not part of
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
