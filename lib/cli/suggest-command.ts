/**
 * `cilium-lockdown suggest`: for the observed flows that enforcement would drop, proposes
 * least-privilege allows (YAML CNP/CCNP per subject and peer, and TypeScript over this
 * library's constructs), then proves them by replaying the same flows against the policies
 * plus the suggestions. Nothing is applied: a person reviews the output.
 *
 * Exit codes: 0 verified (replay with the suggestions drops nothing), 1 not verified (some
 * drop cannot be fixed by an allow, e.g. an explicit deny rule), 2 unusable input.
 *
 * `--format json`: {"summary": <replay summary>, "verified", "remaining": [<group title>],
 * "policies": [{"name", "namespace"?, "kind", "file", "direction", "groups", "notes", "manifest"}],
 * "typescript": "<module source>", "unfixable": [{"group", "title", "reason"}]}
 */
import { Command, Option } from 'commander';
import { bufferedWriter } from '../replay/output';
import { groupTitle, plural } from '../replay/report';
import { addReplayInputOptions, ReplayFlags } from '../replay/run';
import { SuggestOutcome, suggest, writeSuggestions } from '../suggest/suggest';
import { toManifest } from '../suggest/render-yaml';
import { EXIT_FINDINGS, EXIT_OK, runAction } from './common';

interface SuggestCommandFlags extends ReplayFlags {
  readonly format: 'text' | 'json';
  readonly outputDir?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('suggest')
    .description('propose (and verify by replay) the policy changes that allow the observed flows enforcement would drop');
  addReplayInputOptions(cmd)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--output-dir <dir>', 'also write one YAML file per suggested policy into this directory')
    .action((flags: SuggestCommandFlags) => runAction(() => suggestCommand(flags)));
}

export async function suggestCommand(flags: SuggestCommandFlags): Promise<number> {
  const outcome = await suggest(flags);
  const written = flags.outputDir ? writeSuggestions(flags.outputDir, outcome) : [];
  const out = bufferedWriter();
  if (flags.format === 'json') out.write(`${JSON.stringify(toJson(outcome), null, 2)}\n`);
  else renderText(outcome, written, out.write);
  await out.end();
  return outcome.verification.verified && outcome.unfixable.length === 0 ? EXIT_OK : EXIT_FINDINGS;
}

function toJson(o: SuggestOutcome) {
  return {
    summary: o.before.result.summary,
    verified: o.verification.verified && o.unfixable.length === 0,
    remaining: o.verification.remaining.map(groupTitle),
    policies: o.policies.map((p, i) => ({
      name: p.name,
      ...(p.subject.namespace !== undefined ? { namespace: p.subject.namespace } : {}),
      kind: p.subject.clusterwide ? 'CiliumClusterwideNetworkPolicy' : 'CiliumNetworkPolicy',
      file: o.yaml[i].file,
      direction: p.direction,
      groups: p.groups,
      notes: p.notes,
      manifest: toManifest(p),
    })),
    typescript: o.typescript,
    unfixable: o.unfixable.map((u) => ({ group: u.group.id, title: groupTitle(u.group), reason: u.reason })),
  };
}

function renderText(o: SuggestOutcome, written: readonly string[], write: (t: string) => unknown): void {
  const s = o.before.result.summary;
  if (s.wouldDrop === 0) {
    write(`Nothing observed would be dropped once enforced (${plural(s.evaluated, 'flow')} evaluated): no change needed.\n`);
  } else {
    write(`${plural(s.wouldDrop, 'group')} of observed flows would be dropped once enforced; `
      + `${plural(o.policies.length, 'policy')} suggested. Review each one before applying.\n`);
  }
  if (o.policies.length) {
    write('\n## YAML\n');
    o.policies.forEach((p, i) => {
      write(`\n# ${o.yaml[i].file} (allows group${p.groups.length === 1 ? '' : 's'} ${p.groups.join(', ')})\n---\n${o.yaml[i].text}`);
    });
    write('\n## TypeScript (cdk8s-cilium-lockdown)\n\n');
    write(o.typescript);
  }
  if (written.length) write(`\nwrote ${written.join(', ')}\n`);
  if (o.unfixable.length) {
    write('\nNot fixable by adding an allow:\n');
    for (const u of o.unfixable) write(`  group ${u.group.id} ${groupTitle(u.group)}: ${u.reason}\n`);
  }
  write('\n');
  const v = o.verification;
  if (v.verified && !o.unfixable.length) {
    write('verified: replay with these changes drops nothing');
    write(v.undecided ? ` (${plural(v.undecided, 'group')} still undecided offline: check by hand)\n` : '\n');
  } else {
    write(`NOT verified: with these changes the replay still drops ${plural(v.remaining.length, 'group')}:\n`);
    for (const g of v.remaining) write(`  ${groupTitle(g)}\n`);
  }
}
