#!/usr/bin/env node
import { Command } from 'commander';
import { EXIT_BAD_INPUT } from './common';
import * as diffCommand from './diff-command';
import * as explainCommand from './explain-command';
import * as lintCommand from './lint-command';
import * as matrixCommand from './matrix-command';
import * as replayCommand from './replay-command';
import * as rolloutCommand from './rollout-command';
import * as suggestCommand from './suggest-command';
import { packageVersion } from './version';

/** Each command lives in its own file and exports `register(program)`. */
const COMMANDS: Array<{ register(program: Command): void }> = [
  diffCommand,
  explainCommand,
  lintCommand,
  matrixCommand,
  replayCommand,
  rolloutCommand,
  suggestCommand,
];

export function buildProgram(): Command {
  const program = new Command('cilium-lockdown')
    .description('Lint, explain and replay Cilium network policies offline (Cilium 1.20 semantics)')
    .version(packageVersion(), '-V, --version', 'print the version of cdk8s-cilium-lockdown')
    .showHelpAfterError()
    .exitOverride((err) => {
      if (err.exitCode === 0) process.exit(0);
      process.exit(EXIT_BAD_INPUT);
    });
  for (const command of COMMANDS) command.register(program);
  return program;
}

if (require.main === module) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((e) => {
      process.stderr.write(`cilium-lockdown: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(3);
    });
}
