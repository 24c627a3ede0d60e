import {
  edgeClass,
  fqdnExampleSummary,
  optionSummary,
  pairRows,
  policySummary,
  portSourceSummary,
} from './edges';
import { ConnectivityMatrix } from './model';

/** The `text` (aligned columns) and `markdown` formats: one row per (source, destination). */

interface Row {
  readonly from: string;
  readonly to: string;
  readonly allowed: string;
  readonly audit: string;
  readonly denied: string;
  readonly undecided: string;
  readonly note: string;
}

export interface MatrixTable {
  readonly header: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
  readonly footnotes: readonly string[];
}

/** The pair table shared by the text, markdown and HTML formats. */
export function matrixTable(m: ConnectivityMatrix): MatrixTable {
  const footnotes: string[] = [];
  const noteIndex = new Map<string, number>();
  const rows: Row[] = pairRows(m).map((pair) => {
    const ports = (cls: string) =>
      pair.cells
        .filter((c) => {
          const k = edgeClass(c);
          return k === cls || (cls === 'allowed' && k === 'open');
        })
        .map((c) => c.port.text)
        .join(' ');
    const undecided = pair.cells
      .filter((c) => c.verdict === 'UNDECIDED')
      .map((c) => {
        const reason = c.reason ?? 'unknown';
        let n = noteIndex.get(reason);
        if (n === undefined) {
          n = footnotes.length + 1;
          noteIndex.set(reason, n);
          footnotes.push(reason);
        }
        return `${c.port.text} [${n}]`;
      })
      .join(' ');
    const none = pair.cells.every((c) => !c.policyInvolved);
    return {
      from: pair.from,
      to: pair.to,
      allowed: ports('allowed'),
      audit: ports('audit'),
      denied: ports('denied'),
      undecided,
      note: none ? 'no policy applies' : '',
    };
  });
  const withAudit = rows.some((r) => r.audit !== '');
  const header = ['FROM', 'TO', 'ALLOWED', ...(withAudit ? ['AUDIT'] : []), 'DENIED', 'UNDECIDED', 'NOTE'];
  return {
    header,
    rows: rows.map((r) => [
      r.from,
      r.to,
      r.allowed,
      ...(withAudit ? [r.audit] : []),
      r.denied,
      r.undecided,
      r.note,
    ]),
    footnotes,
  };
}

function headerLines(m: ConnectivityMatrix): string[] {
  const count = (kind: string) => m.nodes.filter((n) => n.kind === kind).length;
  const lines = [
    `Connectivity matrix: ${policySummary(m)}; ${count('workload')} workloads, ${count('entity')} entities, ${count('cidr')} CIDRs, ${count('fqdn')} FQDNs`,
    `Options: ${optionSummary(m)}; ${portSourceSummary(m)}`,
  ];
  const fqdn = fqdnExampleSummary(m);
  if (fqdn) lines.push(fqdn);
  return lines;
}

function warningLines(m: ConnectivityMatrix): string[] {
  return m.warnings.length === 0
    ? []
    : [`Warnings (${m.warnings.length}):`, ...m.warnings.map((w) => `  ${w}`)];
}

export function renderText(m: ConnectivityMatrix): string {
  const t = matrixTable(m);
  const widths = t.header.map((h, i) => Math.max(h.length, ...t.rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const out = [...headerLines(m), ''];
  if (t.rows.length === 0)
    out.push('No flows to evaluate: no workloads or no ports (give --workloads, or --ports).');
  else out.push(line(t.header), ...t.rows.map(line));
  if (t.footnotes.length > 0) out.push('', 'Undecided:', ...t.footnotes.map((f, i) => `  [${i + 1}] ${f}`));
  const w = warningLines(m);
  if (w.length > 0) out.push('', ...w);
  return `${out.join('\n')}\n`;
}

function md(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\*/g, '\\*').replace(/_/g, '\\_');
}

export function renderMarkdown(m: ConnectivityMatrix): string {
  const t = matrixTable(m);
  const [title, ...rest] = headerLines(m);
  const out = [`# ${md(title)}`, '', ...rest.map((l) => `${md(l)}  `), ''];
  if (t.rows.length === 0) {
    out.push('No flows to evaluate: no workloads or no ports (give `--workloads`, or `--ports`).');
  } else {
    out.push(`| ${t.header.join(' | ')} |`, `|${t.header.map(() => ' --- ').join('|')}|`);
    for (const r of t.rows)
      out.push(`| ${r.map((c, i) => (c === '' ? '' : i < 2 ? `\`${c}\`` : md(c))).join(' | ')} |`);
  }
  if (t.footnotes.length > 0)
    out.push('', '## Undecided', '', ...t.footnotes.map((f, i) => `${i + 1}. ${md(f)}`));
  if (m.warnings.length > 0) out.push('', '## Warnings', '', ...m.warnings.map((w) => `- ${md(w)}`));
  return `${out.join('\n')}\n`;
}
