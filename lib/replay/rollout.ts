import { lintManifests } from '../lint';
import { LintFinding, LintReport } from '../lint/types';
import { exitCodeOf, GateBlockerKind } from './gate';
import { mdText } from './markdown';
import { Write } from './write';
import { plural } from '../util/text';
import { ReplayRun } from './run';

export type BlockerKind = 'lint' | GateBlockerKind;

export interface Blocker {
  readonly kind: BlockerKind;
  readonly title: string;
  readonly details: readonly string[];
}

export interface RolloutAssessment {
  readonly ready: boolean;
  /** 0 ready, 1 blockers in the policies, 2 an input that cannot vouch for the answer. */
  readonly exitCode: 0 | 1 | 2;
  readonly blockers: readonly Blocker[];
  /** Worth knowing, not blocking: lint warnings, lost events, tolerated malformed lines. */
  readonly warnings: readonly string[];
  readonly lint: LintReport;
  readonly run: ReplayRun;
}

/**
 * Answers "ready to set policyAuditMode: false?": the replay gate (an export read to the end,
 * well-formed, from the expected cluster, with something evaluated; the model agreeing with
 * what Hubble observed; nothing dropped or undecided) plus error-level lint findings.
 */
export function assessRollout(run: ReplayRun): RolloutAssessment {
  const lint = lintManifests(run.manifests);
  const blockers: Blocker[] = [];
  const warnings: string[] = [];
  for (const f of lint.findings) {
    if (f.severity === 'error')
      blockers.push({ kind: 'lint', title: findingTitle(f), details: [`fix: ${f.fix}`] });
    else warnings.push(`lint ${f.rule}: ${findingTitle(f)}`);
  }
  for (const b of run.gate.blockers) blockers.push({ kind: b.kind, title: b.title, details: b.details });
  warnings.push(...run.gate.warnings);
  for (const w of run.engine.warnings) warnings.push(`engine: ${w}`);
  const exitCode = exitCodeOf(blockers.map((b) => b.kind));
  return { ready: blockers.length === 0, exitCode, blockers, warnings, lint, run };
}

function findingTitle(f: LintFinding): string {
  const where = f.file ? `${f.file}${f.line ? `:${f.line}` : ''}: ` : '';
  return `${where}${f.message}`;
}

function evidence(a: RolloutAssessment): string {
  const s = a.run.result.summary;
  return (
    `${plural(a.lint.summary.policies, 'policy')} in ${plural(a.lint.summary.files, 'file')} ` +
    `(lint: ${plural(a.lint.summary.errors, 'error')}, ${plural(a.lint.summary.warnings, 'warning')}); ` +
    `${a.run.result.input.name}: ${plural(s.lines, 'line')}${s.incomplete ? ' (read only up to there: the stream broke)' : ''}, ` +
    `${s.evaluated.toLocaleString('en-US')} evaluated in ${plural(s.groups, 'group')}, ` +
    `${s.skipped.toLocaleString('en-US')} skipped, ${s.malformed.toLocaleString('en-US')} malformed`
  );
}

export const BLOCKER_LABELS: Record<BlockerKind, string> = {
  lint: 'lint error',
  'incomplete-input': 'incomplete input',
  'lost-events': 'events lost while recording',
  'malformed-lines': 'malformed lines',
  'nothing-evaluated': 'nothing evaluated',
  'unexpected-cluster': 'unexpected cluster',
  disagreement: 'model and cluster disagree',
  'would-drop': 'would drop',
  undecided: 'undecided',
};

/** One sentence: why the answer is no. */
export function whyNot(kinds: readonly BlockerKind[]): string {
  const seen = [...new Set(kinds)];
  const input = seen.filter((k) => exitCodeOf([k]) === 2);
  const parts: string[] = [];
  if (input.length)
    parts.push(
      `the flow export cannot vouch for the answer (${input.map((k) => BLOCKER_LABELS[k]).join(', ')})`,
    );
  const rest = seen.filter((k) => exitCodeOf([k]) !== 2);
  if (rest.length)
    parts.push(`the policies are not ready (${rest.map((k) => BLOCKER_LABELS[k]).join(', ')})`);
  return parts.join('; and ');
}

export function renderRolloutText(a: RolloutAssessment, write: Write): void {
  write(
    a.ready
      ? 'Ready to set policyAuditMode: false: yes\n'
      : `Ready to set policyAuditMode: false: NO, ${plural(a.blockers.length, 'blocker')}: ${whyNot(a.blockers.map((b) => b.kind))} (exit ${a.exitCode})\n`,
  );
  if (a.blockers.length) {
    write('\nBlockers:\n');
    a.blockers.forEach((b, i) => {
      write(`  ${i + 1}. [${BLOCKER_LABELS[b.kind]}] ${b.title}\n`);
      for (const d of b.details) write(`     ${d}\n`);
    });
    if (a.blockers.some((b) => b.kind === 'would-drop'))
      write(
        '\n  `cilium-lockdown suggest` with the same --policies and --flows proposes the allows (and verifies them).\n',
      );
  }
  if (a.warnings.length) {
    write('\nNot blocking:\n');
    for (const w of a.warnings) write(`  - ${w}\n`);
  }
  write(`\nChecked: ${evidence(a)}\n`);
}

export function renderRolloutMarkdown(a: RolloutAssessment, write: Write): void {
  write(
    a.ready
      ? '### :white_check_mark: Ready to set `policyAuditMode: false`\n\n'
      : `### :x: Not ready to set \`policyAuditMode: false\`: ${plural(a.blockers.length, 'blocker')}\n\n**Why:** ${mdText(whyNot(a.blockers.map((b) => b.kind)))}.\n\n`,
  );
  if (a.blockers.length) {
    write('| # | Blocker | Details |\n|---|---|---|\n');
    a.blockers.forEach((b, i) =>
      write(
        `| ${i + 1} | **${BLOCKER_LABELS[b.kind]}**: ${mdText(b.title)} | ${b.details.map(mdText).join('<br>')} |\n`,
      ),
    );
    write('\n');
    if (a.blockers.some((b) => b.kind === 'would-drop'))
      write(
        'Run `cilium-lockdown suggest` with the same `--policies` and `--flows` for proposed (and verified) allows.\n\n',
      );
  }
  if (a.warnings.length) {
    write(
      `<details><summary>Not blocking (${a.warnings.length})</summary>\n\n${a.warnings.map((w) => `- ${mdText(w)}`).join('\n')}\n\n</details>\n\n`,
    );
  }
  write(`Checked: ${mdText(evidence(a))}\n`);
}

/** `rollout --format json`: `{ready, exitCode, why?, blockers: [{kind, title, details}], warnings, summary, lint}`. */
export function renderRolloutJson(a: RolloutAssessment, write: Write): void {
  const doc = {
    ready: a.ready,
    exitCode: a.exitCode,
    ...(a.ready ? {} : { why: whyNot(a.blockers.map((b) => b.kind)) }),
    blockers: a.blockers,
    warnings: a.warnings,
    input: a.run.result.input.name,
    summary: a.run.result.summary,
    ...(a.run.result.parts ? { parts: a.run.result.parts } : {}),
    lint: a.lint.summary,
  };
  write(`${JSON.stringify(doc, null, 2)}\n`);
}
