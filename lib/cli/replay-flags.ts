import { availableParallelism } from 'os';
import { Command, InvalidArgumentError } from 'commander';
import { addEngineFlags } from './engine-flags';

const FLOWS_HELP =
  'Hubble flow export: `hubble observe -o json` / jsonpb output, exporter file or legacy JSON lines, optionally gzip; - for stdin';

/** The input options of `replay`, `rollout` and `suggest`; their values are the library's `ReplayFlags`/`ReplaySourceFlags`. */
export function addReplayInputOptions(cmd: Command, withGroups = false): Command {
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
      'threads that parse and evaluate the flows (the result is the same for any number)',
      parseJobs,
      availableParallelism(),
    );
}

function parseJobs(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1)
    throw new InvalidArgumentError(
      'expected a whole number of threads from 1 (default: the number of cores)',
    );
  return Number(value);
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value.trim()))
    throw new InvalidArgumentError('expected a whole number of lines (0, 1, 2 ...)');
  return Number(value);
}
