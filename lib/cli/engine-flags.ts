import { Command, Option } from 'commander';
import { PeerSyntaxError } from '../engine/peer-syntax';
import { EngineOptions } from '../engine/types';
import { MatrixPort } from '../matrix/model';
import { parsePortList } from '../matrix/ports';
import { UsageError } from './common';

/** The agent settings the offline evaluator takes, as parsed command-line flags. */
export interface EngineFlags {
  readonly audit?: boolean;
  readonly enforcement: 'default' | 'always' | 'never';
  readonly allowLocalhost: 'always' | 'policy';
  readonly clusterName: string;
  readonly cidrMatchNodes?: boolean;
}

/** Adds `--audit`, `--enforcement`, `--allow-localhost`, `--cluster-name` and `--cidr-match-nodes`. */
export function addEngineFlags(command: Command): Command {
  return command
    .option('--audit', 'policy audit mode (Helm policyAuditMode): drops are reported as AUDIT')
    .addOption(
      new Option('--enforcement <mode>', 'Helm policyEnforcementMode')
        .choices(['default', 'always', 'never'])
        .default('default'),
    )
    .addOption(
      new Option('--allow-localhost <mode>', 'agent allow-localhost')
        .choices(['always', 'policy'])
        .default('always'),
    )
    .option('--cluster-name <name>', 'Cilium cluster name (for the cluster entity)', 'default')
    .option('--cidr-match-nodes', 'Helm policyCIDRMatchMode includes nodes: CIDR rules also match node IPs');
}

export function engineOptionsOf(flags: EngineFlags): EngineOptions {
  return {
    policyEnforcementMode: flags.enforcement,
    allowLocalhost: flags.allowLocalhost,
    policyAuditMode: !!flags.audit,
    clusterName: flags.clusterName,
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
