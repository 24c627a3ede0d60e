/**
 * The agent settings that change what policy decides (docs/cilium-semantics.md, "Enforcement modes"
 * and "Host, probes and allow-localhost"; Helm values and agent flags of the same names).
 */

/** How the agent enforces policy on endpoints (values.yaml `policyEnforcementMode`). */
export enum PolicyEnforcementMode {
  /** Endpoints are enforced once a policy selects them. */
  DEFAULT = 'default',
  /** Every endpoint is enforced, selected by a policy or not. */
  ALWAYS = 'always',
  /** No enforcement at all. */
  NEVER = 'never',
}

/** A `policyEnforcementMode` as written in values files and flags. */
export type PolicyEnforcementModeValue = `${PolicyEnforcementMode}`;
export const POLICY_ENFORCEMENT_MODES: readonly PolicyEnforcementModeValue[] =
  Object.values(PolicyEnforcementMode);

/** Agent `allow-localhost` (Kubernetes resolves `auto` to `always`). */
export const ALLOW_LOCALHOST_MODES = ['always', 'policy'] as const;
export type AllowLocalhostMode = (typeof ALLOW_LOCALHOST_MODES)[number];
