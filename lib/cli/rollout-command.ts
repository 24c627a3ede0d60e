/**
 * `cilium-lockdown rollout`: answers "ready to set policyAuditMode: false?" by running the
 * linter (error-level findings block) and the Hubble replay gate (lib/replay/gate.ts: an
 * incomplete or malformed export, nothing evaluated, another cluster's flows, a disagreement with
 * what Hubble observed, flows that would be dropped or cannot be decided offline) over the same
 * policies. Markdown output is meant for a PR comment. Exit codes: 0 ready, 1 blockers in the
 * policies, 2 an input that cannot vouch for the answer (the report is still printed).
 */
import { Command, Option } from 'commander';
import { bufferedWriter } from '../replay/output';
import {
  assessRollout,
  renderRolloutJson,
  renderRolloutMarkdown,
  renderRolloutText,
} from '../replay/rollout';
import { runReplay } from '../replay/run';
import { addReplayInputOptions, ReplayInputFlags, replayInputOf } from './replay-flags';
import { runAction } from './common';

interface RolloutCommandFlags extends ReplayInputFlags {
  readonly format: 'text' | 'markdown' | 'json';
}

export function register(program: Command): void {
  const cmd = program
    .command('rollout')
    .description('lint + replay: is it safe to turn policy enforcement on (policyAuditMode: false)?');
  addReplayInputOptions(cmd, true)
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'),
    )
    .action((flags: RolloutCommandFlags) => runAction(() => rolloutCommand(flags)));
}

export async function rolloutCommand(flags: RolloutCommandFlags): Promise<number> {
  const assessment = assessRollout(await runReplay(replayInputOf(flags), { inputNames: 'flags' }));
  const out = bufferedWriter();
  if (flags.format === 'markdown') renderRolloutMarkdown(assessment, out.write);
  else if (flags.format === 'json') renderRolloutJson(assessment, out.write);
  else renderRolloutText(assessment, out.write);
  await out.end();
  return assessment.exitCode;
}
