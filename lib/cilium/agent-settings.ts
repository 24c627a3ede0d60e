/**
 * The agent settings that change what policy decides (docs/cilium-semantics.md, "Enforcement modes"
 * and "Host, probes and allow-localhost"; Helm values and agent flags of the same names).
 */

/** Helm `policyEnforcementMode`: `default` enforces on selected endpoints, `always` on all, `never` on none. */
export const POLICY_ENFORCEMENT_MODES = ['default', 'always', 'never'] as const;
export type PolicyEnforcementMode = (typeof POLICY_ENFORCEMENT_MODES)[number];

/** Agent `allow-localhost` (Kubernetes resolves `auto` to `always`). */
export const ALLOW_LOCALHOST_MODES = ['always', 'policy'] as const;
export type AllowLocalhostMode = (typeof ALLOW_LOCALHOST_MODES)[number];
