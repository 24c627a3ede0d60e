import { mdCode, mdText } from './markdown';
import { ConnectivityDiff, FlowChangeKind, FLOW_CHANGE_KINDS } from './model';
import {
  countsLine,
  describePolicy,
  dropCausesOf,
  fqdnLine,
  policiesLine,
  portNote,
  reasonsOf,
  rulesLine,
  rulesOf,
  scopeLine,
  SECTION_TITLES,
  SectionRow,
  sectionRows,
  verdictText,
  workloadsLine,
} from './summary';

export interface DiffMarkdownOptions {
  /** Rows per table before the rest is summarised (a PR comment has a size limit). @default 100 */
  readonly maxRows?: number;
}

const COLUMNS: Readonly<Record<FlowChangeKind, readonly string[]>> = {
  allowed: ['From', 'To', 'Ports', 'Allowed by'],
  denied: ['From', 'To', 'Ports', 'Denied by', 'Was allowed by'],
  undecided: ['From', 'To', 'Ports', 'Why'],
  rules: ['From', 'To', 'Ports', 'Verdict', 'Rules before', 'Rules after'],
};

function ruleCell(rules: readonly string[], none: string): string {
  return rules.length === 0 ? none : rules.map(mdText).join('<br>');
}

function cells(kind: FlowChangeKind, r: SectionRow): string[] {
  const ends = [mdCode(r.from), mdCode(r.to), r.flows.map((f) => mdText(portNote(f))).join(', ')];
  switch (kind) {
    case 'allowed':
      return [...ends, ruleCell(rulesOf(r.flows, 'head'), 'no policy applies now')];
    case 'denied': {
      const causes = dropCausesOf(r.flows).map(mdText).join('; ');
      return [
        ...ends,
        `${causes ? `${causes}: ` : ''}${ruleCell(rulesOf(r.flows, 'head'), '')}`,
        ruleCell(rulesOf(r.flows, 'base'), 'no policy applied'),
      ];
    }
    case 'undecided':
      return [...ends, reasonsOf(r.flows).map(mdText).join('<br>')];
    default:
      return [
        ...ends,
        [...new Set(r.flows.map((f) => verdictText(f.head)))].map(mdText).join(', '),
        ruleCell(rulesOf(r.flows, 'base'), 'none'),
        ruleCell(rulesOf(r.flows, 'head'), 'none'),
      ];
  }
}

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => ' --- ').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

function more(shown: number, total: number, what: string): string[] {
  return total > shown
    ? ['', `_… and ${total - shown} more ${what}: run \`cilium-lockdown diff\` for the full list._`]
    : [];
}

/**
 * The `markdown` format, for a pull request comment: the counts first, then one table per kind of
 * change (a row per source and destination), the policy changes, and the warnings folded away.
 */
export function renderDiffMarkdown(d: ConnectivityDiff, options: DiffMarkdownOptions = {}): string {
  const maxRows = options.maxRows ?? 100;
  const out = [`### Connectivity diff: ${mdText(countsLine(d))}`, '', ...summaryLines(d)];
  for (const kind of FLOW_CHANGE_KINDS) out.push(...flowSection(d, kind, maxRows));
  out.push(...policySection(d, maxRows));
  for (const side of ['base', 'head'] as const) out.push(...warningSection(d, side, maxRows));
  return `${out.join('\n')}\n`;
}

/** The counts table (or the policy line when nothing changed), then the rule, workload, scope and FQDN notes. */
function summaryLines(d: ConnectivityDiff): string[] {
  const c = d.counts;
  const out: string[] = [];
  if (d.changed) {
    const n = (k: string) => d.policies.filter((p) => p.change === k).length;
    out.push(
      `| Newly allowed | Newly denied | Now undecided | Policies added | removed | changed |`,
      `| --- | --- | --- | --- | --- | --- |`,
      `| **${c.allowed}** | **${c.denied}** | **${c.undecided}** | ${n('added')} | ${n('removed')} | ${n('changed')} |`,
      '',
    );
  } else {
    out.push(`${mdText(policiesLine(d))}.`, '');
  }
  for (const line of [rulesLine(d), workloadsLine(d)]) if (line) out.push(`${mdText(line)}.  `);
  out.push(`<sub>${mdText(scopeLine(d))}</sub>`);
  const fqdn = fqdnLine(d);
  if (fqdn) out.push('', `<sub>${mdText(fqdn)}</sub>`);
  return out;
}

function flowSection(d: ConnectivityDiff, kind: FlowChangeKind, maxRows: number): string[] {
  const rows = sectionRows(d, kind);
  if (rows.length === 0) return [];
  const flows = rows.reduce((k, r) => k + r.flows.length, 0);
  return [
    '',
    `#### ${SECTION_TITLES[kind]} (${flows})`,
    '',
    ...table(
      COLUMNS[kind],
      rows.slice(0, maxRows).map((r) => cells(kind, r)),
    ),
    ...more(Math.min(maxRows, rows.length), rows.length, 'source/destination pairs'),
  ];
}

function policySection(d: ConnectivityDiff, maxRows: number): string[] {
  if (d.policies.length === 0) return [];
  const rows = d.policies
    .slice(0, maxRows)
    .map((p) => [
      p.change,
      mdCode(describePolicy(p)),
      mdText((p.change === 'removed' ? p.base : p.head) ?? ''),
      p.fields ? `${p.fields.map(mdCode).join(', ')}${p.moreFields ? ` +${p.moreFields} more` : ''}` : '',
    ]);
  return [
    '',
    `#### Policies (${d.policies.length})`,
    '',
    ...table(['Change', 'Policy', 'Where', 'Fields'], rows),
    ...more(rows.length, d.policies.length, 'policies'),
  ];
}

function warningSection(d: ConnectivityDiff, side: 'base' | 'head', maxRows: number): string[] {
  const w = d.warnings[side];
  if (w.length === 0) return [];
  return [
    '',
    `<details><summary>Warnings (${side}, ${w.length})</summary>`,
    '',
    ...w.slice(0, maxRows).map((x) => `- ${mdText(x)}`),
    ...more(Math.min(maxRows, w.length), w.length, 'warnings'),
    '',
    '</details>',
  ];
}
