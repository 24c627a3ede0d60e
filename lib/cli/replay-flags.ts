import { Command, InvalidArgumentError } from 'commander';
import { addEngineFlags, EngineFlags, engineOptionsOf } from './engine-flags';
import { defaultJobs } from '../replay/chunk-workers';
import { ReplaySourceInput } from '../replay/run';

const FLOWS_HELP =
  'Hubble flow export: `hubble observe -o json` / jsonpb output, exporter file or legacy JSON lines, optionally gzip; - for stdin';

/** The parsed input flags of `replay`, `rollout` and `suggest`. */
export interface ReplayInputFlags extends EngineFlags {
  readonly policies: string[];
  readonly flows?: string;
  readonly groups?: string[];
  readonly saveGroups?: string;
  readonly namespace?: string[];
  readonly since?: string;
  readonly until?: string;
  readonly maxMalformed?: number;
  readonly allowLostEvents?: boolean;
  readonly jobs?: number;
}

/** The library's typed input for the flags (`runReplay`, `suggest`). */
export function replayInputOf(flags: ReplayInputFlags): ReplaySourceInput {
  return {
    policies: flags.policies,
    ...(flags.flows !== undefined ? { flows: flags.flows } : {}),
    ...(flags.groups !== undefined ? { groups: flags.groups } : {}),
    ...(flags.saveGroups !== undefined ? { saveGroups: flags.saveGroups } : {}),
    ...(flags.namespace !== undefined ? { namespaces: flags.namespace } : {}),
    ...(flags.since !== undefined ? { since: flags.since } : {}),
    ...(flags.until !== undefined ? { until: flags.until } : {}),
    engine: engineOptionsOf(flags),
    ...(flags.maxMalformed !== undefined ? { maxMalformed: flags.maxMalformed } : {}),
    ...(flags.allowLostEvents !== undefined ? { allowLostEvents: flags.allowLostEvents } : {}),
    ...(flags.jobs !== undefined ? { jobs: flags.jobs } : {}),
  };
}

/**
 * The input options of `replay`, `rollout` and `suggest` (`ReplayInputFlags`); `--jobs` defaults
 * to one thread per core (`cores`, or those this process may use).
 */
export function addReplayInputOptions(cmd: Command, withGroups = false, cores?: number): Command {
  cmd.requiredOption(
    '--policies <paths...>',
    'policy manifests: files or directories (YAML/JSON, searched recursively)',
  );
  if (withGroups) {
    cmd
      .option('--flows <file>', `${FLOWS_HELP} (or --groups)`)
      .option(
        '--groups <files...>',
        'merge group files saved by `replay --save-groups` (one per node or slice of the export) instead of reading --flows',
      )
      .option(
        '--save-groups <file>',
        'also save the grouped result as a mergeable group file (gzip when the name ends in .gz)',
      );
  } else {
    cmd.requiredOption('--flows <file>', FLOWS_HELP);
  }
  cmd
    .option('--namespace <ns...>', 'only flows whose source or destination is in one of these namespaces')
    .option(
      '--since <time>',
      'only flows at or after: RFC 3339 time, or a duration before now (30m, 1h30m, 2d)',
    )
    .option('--until <time>', 'only flows at or before: RFC 3339 time, or a duration before now');
  // A replay predicts what enforcement would do: audit mode has no flag here.
  return addEngineFlags(cmd, { audit: false })
    .option(
      '--max-malformed <n>',
      'malformed lines the gate tolerates (default 0: any malformed line blocks)',
      parseCount,
    )
    .option(
      '--allow-lost-events',
      'do not block on lost_events lines (Hubble dropped events while recording)',
    )
    .option(
      '--jobs <n>',
      'threads that parse and evaluate the flows (the result is the same for any number; each adds its own engine and caches, about 50 MiB for the homelab)',
      parseJobs,
      defaultJobs(cores),
    );
}

function parseJobs(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1)
    throw new InvalidArgumentError(
      'expected a whole number of threads from 1 (default: the cores available)',
    );
  return Number(value);
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value.trim()))
    throw new InvalidArgumentError('expected a whole number of lines (0, 1, 2 ...)');
  return Number(value);
}
