import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pipeline } from 'stream/promises';
import { SourcedManifest } from '../manifest/types';
import { ReplayGroup } from '../replay/result';
import { InputNames, ReplayInput, ReplayRun, runReplay } from '../replay/run';
import { expandManifestPaths } from '../manifest/load';
import { constructMetadataFiles, ConstructTargets, readConstructMetadata } from './targets';
import { planSuggestions, SuggestedPolicy, Unfixable } from './plan';
import { editedManifest, fileName, renderYaml, toManifest } from './render-yaml';
import { renderTypeScript } from './render-typescript';
import { writeFilesInto } from './output-dir';

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
export async function suggest(request: ReplayInput, inputNames?: InputNames): Promise<SuggestOutcome> {
  // Both replays resolve relative since/until times against the same instant.
  const now = Date.now();
  const spool = request.flows === '-' ? await spoolStdin() : undefined;
  try {
    const input = spool ? { ...request, flows: spool.file } : request;
    const before = await runReplay(input, { now, inputNames });
    const metadata = readConstructMetadata(constructMetadataFiles(expandManifestPaths(request.policies)));
    const targets = metadata.size ? new ConstructTargets(before.manifests, metadata) : undefined;
    const plan = planSuggestions(before.result.groups, targets);
    const added = plan.policies.filter((p) => !p.target);
    const extra: SourcedManifest[] = added.map((p) => ({
      manifest: toManifest(p),
      file: `<suggested>/${fileName(p)}`,
    }));
    const edits = new Map(plan.policies.filter((p) => p.target).map((p) => [refKey(p.target!.policy), p]));
    const editManifest = (m: SourcedManifest): SourcedManifest => {
      const edit = edits.get(
        refKey({
          kind: m.manifest.kind,
          namespace: m.manifest.metadata?.namespace,
          name: m.manifest.metadata?.name ?? '',
        }),
      );
      return edit ? { ...m, manifest: editedManifest(m.manifest, edit) } : m;
    };
    let verification: Verification;
    if (plan.policies.length === 0 && before.result.summary.wouldDrop === 0) {
      verification = { verified: true, remaining: [], undecided: before.result.summary.undecided };
    } else {
      const after = await runReplay(input, { extraManifests: extra, editManifest, now, inputNames });
      const remaining = after.result.groups.filter((g) => g.predicted.verdict === 'DROPPED');
      verification = {
        verified: remaining.length === 0,
        remaining,
        undecided: after.result.summary.undecided,
      };
    }
    return {
      before: spool
        ? { ...before, result: { ...before.result, input: { ...before.result.input, name: '<stdin>' } } }
        : before,
      policies: plan.policies,
      unfixable: plan.unfixable,
      yaml: plan.policies.map((p) => ({
        file: fileName(p),
        text: renderYaml(p, p.target ? editedManifest(original(before, p.target.policy), p) : toManifest(p)),
      })),
      typescript: renderTypeScript(plan.policies),
      verification,
    };
  } finally {
    spool?.cleanup();
  }
}

function refKey(r: { kind?: string; namespace?: string; name: string }): string {
  return `${r.kind}|${r.namespace ?? ''}|${r.name}`;
}

function original(run: ReplayRun, ref: { kind?: string; namespace?: string; name: string }) {
  return run.manifests.find(
    (m) =>
      refKey({
        kind: m.manifest.kind,
        namespace: m.manifest.metadata?.namespace,
        name: m.manifest.metadata?.name ?? '',
      }) === refKey(ref),
  )!.manifest;
}

async function spoolStdin(): Promise<{ file: string; cleanup: () => void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cilium-lockdown-'));
  const file = path.join(dir, 'stdin-flows');
  await pipeline(process.stdin, fs.createWriteStream(file));
  return { file, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Writes the YAML files into `dir` (created if needed); returns their paths. */
export function writeSuggestions(dir: string, outcome: SuggestOutcome): string[] {
  return writeFilesInto(dir, outcome.yaml);
}
