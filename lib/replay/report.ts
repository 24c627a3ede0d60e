import { describePort, describeRule } from '../engine/describe';
import { DirectionResult, FlowResult } from '../engine/types';
import type { Gate } from './gate';
import { mdCode, mdText } from './markdown';
import { Write } from './write';
import { ReplayGroup, ReplayResult } from './result';
import { plural } from '../util/text';

/** What the reports say besides the replay itself. */
export interface ReportContext {
  readonly result: ReplayResult;
  /** Number of CNP/CCNP manifests replayed against. */
  readonly policies: number;
  /** Engine warnings: policies or parts it skipped. */
  readonly warnings: readonly string[];
  readonly perFlow: boolean;
  /** The gate over the replay: why the command exits non-zero. */
  readonly gate?: Gate;
}

/** Why a group would be dropped, one line per denying end: egress (at the source) first. */
export function decidingRules(result: FlowResult): string[] {
  const out: string[] = [];
  for (const dir of ['egress', 'ingress'] as const) {
    const side: DirectionResult = result[dir];
    const unique = (withPath: boolean) =>
      [...new Set(side.rules.map((r) => describeRule(r, withPath)))].join(', ');
    if (side.decision === 'DENIED') out.push(`${dir}: denied by ${unique(true)}`);
    if (side.decision === 'DEFAULT_DENY')
      out.push(`${dir}: default deny from ${unique(false) || 'policyEnforcementMode always'}`);
  }
  return out;
}

/** Why the engine could not decide, one line per undecided end. */
export function undecidedReasons(result: FlowResult): string[] {
  const out: string[] = [];
  for (const dir of ['egress', 'ingress'] as const) {
    if (result[dir].decision === 'UNDECIDED')
      out.push(`${dir}: ${result[dir].notes.join('; ') || 'no reason given'}`);
  }
  return out;
}

export function groupTitle(g: ReplayGroup): string {
  return `${g.source.display} -> ${g.destination.display} ${describePort(g)}`;
}

function counts(record: Readonly<Record<string, number>>): string {
  return Object.entries(record)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

function seen(g: ReplayGroup): string {
  const when = g.firstSeen
    ? g.firstSeen === g.lastSeen
      ? `at ${g.firstSeen}`
      : `${g.firstSeen} .. ${g.lastSeen}`
    : 'time unknown';
  const nodes = g.nodes.length ? ` on ${g.nodes.join(', ')}${g.moreNodes ? ', ...' : ''}` : '';
  return `${when}${nodes}`;
}

function pods(g: ReplayGroup): string | undefined {
  if (!g.sourcePods.length && !g.destinationPods.length) return undefined;
  const side = (list: readonly string[]) => (list.length ? list.join(', ') : '-');
  return `${side(g.sourcePods)} -> ${side(g.destinationPods)}`;
}

function groupDetails(g: ReplayGroup, reasons: string[]): string[] {
  const lines = [
    `${plural(g.connections, 'connection')}, ${plural(g.events, 'event')}; observed ${counts(g.observed)}`,
    `seen ${seen(g)} (first at line ${g.firstLine})`,
  ];
  const p = pods(g);
  if (p) lines.push(`pods: ${p}`);
  return [...lines, ...reasons];
}

function summaryLines(ctx: ReportContext): string[] {
  const s = ctx.result.summary;
  const forwarded = s.groups - s.wouldDrop - s.undecided;
  const out = [
    `${plural(s.lines, 'line')}: ${s.evaluated.toLocaleString('en-US')} evaluated in ${plural(s.groups, 'group')}, ` +
      `${s.skipped.toLocaleString('en-US')} skipped, ${s.malformed.toLocaleString('en-US')} malformed`,
    `would drop: ${plural(s.wouldDrop, 'group')} (${plural(s.wouldDropConnections, 'connection')}, ${plural(s.wouldDropEvents, 'event')}); ` +
      `undecided: ${plural(s.undecided, 'group')}; forwarded: ${plural(forwarded, 'group')}`,
  ];
  const parts = ctx.result.parts ?? [];
  // Every part in --format json; here the first ones and every incomplete or malformed one.
  const shown = parts.filter((p, i) => i < 20 || p.incomplete || p.malformed);
  if (shown.length < parts.length)
    out.push(
      `${plural(parts.length, 'part')} merged (${parts.length - shown.length} complete and well-formed ones not listed here; all in --format json)`,
    );
  for (const p of shown) {
    out.push(
      `part ${p.file} (${p.input}): lines ${p.firstLine.toLocaleString('en-US')}..${(p.firstLine + p.lines - 1).toLocaleString('en-US')}, ` +
        `${p.evaluated.toLocaleString('en-US')} evaluated, ${p.skipped.toLocaleString('en-US')} skipped, ${p.malformed.toLocaleString('en-US')} malformed${p.incomplete ? `, INCOMPLETE after line ${p.incomplete.afterLine}` : ''}`,
    );
  }
  const skipped = Object.entries(s.skippedByReason);
  if (skipped.length) out.push(`skipped: ${skipped.map(([r, n]) => `${r}: ${n}`).join('; ')}`);
  if (s.malformedLines.length) {
    const more =
      s.malformed > s.malformedLines.length ? `; ... ${s.malformed - s.malformedLines.length} more` : '';
    out.push(
      `malformed: ${s.malformedLines
        .slice(0, 10)
        .map((m) => `line ${m.line}: ${m.reason}`)
        .join('; ')}${s.malformedLines.length > 10 && !more ? '; ...' : more}`,
    );
  }
  return out;
}

export async function renderText(ctx: ReportContext, write: Write): Promise<void> {
  const { result } = ctx;
  const dropping = result.groups.filter((g) => g.predicted.verdict === 'DROPPED');
  const undecided = result.groups.filter((g) => g.predicted.verdict === 'UNDECIDED');
  write(
    `Replay of ${result.input.name}${result.input.gzip ? ' (gzip)' : ''} against ${plural(ctx.policies, 'policy')} with enforcement on (policyAuditMode: false)\n`,
  );
  for (const w of ctx.warnings) write(`warning: ${w}\n`);
  write('\n');
  const doubt =
    ctx.gate && ctx.gate.exitCode === 2
      ? ' among the flows read, but the export cannot vouch for the answer (see Gate below)'
      : '';
  if (dropping.length === 0) write(`Nothing observed would be dropped once enforced${doubt}.\n`);
  else
    write(
      `Would be DROPPED once enforced (${plural(dropping.length, 'group')}, ${plural(result.summary.wouldDropConnections, 'connection')}):\n`,
    );
  for (const g of dropping) {
    write(`\n  ${g.id}. ${groupTitle(g)}\n`);
    for (const l of groupDetails(g, decidingRules(g.predicted))) write(`     ${l}\n`);
  }
  if (undecided.length) {
    write(`\nUNDECIDED offline (${plural(undecided.length, 'group')}): check these by hand\n`);
    for (const g of undecided) {
      write(`\n  ${g.id}. ${groupTitle(g)}\n`);
      for (const l of groupDetails(g, undecidedReasons(g.predicted))) write(`     ${l}\n`);
    }
  }
  if (ctx.perFlow) {
    write('\nPer flow:\n');
    for (const f of result.perFlow()) {
      await write(
        `  line ${f.line}: observed ${f.observed}, predicted ${f.group.predicted.verdict} (group ${f.group.id}: ${groupTitle(f.group)})\n`,
      );
    }
  }
  write('\nSummary:\n');
  for (const l of summaryLines(ctx)) write(`  ${l}\n`);
  if (ctx.gate) {
    const g = ctx.gate;
    write(
      g.green
        ? '\nGate: green (exit 0)\n'
        : `\nGate: NOT green (exit ${g.exitCode}), ${plural(g.blockers.length, 'blocker')}:\n`,
    );
    g.blockers.forEach((b, i) => {
      write(`  ${i + 1}. [${b.kind}] ${b.title}\n`);
      for (const d of b.details) write(`     ${d}\n`);
    });
    for (const w of g.warnings) write(`  not blocking: ${w}\n`);
  }
}

const md = mdText;

export async function renderMarkdown(ctx: ReportContext, write: Write): Promise<void> {
  const { result } = ctx;
  const dropping = result.groups.filter((g) => g.predicted.verdict === 'DROPPED');
  const undecided = result.groups.filter((g) => g.predicted.verdict === 'UNDECIDED');
  markdownHeading(ctx, dropping, write);
  if (dropping.length) markdownDropping(dropping, write);
  if (undecided.length) markdownUndecided(undecided, write);
  if (ctx.perFlow) await markdownPerFlow(result, write);
  write(
    summaryLines(ctx)
      .map((l) => `- ${md(l)}`)
      .join('\n'),
  );
  write('\n');
  if (ctx.gate) markdownGate(ctx.gate, write);
}

function markdownHeading(ctx: ReportContext, dropping: ReplayGroup[], write: Write): void {
  write(
    `### Hubble replay: ${dropping.length ? `${plural(dropping.length, 'group')} would be dropped` : 'nothing would be dropped'}\n\n`,
  );
  write(
    `Replay of ${mdCode(ctx.result.input.name)} against ${plural(ctx.policies, 'policy')} with enforcement on (\`policyAuditMode: false\`).\n\n`,
  );
  for (const w of ctx.warnings) write(`> **warning:** ${md(w)}\n`);
  if (ctx.warnings.length) write('\n');
}

function markdownDropping(dropping: ReplayGroup[], write: Write): void {
  write(
    '| # | Source | Destination | Port | Connections | Events | Observed | Why |\n|---|---|---|---|---|---|---|---|\n',
  );
  for (const g of dropping) {
    write(
      `| ${g.id} | ${mdCode(g.source.display)} | ${mdCode(g.destination.display)} | ${describePort(g)} | ${g.connections} | ${g.events} | ${md(counts(g.observed))} | ${decidingRules(g.predicted).map(md).join('<br>')} |\n`,
    );
  }
  write('\n');
}

function markdownUndecided(undecided: ReplayGroup[], write: Write): void {
  write(
    `#### Undecided offline (${undecided.length})\n\n| # | Source | Destination | Port | Events | Reason |\n|---|---|---|---|---|---|\n`,
  );
  for (const g of undecided) {
    write(
      `| ${g.id} | ${mdCode(g.source.display)} | ${mdCode(g.destination.display)} | ${describePort(g)} | ${g.events} | ${undecidedReasons(g.predicted).map(md).join('<br>')} |\n`,
    );
  }
  write('\n');
}

async function markdownPerFlow(result: ReplayResult, write: Write): Promise<void> {
  write(
    '<details><summary>Per flow</summary>\n\n| Line | Observed | Predicted | Group |\n|---|---|---|---|\n',
  );
  for (const f of result.perFlow())
    await write(`| ${f.line} | ${f.observed} | ${f.group.predicted.verdict} | ${f.group.id} |\n`);
  write('\n</details>\n\n');
}

function markdownGate(g: Gate, write: Write): void {
  write(
    g.green
      ? '\n**Gate: green.**\n'
      : `\n**Gate: not green (exit ${g.exitCode})**, ${plural(g.blockers.length, 'blocker')}:\n\n`,
  );
  g.blockers.forEach((b, i) =>
    write(`${i + 1}. **${b.kind}**: ${md(b.title)}${b.details.map((d) => `<br>${md(d)}`).join('')}\n`),
  );
  for (const w of g.warnings) write(`- not blocking: ${md(w)}\n`);
}

function directionJson(d: DirectionResult, withNotes: boolean) {
  return {
    decision: d.decision,
    rules: d.rules,
    ...(d.l7 ? { l7: true } : {}),
    ...(withNotes && d.notes.length ? { notes: d.notes } : {}),
  };
}

function groupJson(g: ReplayGroup) {
  return {
    id: g.id,
    source: g.source,
    destination: g.destination,
    protocol: g.protocol,
    ...(g.port !== undefined ? { port: g.port } : {}),
    ...(g.icmpType !== undefined ? { icmpType: g.icmpType } : {}),
    predicted: g.predicted.verdict,
    reasons: g.predicted.verdict === 'UNDECIDED' ? undecidedReasons(g.predicted) : decidingRules(g.predicted),
    egress: directionJson(g.predicted.egress, true),
    ingress: directionJson(g.predicted.ingress, true),
    connections: g.connections,
    events: g.events,
    observed: g.observed,
    directions: g.directions,
    ...(g.firstSeen ? { firstSeen: g.firstSeen, lastSeen: g.lastSeen } : {}),
    nodes: g.nodes,
    ...(g.moreNodes ? { moreNodes: true } : {}),
    examplePods: { source: g.sourcePods, destination: g.destinationPods },
    firstLine: g.firstLine,
    ...(g.observedPolicyDrops
      ? { observedPolicyDrops: g.observedPolicyDrops, observedDenyingPolicies: g.observedDenyingPolicies }
      : {}),
    ...(g.disagreement ? { disagreement: true } : {}),
  };
}

/** Streams the JSON document (see the shape documented in lib/cli/replay-command.ts). */
export async function renderJson(ctx: ReportContext, write: Write): Promise<void> {
  const { result } = ctx;
  const head = {
    input: result.input.name,
    policies: ctx.policies,
    warnings: ctx.warnings,
    summary: result.summary,
    ...(result.parts ? { parts: result.parts } : {}),
    ...(ctx.gate
      ? {
          gate: {
            green: ctx.gate.green,
            exitCode: ctx.gate.exitCode,
            blockers: ctx.gate.blockers,
            warnings: ctx.gate.warnings,
          },
        }
      : {}),
    groups: result.groups.map(groupJson),
  };
  const text = JSON.stringify(head, null, 2);
  if (!ctx.perFlow) {
    write(`${text}\n`);
    return;
  }
  write(`${text.slice(0, -2)},\n  "flows": [`);
  let first = true;
  for (const f of result.perFlow()) {
    const p = f.group.predicted;
    const item = {
      line: f.line,
      observed: f.observed,
      predicted: p.verdict,
      group: f.group.id,
      ingress: directionJson(p.ingress, false),
      egress: directionJson(p.egress, false),
    };
    await write(`${first ? '' : ','}\n    ${JSON.stringify(item)}`);
    first = false;
  }
  write(`${first ? '' : '\n  '}]\n}\n`);
}
