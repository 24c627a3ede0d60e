import * as path from 'path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ReplayInputError } from './replay-input-error';
import { PolicyEngine } from '../engine/engine';
import { EngineOptions, Flow, FlowResult } from '../engine/types';
import { openFlowInput } from '../hubble/line-reader';
import { expandManifestPaths, loadManifests } from '../manifest/load';
import { isCiliumPolicy, SourcedManifest } from '../manifest/types';
import { progressBar } from './progress';
import { FlowEvaluator, replayFlows, ReplayResult } from './replay';
import { parseTimeBound } from './time-window';
import { CLUSTER_KEY } from '../cilium/labels';
import { assessGate, Gate } from './gate';

/** The flags shared by `replay`, `suggest` and `rollout`. */
export interface ReplayFlags {
  readonly policies: string[];
  readonly flows: string;
  readonly namespace?: string[];
  readonly since?: string;
  readonly until?: string;
  readonly enforcement?: EngineOptions['policyEnforcementMode'];
  readonly allowLocalhost?: EngineOptions['allowLocalhost'];
  readonly clusterName?: string;
  readonly cidrMatchNodes?: boolean;
  /** Malformed lines the gate tolerates. @default 0 */
  readonly maxMalformed?: number;
}

export function addReplayInputOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--policies <paths...>', 'policy manifests: files or directories (YAML/JSON, searched recursively)')
    .requiredOption('--flows <file>', 'Hubble flow export: `hubble observe -o json` / jsonpb output, exporter file or legacy JSON lines, optionally gzip; - for stdin')
    .option('--namespace <ns...>', 'only flows whose source or destination is in one of these namespaces')
    .option('--since <time>', 'only flows at or after: RFC 3339 time, or a duration before now (30m, 1h30m, 2d)')
    .option('--until <time>', 'only flows at or before: RFC 3339 time, or a duration before now')
    .addOption(new Option('--enforcement <mode>', 'Helm policyEnforcementMode').choices(['default', 'always', 'never']))
    .addOption(new Option('--allow-localhost <mode>', 'agent allow-localhost (Kubernetes resolves auto to always)').choices(['always', 'policy']))
    .option('--cluster-name <name>', 'cluster name, for the `cluster` entity and local-cluster peer scoping (default: taken from the flows\' io.cilium.k8s.policy.cluster label, else default)')
    .option('--cidr-match-nodes', 'policyCIDRMatchMode contains nodes: CIDR rules also match node IPs')
    .option('--max-malformed <n>', 'malformed lines the gate tolerates (default 0: any malformed line blocks)', parseCount);
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('expected a whole number of lines (0, 1, 2 ...)');
  return Number(value);
}

/** Engine options for the prediction: always with enforcement on. */
export function engineOptions(flags: ReplayFlags): EngineOptions {
  return {
    policyAuditMode: false,
    ...(flags.enforcement ? { policyEnforcementMode: flags.enforcement } : {}),
    ...(flags.allowLocalhost ? { allowLocalhost: flags.allowLocalhost } : {}),
    ...(flags.clusterName ? { clusterName: flags.clusterName } : {}),
    ...(flags.cidrMatchNodes ? { cidrMatchNodes: true } : {}),
  };
}

export interface ReplayRun {
  readonly manifests: SourcedManifest[];
  readonly policies: number;
  readonly engine: PolicyEngine;
  readonly result: ReplayResult;
  /** The gate over this replay (flows undecided offline block unless the caller says otherwise). */
  readonly gate: Gate;
}

/** Loads policies, replays the flows against them, and checks the input was usable at all. */
export async function runReplay(
  flags: ReplayFlags,
  options: {
    perFlow?: boolean;
    extraManifests?: readonly SourcedManifest[];
    /** Replaces loaded manifests (suggest's construct edits). */
    editManifest?: (m: SourcedManifest) => SourcedManifest;
    now?: number;
    undecidedBlocks?: boolean;
  } = {},
): Promise<ReplayRun> {
  const now = options.now ?? Date.now();
  const since = flags.since !== undefined ? parseTimeBound('--since', flags.since, now) : undefined;
  const until = flags.until !== undefined ? parseTimeBound('--until', flags.until, now) : undefined;
  if (since !== undefined && until !== undefined && since > until) throw new ReplayInputError('--since is after --until: no flow can match');
  const loaded = loadManifests(policyFiles(flags.policies));
  const manifests = [...(options.editManifest ? loaded.map(options.editManifest) : loaded), ...(options.extraManifests ?? [])];
  const engine = new ClusterNamedEngine(manifests, engineOptions(flags));
  const input = await openFlowInput(flags.flows);
  const progress = progressBar(input);
  let result: ReplayResult;
  try {
    result = await replayFlows(input, engine, {
      namespaces: flags.namespace, since, until, perFlow: options.perFlow, onProgress: progress?.onProgress,
    });
  } finally {
    progress?.done();
  }
  assertUsable(result);
  const policies = manifests.filter((m) => isCiliumPolicy(m.manifest));
  const knownPolicies = new Set(policies.map((m) => `${m.manifest.kind} ${m.manifest.metadata?.namespace ? `${m.manifest.metadata.namespace}/` : ''}${m.manifest.metadata?.name ?? ''}`));
  const gate = assessGate(result, {
    maxMalformed: flags.maxMalformed, expectedCluster: flags.clusterName, undecidedBlocks: options.undecidedBlocks, knownPolicies,
  });
  return { manifests, policies: policies.length, engine: engine.get(), result, gate };
}

const CLUSTER_LABEL = `k8s:${CLUSTER_KEY}=`;

/** The `--policies` files, without the construct-metadata.json cdk8s may write beside the manifests. */
export function policyFiles(paths: readonly string[]): string[] {
  return expandManifestPaths(paths).filter((f) => path.basename(f) !== 'construct-metadata.json');
}

/**
 * Builds the engine on the first flow: unless `--cluster-name` was given, the cluster name is
 * taken from the flows' own `io.cilium.k8s.policy.cluster` label, so peer selectors (which Cilium
 * scopes to the local cluster) match in clusters not named `default`.
 */
class ClusterNamedEngine implements FlowEvaluator {
  private engine?: PolicyEngine;

  constructor(private readonly manifests: readonly SourcedManifest[], private readonly options: EngineOptions) {}

  evaluate(flow: Flow): FlowResult {
    if (!this.engine) {
      const label = [...flow.source.labels, ...flow.destination.labels].find((l) => l.startsWith(CLUSTER_LABEL));
      const clusterName = this.options.clusterName ?? label?.slice(CLUSTER_LABEL.length);
      this.engine = PolicyEngine.fromManifests(this.manifests, clusterName ? { ...this.options, clusterName } : this.options);
    }
    return this.engine.evaluate(flow);
  }

  get(): PolicyEngine {
    this.engine ??= PolicyEngine.fromManifests(this.manifests, this.options);
    return this.engine;
  }
}

/** Exit code 2 for an export with nothing that looks like Hubble JSON. */
function assertUsable(result: ReplayResult): void {
  const s = result.summary;
  if (s.lines === 0 || (s.lines === (s.skippedByReason['blank line'] ?? 0) && s.malformed === 0)) {
    throw new ReplayInputError(`${result.input.name}: no flows (empty input)`);
  }
  if (s.evaluated + s.skipped - (s.skippedByReason['blank line'] ?? 0) === 0) {
    const first = s.malformedLines[0];
    throw new ReplayInputError(
      `${result.input.name}:${first?.line ?? 1}: not a Hubble flow export: ${first?.reason ?? 'no flow lines'}; `
      + 'expected one JSON object per line from `hubble observe -o json` (or jsonpb), the Hubble exporter, or legacy flow JSON',
    );
  }
}
