import { lintManifests } from '../lint';
import { LintFinding, LintReport } from '../lint/types';
import { SKIP_LOST_EVENTS } from '../hubble/parse-line';
import { Write } from './output';
import { ReplayRun } from './run';
import { decidingRules, groupTitle, plural, undecidedReasons } from './report';

export type BlockerKind = 'lint' | 'would-drop' | 'undecided' | 'no-flows';

export interface Blocker {
  readonly kind: BlockerKind;
  readonly title: string;
  readonly details: readonly string[];
}

export interface RolloutAssessment {
  readonly ready: boolean;
  readonly blockers: readonly Blocker[];
  /** Worth knowing, not blocking: lint warnings, lost events, malformed lines. */
  readonly warnings: readonly string[];
  readonly lint: LintReport;
  readonly run: ReplayRun;
}

/**
 * Answers "ready to set policyAuditMode: false?": error-level lint findings, flows that would
 * be dropped, flows the engine cannot decide offline, and an export with no policy-relevant
 * flows all block; lint warnings, lost events and malformed lines are reported beside them.
 */
export function assessRollout(run: ReplayRun): RolloutAssessment {
  const lint = lintManifests(run.manifests);
  const blockers: Blocker[] = [];
  const warnings: string[] = [];
  for (const f of lint.findings) {
    if (f.severity === 'error') blockers.push({ kind: 'lint', title: findingTitle(f), details: [`fix: ${f.fix}`] });
    else warnings.push(`lint ${f.rule}: ${findingTitle(f)}`);
  }
  const { summary, groups } = run.result;
  if (summary.evaluated === 0) {
    blockers.push({
      kind: 'no-flows',
      title: 'the flow export holds no policy-relevant flows, so nothing shows the policies are complete',
      details: ['capture traffic in audit mode first, e.g. `hubble observe --since 24h -o json > flows.json` (or the Hubble exporter)'],
    });
  }
  for (const g of groups) {
    if (g.predicted.verdict === 'DROPPED') {
      blockers.push({ kind: 'would-drop', title: `${groupTitle(g)} would be dropped (${plural(g.connections, 'connection')})`, details: decidingRules(g.predicted) });
    } else if (g.predicted.verdict === 'UNDECIDED') {
      blockers.push({ kind: 'undecided', title: `${groupTitle(g)} cannot be decided offline (${plural(g.connections, 'connection')})`, details: undecidedReasons(g.predicted) });
    }
  }
  const lost = summary.skippedByReason[SKIP_LOST_EVENTS];
  if (lost) warnings.push(`${plural(lost, 'lost_events line')}: Hubble dropped events, so some flows may be missing from the export`);
  if (summary.malformed) warnings.push(`${plural(summary.malformed, 'malformed line')} ignored (first: line ${summary.malformedLines[0]?.line})`);
  for (const w of run.engine.warnings) warnings.push(`engine: ${w}`);
  return { ready: blockers.length === 0, blockers, warnings, lint, run };
}

function findingTitle(f: LintFinding): string {
  const where = f.file ? `${f.file}${f.line ? `:${f.line}` : ''}: ` : '';
  return `${where}${f.message}`;
}

function evidence(a: RolloutAssessment): string {
  const s = a.run.result.summary;
  return `${plural(a.lint.summary.policies, 'policy')} in ${plural(a.lint.summary.files, 'file')} `
    + `(lint: ${plural(a.lint.summary.errors, 'error')}, ${plural(a.lint.summary.warnings, 'warning')}); `
    + `${a.run.result.input.name}: ${plural(s.lines, 'line')}, ${s.evaluated.toLocaleString('en-US')} evaluated in ${plural(s.groups, 'group')}, `
    + `${s.skipped.toLocaleString('en-US')} skipped, ${s.malformed.toLocaleString('en-US')} malformed`;
}

const LABELS: Record<BlockerKind, string> = { 'lint': 'lint error', 'would-drop': 'would drop', 'undecided': 'undecided', 'no-flows': 'no flows' };

export function renderRolloutText(a: RolloutAssessment, write: Write): void {
  write(a.ready
    ? 'Ready to set policyAuditMode: false: yes\n'
    : `Ready to set policyAuditMode: false: NO, ${plural(a.blockers.length, 'blocker')}\n`);
  if (a.blockers.length) {
    write('\nBlockers:\n');
    a.blockers.forEach((b, i) => {
      write(`  ${i + 1}. [${LABELS[b.kind]}] ${b.title}\n`);
      for (const d of b.details) write(`     ${d}\n`);
    });
    if (a.blockers.some((b) => b.kind === 'would-drop')) write('\n  `cilium-lockdown suggest` with the same --policies and --flows proposes the allows (and verifies them).\n');
  }
  if (a.warnings.length) {
    write('\nNot blocking:\n');
    for (const w of a.warnings) write(`  - ${w}\n`);
  }
  write(`\nChecked: ${evidence(a)}\n`);
}

function md(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderRolloutMarkdown(a: RolloutAssessment, write: Write): void {
  write(a.ready
    ? '### :white_check_mark: Ready to set `policyAuditMode: false`\n\n'
    : `### :x: Not ready to set \`policyAuditMode: false\`: ${plural(a.blockers.length, 'blocker')}\n\n`);
  if (a.blockers.length) {
    write('| # | Blocker | Details |\n|---|---|---|\n');
    a.blockers.forEach((b, i) => write(`| ${i + 1} | **${LABELS[b.kind]}**: ${md(b.title)} | ${md(b.details.join('<br>'))} |\n`));
    write('\n');
    if (a.blockers.some((b) => b.kind === 'would-drop')) write('Run `cilium-lockdown suggest` with the same `--policies` and `--flows` for proposed (and verified) allows.\n\n');
  }
  if (a.warnings.length) {
    write(`<details><summary>Not blocking (${a.warnings.length})</summary>\n\n${a.warnings.map((w) => `- ${md(w)}`).join('\n')}\n\n</details>\n\n`);
  }
  write(`Checked: ${md(evidence(a))}\n`);
}
