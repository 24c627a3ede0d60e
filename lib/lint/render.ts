import { LintFinding, LintReport } from './types';
import { byKey } from '../util/order';
import { plural } from '../util/text';

/** `file:line: severity rule: message` plus an indented fix per finding, then a summary line. */
export function renderFindingsText(report: LintReport): string {
  const lines: string[] = [];
  for (const f of report.findings) {
    const where = f.file ? `${f.file}${f.line ? `:${f.line}` : ''}` : '<input>';
    lines.push(`${where}: ${f.severity} ${f.rule}: ${f.message}`);
    lines.push(`    fix: ${f.fix}`);
  }
  const s = report.summary;
  const skipped = s.skipped > 0 ? `; skipped ${s.skipped} (${skipReasons(report)})` : '';
  lines.push(
    `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')} in ${plural(s.policies, 'policy')} (${plural(s.files, 'file')}${skipped})`,
  );
  return `${lines.join('\n')}\n`;
}

/** `3 not a Kubernetes object, 1 Helm/Go template`: the reasons without their details, by count. */
function skipReasons(report: LintReport): string {
  const counts = new Map<string, number>();
  for (const k of report.skipped) {
    const reason = k.reason
      .replace(/ \(.*$/, '')
      .replace(/ to .*$/, '')
      .replace(/;.*$/, '');
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort(byKey)
    .map(([r, n]) => `${n} ${r}`)
    .join(', ');
}

function jsonFinding(f: LintFinding): Record<string, unknown> {
  return {
    rule: f.rule,
    severity: f.severity,
    file: f.file ?? null,
    line: f.line ?? null,
    kind: f.kind,
    namespace: f.namespace ?? null,
    name: f.name,
    path: f.path,
    message: f.message,
    fix: f.fix,
  };
}

/** `{"findings": [...], "summary": {...}}` with a fixed key order. */
export function renderFindingsJson(report: LintReport): string {
  const s = report.summary;
  const skipped = report.skipped.map((k) => ({ file: k.file, line: k.line ?? null, reason: k.reason }));
  return `${JSON.stringify({ findings: report.findings.map(jsonFinding), skipped, summary: { errors: s.errors, warnings: s.warnings, policies: s.policies, files: s.files, skipped: s.skipped } }, null, 2)}\n`;
}
