import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { ReplayInputError } from './replay-input-error';
import { PolicyEngine } from '../engine/engine';
import { EngineOptions } from '../engine/types';
import { openFlowInput } from '../hubble/line-reader';
import { expandManifestPaths, loadManifests } from '../manifest/load';
import { writeFileAtomic } from '../manifest/write-atomic';
import { isCiliumPolicy, KubeManifest, SourcedManifest } from '../manifest/types';
import { progressBar } from './progress';
import { replayFlows } from './replay';
import { ReplayResult } from './result';
import { ReplayEngine } from './replay-engine';
import { parseTimeBound } from './time-window';
import { assessGate, Gate } from './gate';
import { GroupFile, groupFileText, toGroupFile } from './group-file';
import { mergeGroupFiles } from './merge-groups';
import { readGroupFile } from './read-group-file';
import { describeObject } from '../manifest/object-ref';
import { ReplayScope, replayScope } from './replay-scope';

/** What `runReplay` and `suggest` replay, and against which policies (the CLI builds it from its input). */
export interface ReplayInput {
  /** Policy manifests: files or directories (YAML/JSON, searched recursively). */
  readonly policies: string[];
  /** The Hubble flow export (file, or `-` for stdin). */
  readonly flows: string;
  /** Only flows whose source or destination is in one of these namespaces. */
  readonly namespaces?: string[];
  /** Only flows at or after: a `Date`, an RFC 3339 time, or a duration before now (`30m`, `1h30m`, `2d`). */
  readonly since?: string | Date;
  /** Only flows at or before: a `Date`, an RFC 3339 time, or a duration before now. */
  readonly until?: string | Date;
  /**
   * The agent's settings (enforcement mode, allow-localhost, cluster name, CIDR match mode). A
   * replay predicts enforcement: audit mode is always off. Without a cluster name, the flows' own
   * `io.cilium.k8s.policy.cluster` label gives it.
   */
  readonly engine?: EngineOptions;
  /** Malformed lines the gate tolerates. @default 0 */
  readonly maxMalformed?: number;
  /** Accept `lost_events` lines instead of blocking on them. @default false */
  readonly allowLostEvents?: boolean;
  /**
   * Threads that parse and evaluate the flows (the result is the same for any number; the CLI's
   * `--jobs` defaults to `defaultJobs()`, one per core). @default 1
   */
  readonly jobs?: number;
}

/** `replay`/`rollout`: the flows, or group files saved by earlier runs (README, "Replay across nodes"). */
export type ReplaySourceInput = Omit<ReplayInput, 'flows'> & {
  readonly flows?: string;
  /** Group files to merge instead of reading flows. */
  readonly groups?: string[];
  /** Where to save the run's group file. */
  readonly saveGroups?: string;
};

/** Engine options for the prediction: always with enforcement on, only the settings given. */
export function engineOptions(input: Omit<ReplayInput, 'flows'>): EngineOptions {
  const e = input.engine ?? {};
  return {
    policyAuditMode: false,
    ...(e.policyEnforcementMode ? { policyEnforcementMode: e.policyEnforcementMode } : {}),
    ...(e.allowLocalhost ? { allowLocalhost: e.allowLocalhost } : {}),
    ...(e.clusterName ? { clusterName: e.clusterName } : {}),
    ...(e.cidrMatchNodes ? { cidrMatchNodes: true } : {}),
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

/** How `runReplay` is run (besides the input). */
export interface RunOptions {
  readonly perFlow?: boolean;
  readonly extraManifests?: readonly SourcedManifest[];
  /** Replaces loaded manifests (suggest's construct edits). */
  readonly editManifest?: (m: SourcedManifest) => SourcedManifest;
  readonly now?: number;
  readonly undecidedBlocks?: boolean;
  /** Lines per chunk handed to a thread (see `ReplayOptions.chunkLines`). */
  readonly chunkLines?: number;
  /** Evaluated lines before worker threads may start (see `ReplayOptions.workerProbeLines`). */
  readonly workerProbeLines?: number;
  /**
   * How errors name the input's fields: as this function's options (`since`), or as the
   * command line's flags (`--since`). @default 'options'
   */
  readonly inputNames?: InputNames;
}

/** See `RunOptions.inputNames`. */
export type InputNames = 'options' | 'flags';

const FLAGS = {
  flows: '--flows',
  groups: '--groups',
  namespaces: '--namespace',
  since: '--since',
  until: '--until',
  perFlow: '--per-flow',
  saveGroups: '--save-groups',
} as const;

/** The name of an input field in errors: the option, or the flag that sets it. */
function nameOf(field: keyof typeof FLAGS, names: InputNames): string {
  return names === 'flags' ? FLAGS[field] : field;
}

/** Loads policies, replays the flows against them, and checks the input was usable at all. */
export async function runReplay(input: ReplaySourceInput, options: RunOptions = {}): Promise<ReplayRun> {
  const now = options.now ?? Date.now();
  const names = options.inputNames ?? 'options';
  const name = (field: keyof typeof FLAGS) => nameOf(field, names);
  const since = timeBound(name('since'), input.since, now);
  const until = timeBound(name('until'), input.until, now);
  if (since !== undefined && until !== undefined && since > until)
    throw new ReplayInputError(`${name('since')} is after ${name('until')}: no flow can match`);
  const source = checkSource(input, !!options.perFlow, names);
  if (input.saveGroups) assertWritable(input.saveGroups, names);
  const loaded = loadManifests(policyFiles(input.policies));
  const manifests = [
    ...(options.editManifest ? loaded.map(options.editManifest) : loaded),
    ...(options.extraManifests ?? []),
  ];
  const scope = replayScope(manifests, engineOptions(input), { namespaces: input.namespaces, since, until });
  const { result, engine } = source.groups
    ? mergeSource(source.groups, manifests, input, scope)
    : await replaySource(source.flows, manifests, input, { ...options, since, until });
  if (input.saveGroups) saveGroupFile(input.saveGroups, toGroupFile(result.state, scope), names);
  assertUsable(result);
  const policies = manifests.filter((m) => isCiliumPolicy(m.manifest));
  const gate = assessGate(result, {
    maxMalformed: input.maxMalformed,
    allowLostEvents: input.allowLostEvents,
    expectedCluster: input.engine?.clusterName,
    undecidedBlocks: options.undecidedBlocks,
    knownPolicies: new Set(policies.map((m) => policyName(m.manifest))),
  });
  return { manifests, policies: policies.length, engine: engine.get(), result, gate };
}

/** Epoch milliseconds of a `since`/`until` bound, given as text (as on the command line) or as a `Date`. */
function timeBound(name: string, value: string | Date | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return parseTimeBound(name, value, now);
  const t = value instanceof Date ? value.getTime() : NaN;
  if (Number.isNaN(t))
    throw new ReplayInputError(`${name}: expected a valid Date or text, got ${describeBound(value)}`);
  return t;
}

function describeBound(value: unknown): string {
  return value instanceof Date ? 'an invalid Date' : `${typeof value} ${JSON.stringify(value)}`;
}

/** `Kind ns/name`, as Hubble names a policy. */
function policyName(m: KubeManifest): string {
  return describeObject({ kind: m.kind, namespace: m.metadata?.namespace, name: m.metadata?.name ?? '' });
}

function mergeSource(
  groups: readonly string[],
  manifests: readonly SourcedManifest[],
  input: ReplaySourceInput,
  scope: ReplayScope,
): { result: ReplayResult; engine: ReplayEngine } {
  const result = mergeGroupFiles(
    groups.map((p) => ({ path: p, file: readGroupFile(p) })),
    scope,
  );
  return {
    result,
    engine: new ReplayEngine(manifests, engineOptions(input), result.state.engineClusterName),
  };
}

async function replaySource(
  flows: string,
  manifests: readonly SourcedManifest[],
  source: ReplaySourceInput,
  options: RunOptions & { since?: number; until?: number },
): Promise<{ result: ReplayResult; engine: ReplayEngine }> {
  const engine = new ReplayEngine(manifests, engineOptions(source));
  const input = await openFlowInput(flows);
  const progress = progressBar(input);
  try {
    const result = await replayFlows(input, engine, {
      namespaces: source.namespaces,
      since: options.since,
      until: options.until,
      perFlow: options.perFlow,
      onProgress: progress?.onProgress,
      recordConnections: !!source.saveGroups,
      jobs: source.jobs,
      chunkLines: options.chunkLines,
      workerProbeLines: options.workerProbeLines,
    });
    return { result, engine };
  } finally {
    progress?.done();
  }
}

/** The `--policies` files, without the construct-metadata.json cdk8s may write beside the manifests. */
export function policyFiles(paths: readonly string[]): string[] {
  return expandManifestPaths(paths).filter((f) => path.basename(f) !== 'construct-metadata.json');
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
      `${result.input.name}:${first?.line ?? 1}: not a Hubble flow export: ${first?.reason ?? 'no flow lines'}; ` +
        'expected one JSON object per line from `hubble observe -o json` (or jsonpb), the Hubble exporter, or legacy flow JSON',
    );
  }
}

/** Exactly one of flows and groups; a merge takes no filters (they applied when each part was saved). */
function checkSource(
  input: ReplaySourceInput,
  perFlow: boolean,
  names: InputNames,
): { flows: string; groups?: undefined } | { groups: string[]; flows?: undefined } {
  const name = (field: keyof typeof FLAGS) => nameOf(field, names);
  const flags = names === 'flags';
  if (input.groups?.length) {
    if (input.flows !== undefined)
      throw new ReplayInputError(
        `${name('flows')} and ${name('groups')}: give one (the flows, or the group files saved from them)`,
      );
    const filters = [
      input.namespaces?.length && name('namespaces'),
      input.since !== undefined && name('since'),
      input.until !== undefined && name('until'),
      perFlow && name('perFlow'),
    ].filter(Boolean);
    if (filters.length)
      throw new ReplayInputError(
        `${filters.join(', ')} with ${name('groups')}: filters apply when each part is saved (${flags ? 'replay --flows ... --save-groups' : 'runReplay with flows and saveGroups'}), the merge cannot apply them`,
      );
    return { groups: input.groups };
  }
  if (input.flows === undefined)
    throw new ReplayInputError(
      flags
        ? 'no flows: give --flows <file> (or - for stdin), or --groups with group files saved by `replay --save-groups`'
        : 'no flows: give flows (a file, or - for stdin), or groups (group files saved with saveGroups)',
    );
  return { flows: input.flows };
}

/** Refuses an unwritable group file to save before any work is done. */
function assertWritable(file: string, names: InputNames): void {
  const dir = path.dirname(path.resolve(file));
  try {
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new Error('is a directory');
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (e) {
    throw new ReplayInputError(
      `${nameOf('saveGroups', names)} ${file}: cannot write there (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give a file in a writable directory`,
    );
  }
}

function saveGroupFile(file: string, doc: GroupFile, names: InputNames): void {
  const text = groupFileText(doc);
  try {
    writeFileAtomic(file, file.endsWith('.gz') ? zlib.gzipSync(text) : text);
  } catch (e) {
    throw new ReplayInputError(
      `${nameOf('saveGroups', names)} ${file}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
}
