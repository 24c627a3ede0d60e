/**
 * `cilium-lockdown rollout`: answers "ready to set policyAuditMode: false?" by running the
 * linter (error-level findings block) and the Hubble replay (flows that would be dropped or
 * cannot be decided offline block) over the same policies. Markdown output is meant for a PR
 * comment. Exit codes: 0 ready, 1 blockers, 2 unusable input.
 */
import { Command, Option } from 'commander';
import { bufferedWriter } from '../replay/output';
import { assessRollout, renderRolloutMarkdown, renderRolloutText } from '../replay/rollout';
import { addReplayInputOptions, ReplayFlags, runReplay } from '../replay/run';
import { EXIT_FINDINGS, EXIT_OK, runAction } from './common';

interface RolloutCommandFlags extends ReplayFlags {
  readonly format: 'text' | 'markdown';
}

export function register(program: Command): void {
  const cmd = program
    .command('rollout')
    .description('lint + replay: is it safe to turn policy enforcement on (policyAuditMode: false)?');
  addReplayInputOptions(cmd)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown']).default('text'))
    .action((flags: RolloutCommandFlags) => runAction(() => rolloutCommand(flags)));
}

export async function rolloutCommand(flags: RolloutCommandFlags): Promise<number> {
  const assessment = assessRollout(await runReplay(flags));
  const out = bufferedWriter();
  if (flags.format === 'markdown') renderRolloutMarkdown(assessment, out.write);
  else renderRolloutText(assessment, out.write);
  await out.end();
  return assessment.ready ? EXIT_OK : EXIT_FINDINGS;
}
