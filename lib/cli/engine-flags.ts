import { Command, Option } from 'commander';
import {
  ALLOW_LOCALHOST_MODES,
  AllowLocalhostMode,
  POLICY_ENFORCEMENT_MODES,
  PolicyEnforcementModeValue,
} from '../cilium/agent-settings';
import { DEFAULT_ENGINE_OPTIONS } from '../engine/engine';
import { PeerSyntaxError } from '../engine/peer-syntax';
import { EngineOptions } from '../engine/types';
import { MatrixPort } from '../matrix/model';
import { parsePortList } from '../matrix/ports';
import { UsageError } from './common';

/**
 * The agent settings the offline evaluator takes, as parsed command-line flags. Unset flags take
 * the engine's defaults (`replay`, `rollout` and `suggest` take the cluster name from the flows).
 */
export interface EngineFlags {
  readonly audit?: boolean;
  readonly enforcement?: PolicyEnforcementModeValue;
  readonly allowLocalhost?: AllowLocalhostMode;
  readonly clusterName?: string;
  readonly cidrMatchNodes?: boolean;
}

const DEFAULTS = DEFAULT_ENGINE_OPTIONS;

/**
 * Adds `--enforcement`, `--allow-localhost`, `--cluster-name`, `--cidr-match-nodes` and, where the
 * command reports what audit mode would do, `--audit`: one definition, help text and default for
 * every command that evaluates policy.
 */
export function addEngineFlags(command: Command, options: { readonly audit: boolean }): Command {
  if (options.audit)
    command.option('--audit', 'policy audit mode (Helm policyAuditMode): drops are reported as AUDIT');
  return command
    .addOption(
      new Option(
        '--enforcement <mode>',
        `Helm policyEnforcementMode (default: ${DEFAULTS.policyEnforcementMode})`,
      ).choices(POLICY_ENFORCEMENT_MODES),
    )
    .addOption(
      new Option(
        '--allow-localhost <mode>',
        `agent allow-localhost; Kubernetes resolves auto to always (default: ${DEFAULTS.allowLocalhost})`,
      ).choices(ALLOW_LOCALHOST_MODES),
    )
    .option(
      '--cluster-name <name>',
      `Cilium cluster name, for the \`cluster\` entity and local-cluster peer scoping (default: ${DEFAULTS.clusterName}; replay, rollout and suggest take it from the flows' io.cilium.k8s.policy.cluster label)`,
    )
    .option('--cidr-match-nodes', 'Helm policyCIDRMatchMode includes nodes: CIDR rules also match node IPs');
}

/** The engine options the flags set; the engine fills in the rest. */
export function engineOptionsOf(flags: EngineFlags): EngineOptions {
  return {
    ...(flags.enforcement ? { policyEnforcementMode: flags.enforcement } : {}),
    ...(flags.allowLocalhost ? { allowLocalhost: flags.allowLocalhost } : {}),
    policyAuditMode: !!flags.audit,
    ...(flags.clusterName !== undefined ? { clusterName: flags.clusterName } : {}),
    cidrMatchNodes: !!flags.cidrMatchNodes,
  };
}

/** `--ports` of `matrix` and `diff`: the ports to evaluate for every destination. */
export function portsFlag(text: string | undefined): MatrixPort[] | undefined {
  if (text === undefined) return undefined;
  try {
    return parsePortList(text);
  } catch (e) {
    if (e instanceof PeerSyntaxError) throw new UsageError(`--ports: ${e.message}`);
    throw e;
  }
}
