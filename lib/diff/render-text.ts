import { ConnectivityDiff, FLOW_CHANGE_KINDS } from './model';
import {
  countsLine,
  describePolicy,
  dropCause,
  fqdnLine,
  policiesLine,
  rulesLine,
  scopeLine,
  SECTION_TITLES,
  sectionRows,
  verdictText,
  workloadsLine,
} from './summary';

/** The `text` format: counts, then one line per changed flow, grouped by source and destination. */
export function renderDiffText(d: ConnectivityDiff): string {
  const out = [`Connectivity diff: ${countsLine(d)}`, policiesLine(d)];
  for (const line of [rulesLine(d), workloadsLine(d)]) if (line) out.push(line);
  out.push(scopeLine(d));
  const fqdn = fqdnLine(d);
  if (fqdn) out.push(fqdn);
  for (const kind of FLOW_CHANGE_KINDS) {
    const rows = sectionRows(d, kind);
    if (rows.length === 0) continue;
    const flows = rows.reduce((n, r) => n + r.flows.length, 0);
    out.push('', `${SECTION_TITLES[kind]} (${flows}):`);
    for (const r of rows) {
      out.push(`  ${r.from} -> ${r.to}`);
      for (const f of r.flows) {
        const why =
          kind === 'undecided'
            ? `: ${f.head.reason ?? 'unknown'}`
            : kind === 'rules'
              ? `: ${f.base.rules.join(', ') || 'no rule'} -> ${f.head.rules.join(', ') || 'no rule'}`
              : kind === 'denied'
                ? `  by ${[dropCause(f.head), f.head.rules.join(', ')].filter((x) => x).join(': ')}`
                : f.head.rules.length > 0
                  ? `  by ${f.head.rules.join(', ')}`
                  : '';
        out.push(`    ${f.port.text}: ${verdictText(f.base)} -> ${verdictText(f.head)}${why}`);
      }
    }
  }
  if (d.policies.length > 0) {
    out.push('', 'Policies:');
    for (const p of d.policies) {
      const where = p.change === 'removed' ? p.base : p.head;
      const fields = p.fields
        ? `: ${p.fields.join(', ')}${p.moreFields ? ` +${p.moreFields} more` : ''}`
        : '';
      out.push(`  ${p.change.padEnd(7)} ${describePolicy(p)} (${where})${fields}`);
    }
  }
  for (const side of ['base', 'head'] as const) {
    const w = d.warnings[side];
    if (w.length > 0) out.push('', `Warnings (${side}, ${w.length}):`, ...w.map((x) => `  ${x}`));
  }
  return `${out.join('\n')}\n`;
}
