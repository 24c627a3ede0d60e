import { Command, Option } from 'commander';
import { ALL_RULES, lintManifests, renderFindingsJson, renderFindingsText } from '../lint';
import { parsePrefixOrAddress } from '../cilium/cidr';
import { loadManifestInputs } from '../manifest/load';
import { EXIT_FINDINGS, EXIT_OK, printOut, runAction, UsageError } from './common';

interface LintCommandOptions {
  readonly format: 'text' | 'json';
  readonly ignore?: string;
  readonly clusterCidr?: string;
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Runs the linter over files/directories and prints the report; returns the exit code. */
export function runLint(paths: readonly string[], options: LintCommandOptions): number {
  const ignoreRules = splitList(options.ignore);
  const known = new Set(ALL_RULES.map((r) => r.id));
  const unknown = ignoreRules.filter((id) => !known.has(id));
  if (unknown.length > 0)
    throw new UsageError(
      `--ignore: unknown rule ${unknown.join(', ')} (see docs/lint-rules.md for the rule IDs)`,
    );
  const clusterCidrs = options.clusterCidr === undefined ? undefined : splitList(options.clusterCidr);
  for (const c of clusterCidrs ?? []) {
    if (!parsePrefixOrAddress(c))
      throw new UsageError(`--cluster-cidr: "${c}" is not a CIDR (e.g. 10.42.0.0/16,10.43.0.0/16)`);
  }
  const loaded = loadManifestInputs(paths);
  const report = lintManifests(loaded.manifests, { ignoreRules, clusterCidrs, skipped: loaded.skipped });
  printOut(options.format === 'json' ? renderFindingsJson(report) : renderFindingsText(report));
  if (report.summary.policies === 0)
    process.stderr.write(
      'cilium-lockdown: no CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy found in the input\n',
    );
  return report.summary.errors > 0 ? EXIT_FINDINGS : EXIT_OK;
}

export function register(program: Command): void {
  program
    .command('lint')
    .description(
      'Check Cilium policies (any YAML: multi-document files, List kinds, Helm output) against Cilium 1.20 semantics. Exit 1 on an error-level finding, 2 on unusable input.',
    )
    .argument(
      '<paths...>',
      'manifest files or directories (searched recursively for .yaml, .yml, .json; files that are not Kubernetes manifests are skipped and counted)',
    )
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--ignore <rule-ids>', 'comma-separated rule IDs not to report')
    .option(
      '--cluster-cidr <cidrs>',
      'comma-separated pod/Service/node CIDRs of the cluster, for cidr-for-in-cluster-peer (replaces the defaults)',
    )
    .action((paths: string[], options: LintCommandOptions) => runAction(() => runLint(paths, options)));
}
