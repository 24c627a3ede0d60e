/**
 * `cilium-lockdown diff`: what a change to the manifests does to connectivity. Both sides are
 * evaluated like `matrix` over the same nodes (the workloads of either side, the entities, CIDRs
 * and DNS names either side's policies name) and the same ports per destination; the report lists
 * per source and destination the flows newly allowed, newly denied, now undecided and (with
 * --all) those whose deciding rules changed, plus the policies added, removed and changed.
 *
 * Exit codes: 0 connectivity unchanged (policies may still differ), 1 changed, 2 unusable input:
 * unreadable or invalid YAML (file:line), a malformed workload, a head policy the evaluator
 * cannot read, a policy defined twice with different content on one side.
 *
 * JSON output (`--format json`), documented in the README:
 * {
 *   "changed": bool,
 *   "summary": { "allowed", "denied", "undecided", "rules", "rulesListed",
 *                "policies": { "base", "head", "added", "removed", "changed" },
 *                "nodes": { "workloads", "entities", "cidrs", "fqdns" }, "flows", "options", "fqdnExamples" },
 *   "pairs": [{ "from", "to", "flows": [{ "port", "protocol", "icmpType"?, "change": "allowed|denied|undecided|rules",
 *               "base": { "verdict", "egress", "ingress", "policyInvolved", "rules", "reason"? }, "head": { ... } }] }],
 *   "policies": [{ "change": "added|removed|changed", "kind", "namespace", "name", "base", "head", "fields"?, "moreFields"? }],
 *   "workloads": { "added": [ids], "removed": [ids] },
 *   "warnings": { "base": [...], "head": [...] }
 * }
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { diffConnectivity } from '../diff/compute';
import { DiffInputError } from '../diff/errors';
import { renderDiffJson } from '../diff/render-json';
import { renderDiffMarkdown } from '../diff/render-markdown';
import { renderDiffText } from '../diff/render-text';
import { writeFileAtomic } from '../manifest/write-atomic';
import { loadManifests } from '../manifest/load';
import { WorkloadError } from '../matrix/workloads';
import { EXIT_FINDINGS, EXIT_OK, printOut, runAction, UsageError } from './common';
import { addEngineFlags, EngineFlags, engineOptionsOf, portsFlag } from './engine-flags';

export const DIFF_FORMATS = ['text', 'markdown', 'json'] as const;

export interface DiffCommandOptions extends EngineFlags {
  readonly base: string[];
  readonly head: string[];
  readonly workloads?: string[];
  readonly ports?: string;
  readonly format: (typeof DIFF_FORMATS)[number];
  readonly all?: boolean;
  readonly maxRows?: number;
  readonly output?: string;
}

/** Runs `diff`: the rendered report and the exit code. Exported for tests. */
export function renderDiff(opts: DiffCommandOptions): { text: string; code: number } {
  const ports = portsFlag(opts.ports);
  const base = loadManifests(opts.base);
  const head = loadManifests(opts.head);
  const workloads = opts.workloads && opts.workloads.length > 0 ? loadManifests(opts.workloads) : [];
  let diff;
  try {
    diff = diffConnectivity(
      { base, head, workloads },
      { engine: engineOptionsOf(opts), includeRuleChanges: !!opts.all, ...(ports ? { ports } : {}) },
    );
  } catch (e) {
    if (e instanceof WorkloadError || e instanceof DiffInputError) throw new UsageError(e.message);
    throw e;
  }
  const text =
    opts.format === 'json'
      ? renderDiffJson(diff)
      : opts.format === 'markdown'
        ? renderDiffMarkdown(diff, opts.maxRows !== undefined ? { maxRows: opts.maxRows } : {})
        : renderDiffText(diff);
  return { text, code: diff.changed ? EXIT_FINDINGS : EXIT_OK };
}

export async function runDiff(
  opts: DiffCommandOptions,
  out: (text: string) => void = printOut,
): Promise<number> {
  const { text, code } = renderDiff(opts);
  if (opts.output) {
    try {
      writeFileAtomic(opts.output, text);
    } catch (e) {
      throw new UsageError(
        `--output ${opts.output}: cannot write: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
      );
    }
  } else {
    out(text);
  }
  return code;
}

function positiveInt(value: string): number {
  if (!/^[1-9][0-9]*$/.test(value)) throw new InvalidArgumentError('expected a whole number of at least 1');
  return Number(value);
}

export function register(program: Command): void {
  const command = program
    .command('diff')
    .description(
      'What a change does to connectivity: flows newly allowed and denied between workloads, entities and DNS names, and the policies changed',
    )
    .requiredOption(
      '--base <paths...>',
      "manifests before the change (files or directories, e.g. the base branch's dist/)",
    )
    .requiredOption('--head <paths...>', 'manifests after the change')
    .option('--workloads <paths...>', 'further manifests with workloads, the same on both sides')
    .option('--ports <list>', 'evaluate these ports for every destination, e.g. 80/TCP,5432/TCP,53/UDP,icmp')
    .addOption(new Option('--format <format>', 'output format').choices([...DIFF_FORMATS]).default('text'))
    .option('--all', 'also list flows whose verdict stayed but whose deciding rules changed')
    .option(
      '--max-rows <n>',
      'markdown: rows per table before the rest is summarised (default 100)',
      positiveInt,
    );
  addEngineFlags(command, { audit: true })
    .option('--output <file>', 'write to this file instead of stdout')
    .action(async (opts: DiffCommandOptions) => runAction(() => runDiff(opts)));
}
