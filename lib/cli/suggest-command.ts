/**
 * `cilium-lockdown suggest`: for the observed flows that enforcement would drop, proposes
 * least-privilege allows (YAML CNP/CCNP per subject and peer, and TypeScript over this
 * library's constructs), then proves them by replaying the same flows against the policies
 * plus the suggestions. Nothing is applied: a person reviews the output.
 *
 * One change per subject (namespace + endpoint selector): when construct-metadata.json (cdk8s
 * `recordConstructMetadata`) is among --policies and the subject's policy came from an
 * IngressOnlyApp, FqdnEgress or CiliumPolicy, the change is an edit of that construct
 * (`additionalIngress`, `additionalEgress`, `addIngress()`...), else a new policy.
 * Never from a malformed line; file names are sanitized and kept inside --output-dir, which is
 * checked (exit 2) before any work.
 *
 * Exit codes: 0 verified (replay with the suggestions drops nothing), 1 not verified (some
 * drop cannot be fixed by an allow, e.g. an explicit deny rule), 2 unusable input or output
 * dir, or an export that cannot vouch for itself (cut off, malformed lines: the suggestions are still printed).
 *
 * `--format json`: {"summary": <replay summary>, "verified", "remaining": [<group title>],
 * "policies": [{"name", "namespace"?, "kind", "file", "change": "new|edit", "target"?: {"construct", "path", "edit"},
 *   "rules": [{"direction", "peer", "ports", "icmps", "groups"}], "groups", "notes", "manifest"}],
 * "typescript": "<module source>", "unfixable": [{"group", "title", "reason"}]}
 */
import { Command, Option } from 'commander';
import { bufferedWriter } from '../replay/output';
import { isInputBlocker } from '../replay/gate';
import { groupTitle } from '../replay/report';
import { plural } from '../util/text';
import { addReplayInputOptions, ReplayInputFlags, replayInputOf } from './replay-flags';
import { SuggestOutcome, suggest, writeSuggestions } from '../suggest/suggest';
import { parse } from 'yaml';
import { prepareOutputDir } from '../suggest/output-dir';
import { EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, runAction } from './common';
import { describeObject } from '../manifest/object-ref';

interface SuggestCommandFlags extends ReplayInputFlags {
  /** Required by the command (`--flows`). */
  readonly flows: string;
  readonly format: 'text' | 'json';
  readonly outputDir?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('suggest')
    .description(
      'propose (and verify by replay) the policy changes that allow the observed flows enforcement would drop',
    );
  addReplayInputOptions(cmd)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--output-dir <dir>', 'also write one YAML file per suggested policy into this directory')
    .action((flags: SuggestCommandFlags) => runAction(() => suggestCommand(flags)));
}

export async function suggestCommand(flags: SuggestCommandFlags): Promise<number> {
  // An unusable --output-dir is found before the replays, not after them.
  if (flags.outputDir) prepareOutputDir(flags.outputDir);
  const outcome = await suggest({ ...replayInputOf(flags), flows: flags.flows }, 'flags');
  const written = flags.outputDir ? writeSuggestions(flags.outputDir, outcome) : [];
  const out = bufferedWriter();
  if (flags.format === 'json') out.write(`${JSON.stringify(toJson(outcome), null, 2)}\n`);
  else renderText(outcome, written, out.write);
  await out.end();
  // An export that cannot vouch for itself (cut off, malformed lines ...) may hide more drops.
  if (outcome.before.gate.exitCode === 2) return EXIT_BAD_INPUT;
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
      kind: p.target
        ? p.target.policy.kind
        : p.subject.clusterwide
          ? 'CiliumClusterwideNetworkPolicy'
          : 'CiliumNetworkPolicy',
      file: o.yaml[i].file,
      change: p.target ? 'edit' : 'new',
      ...(p.target
        ? { target: { construct: p.target.construct, path: p.target.path, edit: p.target.edit } }
        : {}),
      rules: p.rules.map((r) => ({
        direction: r.direction,
        peer: r.peer,
        ports: r.ports,
        icmps: r.icmps,
        groups: r.groups,
      })),
      groups: p.groups,
      notes: p.notes,
      manifest: parse(o.yaml[i].text),
    })),
    typescript: o.typescript,
    unfixable: o.unfixable.map((u) => ({ group: u.group.id, title: groupTitle(u.group), reason: u.reason })),
  };
}

function renderText(o: SuggestOutcome, written: readonly string[], write: (t: string) => unknown): void {
  const s = o.before.result.summary;
  if (s.wouldDrop === 0) {
    write(
      `Nothing observed would be dropped once enforced (${plural(s.evaluated, 'flow')} evaluated): no change needed.\n`,
    );
  } else {
    const edits = o.policies.filter((p) => p.target).length;
    write(
      `${plural(s.wouldDrop, 'group')} of observed flows would be dropped once enforced; ` +
        `${plural(o.policies.length, 'change')} suggested, one per subject (${plural(edits, 'edit')} of existing constructs, ${plural(o.policies.length - edits, 'new policy')}). Review each one before applying.\n`,
    );
  }
  if (o.policies.length) {
    write('\n## YAML\n');
    o.policies.forEach((p, i) => {
      const what = p.target
        ? `the edited ${describeObject(p.target.policy)}, made by the ${p.target.construct} at ${p.target.path}; `
        : '';
      write(
        `\n# ${o.yaml[i].file} (${what}allows group${p.groups.length === 1 ? '' : 's'} ${p.groups.join(', ')})\n---\n${o.yaml[i].text}`,
      );
    });
    write('\n## TypeScript (cdk8s-cilium-lockdown)\n\n');
    write(o.typescript);
  }
  if (written.length) write(`\nwrote ${written.join(', ')}\n`);
  if (o.unfixable.length) {
    write('\nNot fixable by adding an allow:\n');
    for (const u of o.unfixable) write(`  group ${u.group.id} ${groupTitle(u.group)}: ${u.reason}\n`);
  }
  const gate = o.before.gate;
  if (gate.exitCode === 2) {
    write(
      '\nThe flow export cannot vouch for these suggestions (exit 2): drops may be hidden in what could not be read:\n',
    );
    for (const b of gate.blockers.filter((x) => isInputBlocker(x.kind))) write(`  [${b.kind}] ${b.title}\n`);
  }
  write('\n');
  const v = o.verification;
  if (v.verified && !o.unfixable.length) {
    write('verified: replay with these changes drops nothing');
    write(v.undecided ? ` (${plural(v.undecided, 'group')} still undecided offline: check by hand)\n` : '\n');
  } else {
    write(
      `NOT verified: with these changes the replay still drops ${plural(v.remaining.length, 'group')}:\n`,
    );
    for (const g of v.remaining) write(`  ${groupTitle(g)}\n`);
  }
}
