import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pipeline } from 'stream/promises';
import { SourcedManifest } from '../manifest/types';
import { ReplayGroup } from '../replay/replay';
import { ReplayFlags, ReplayRun, runReplay } from '../replay/run';
import { planSuggestions, SuggestedPolicy, Unfixable } from './plan';
import { fileName, renderYaml, toManifest } from './render-yaml';
import { renderTypeScript } from './render-typescript';

export interface Verification {
  /** Replaying the same flows against the policies plus the suggestions drops nothing. */
  readonly verified: boolean;
  /** Groups still predicted DROPPED with the suggestions applied. */
  readonly remaining: readonly ReplayGroup[];
  /** Groups still UNDECIDED (not a failure, but not verified either). */
  readonly undecided: number;
}

export interface SuggestOutcome {
  readonly before: ReplayRun;
  readonly policies: readonly SuggestedPolicy[];
  readonly unfixable: readonly Unfixable[];
  readonly yaml: ReadonlyArray<{ readonly file: string; readonly text: string }>;
  readonly typescript: string;
  readonly verification: Verification;
}

/**
 * Replays the flows, proposes allows for what would be dropped, and proves them: a second
 * replay of the same flows against the policies plus the suggestions must drop nothing.
 * stdin is spooled to a temporary file so it can be read twice.
 */
export async function suggest(flags: ReplayFlags): Promise<SuggestOutcome> {
  // Both replays resolve relative --since/--until against the same instant.
  const now = Date.now();
  const spool = flags.flows === '-' ? await spoolStdin() : undefined;
  try {
    const input = spool ? { ...flags, flows: spool.file } : flags;
    const before = await runReplay(input, { now });
    const plan = planSuggestions(before.result.groups);
    const extra: SourcedManifest[] = plan.policies.map((p) => ({ manifest: toManifest(p), file: `<suggested>/${fileName(p)}` }));
    let verification: Verification;
    if (plan.policies.length === 0 && before.result.summary.wouldDrop === 0) {
      verification = { verified: true, remaining: [], undecided: before.result.summary.undecided };
    } else {
      const after = await runReplay(input, { extraManifests: extra, now });
      const remaining = after.result.groups.filter((g) => g.predicted.verdict === 'DROPPED');
      verification = { verified: remaining.length === 0, remaining, undecided: after.result.summary.undecided };
    }
    return {
      before: spool ? { ...before, result: { ...before.result, input: { ...before.result.input, name: '<stdin>' } } } : before,
      policies: plan.policies,
      unfixable: plan.unfixable,
      yaml: plan.policies.map((p) => ({ file: fileName(p), text: renderYaml(p) })),
      typescript: renderTypeScript(plan.policies),
      verification,
    };
  } finally {
    spool?.cleanup();
  }
}

async function spoolStdin(): Promise<{ file: string; cleanup: () => void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cilium-lockdown-'));
  const file = path.join(dir, 'stdin-flows');
  await pipeline(process.stdin, fs.createWriteStream(file));
  return { file, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Writes the YAML files into `dir` (created if needed); returns their paths. */
export function writeSuggestions(dir: string, outcome: SuggestOutcome): string[] {
  fs.mkdirSync(dir, { recursive: true });
  return outcome.yaml.map(({ file, text }) => {
    const target = path.join(dir, file);
    fs.writeFileSync(target, text);
    return target;
  });
}
