import { availableCores } from '../../lib/replay/cores';
import { Command } from 'commander';
import { buildProgram } from '../../lib/cli/main';
import { addReplayInputOptions, replayInputOf, ReplayInputFlags } from '../../lib/cli/replay-flags';
import { defaultJobs } from '../../lib/replay/chunk-workers';

/** `--jobs` of replay, rollout and suggest: one thread per core unless given. */
function jobsOf(args: string[], cores?: number): number | undefined {
  const cmd = addReplayInputOptions(new Command('replay'), true, cores)
    .exitOverride()
    .configureOutput({ writeErr: () => undefined });
  cmd.parse(['--policies', 'p.yaml', '--flows', 'f.jsonl', ...args], { from: 'user' });
  return replayInputOf(cmd.opts<ReplayInputFlags>()).jobs;
}

describe('--jobs', () => {
  test('defaults to the cores given, at least one thread', () => {
    expect(jobsOf([], 6)).toBe(6);
    expect(jobsOf([], 2)).toBe(2);
    expect(jobsOf([], 1)).toBe(1);
    expect(jobsOf([], 0)).toBe(1);
    expect(defaultJobs(3.5)).toBe(3);
  });

  test('without a count given, the cores this process may use (within its CPU quota)', () => {
    expect(defaultJobs()).toBe(availableCores());
    expect(jobsOf([])).toBe(defaultJobs());
  });

  test('a number given wins over the default; 0 and fractions are refused', () => {
    expect(jobsOf(['--jobs', '1'], 8)).toBe(1);
    expect(jobsOf(['--jobs', '3'], 1)).toBe(3);
    expect(() => jobsOf(['--jobs', '0'], 2)).toThrow(/whole number of threads from 1/);
    expect(() => jobsOf(['--jobs', '1.5'], 2)).toThrow(/whole number of threads from 1/);
  });

  test('replay, rollout and suggest share the default', () => {
    const program = buildProgram();
    const defaults = ['replay', 'rollout', 'suggest'].map(
      (name) =>
        program.commands.find((c) => c.name() === name)!.options.find((o) => o.long === '--jobs')
          ?.defaultValue,
    );
    expect(defaults).toEqual([defaultJobs(), defaultJobs(), defaultJobs()]);
  });
});
