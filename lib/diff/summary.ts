import { optionSummary } from '../matrix/edges';
import {
  ConnectivityDiff,
  FlowChange,
  FlowChangeKind,
  FlowState,
  PairChange,
  PolicyChangeKind,
} from './model';
import { plural } from '../util/text';
import { describeObject } from '../manifest/object-ref';

/** Wording and grouping shared by the text and markdown formats. */

export const SECTION_TITLES: Readonly<Record<FlowChangeKind, string>> = {
  allowed: 'Newly allowed',
  denied: 'Newly denied',
  undecided: 'Now undecided',
  rules: 'Deciding rules changed (same verdict)',
};

/** `2 newly allowed, 1 newly denied, 0 now undecided` (flows: source, destination, port). */
export function countsLine(d: ConnectivityDiff): string {
  if (!d.changed) return 'No connectivity change';
  const c = d.counts;
  return `${c.allowed} newly allowed, ${c.denied} newly denied, ${c.undecided} now undecided`;
}

/** `1 policy added, 0 removed, 2 changed`. */
export function policiesLine(d: ConnectivityDiff): string {
  const n = (k: PolicyChangeKind) => d.policies.filter((p) => p.change === k).length;
  if (d.policies.length === 0) return 'Policies unchanged';
  return `${plural(n('added'), 'policy')} added, ${n('removed')} removed, ${n('changed')} changed`;
}

export function rulesLine(d: ConnectivityDiff): string | undefined {
  if (d.counts.rules === 0) return undefined;
  return `${plural(d.counts.rules, 'flow')} kept ${d.counts.rules === 1 ? 'its' : 'their'} verdict with other deciding rules${d.rulesListed ? '' : ' (--all lists them)'}`;
}

export function workloadsLine(d: ConnectivityDiff): string | undefined {
  const parts: string[] = [];
  if (d.workloads.added.length > 0) parts.push(`only in head: ${d.workloads.added.join(', ')}`);
  if (d.workloads.removed.length > 0) parts.push(`only in base: ${d.workloads.removed.join(', ')}`);
  return parts.length > 0 ? `Workloads ${parts.join('; ')}` : undefined;
}

export function scopeLine(d: ConnectivityDiff): string {
  const n = d.nodes;
  return (
    `Evaluated ${plural(d.flowsEvaluated, 'flow')} per side between ${plural(n.workloads, 'workload')}, ${plural(n.entities, 'entity')}, ` +
    `${plural(n.cidrs, 'CIDR')} and ${plural(n.fqdns, 'DNS name')}; base ${plural(d.policyCounts.base, 'policy')}, ` +
    `head ${plural(d.policyCounts.head, 'policy')}; ${optionSummary(d)}`
  );
}

export function fqdnLine(d: ConnectivityDiff): string | undefined {
  if (d.fqdnExamples.length === 0) return undefined;
  return `DNS name examples: ${d.fqdnExamples.map((e) => `${e.example} for ${e.pattern}`).join(', ')}`;
}

/** `FORWARDED`, `FORWARDED (no policy)`. */
export function verdictText(s: FlowState): string {
  return s.verdict === 'FORWARDED' && !s.policyInvolved ? 'FORWARDED (no policy)' : s.verdict;
}

/** The verdict a change of this kind usually starts from; others are annotated. */
const USUAL_BASE: Readonly<Record<FlowChangeKind, string | undefined>> = {
  allowed: 'DROPPED',
  denied: 'FORWARDED',
  undecided: undefined,
  rules: undefined,
};
const USUAL_HEAD: Readonly<Record<FlowChangeKind, string | undefined>> = {
  allowed: 'FORWARDED',
  denied: 'DROPPED',
  undecided: 'UNDECIDED',
  rules: undefined,
};

/** `5432/TCP`, or `5432/TCP (was UNDECIDED)`, `5432/TCP (AUDIT)` when the verdicts are not the usual ones. */
export function portNote(f: FlowChange): string {
  const notes: string[] = [];
  if (USUAL_BASE[f.kind] && f.base.verdict !== USUAL_BASE[f.kind]) notes.push(`was ${f.base.verdict}`);
  if (USUAL_HEAD[f.kind] && f.head.verdict !== USUAL_HEAD[f.kind]) notes.push(f.head.verdict);
  return notes.length > 0 ? `${f.port.text} (${notes.join(', ')})` : f.port.text;
}

export interface SectionRow {
  readonly from: string;
  readonly to: string;
  readonly flows: readonly FlowChange[];
}

/** The pairs with flows of this kind, each with only those flows. */
export function sectionRows(d: ConnectivityDiff, kind: FlowChangeKind): SectionRow[] {
  return d.pairs
    .map((p: PairChange) => ({ from: p.from, to: p.to, flows: p.flows.filter((f) => f.kind === kind) }))
    .filter((r) => r.flows.length > 0);
}

/** The deciding rules of the flows on one side, without repeats, in first-seen order. */
export function rulesOf(flows: readonly FlowChange[], side: 'base' | 'head'): string[] {
  return [...new Set(flows.flatMap((f) => f[side].rules))];
}

/** The undecided reasons, without repeats. */
export function reasonsOf(flows: readonly FlowChange[]): string[] {
  return [...new Set(flows.map((f) => f.head.reason ?? 'unknown'))];
}

export function describePolicy(p: { kind: string; namespace?: string; name: string }): string {
  return describeObject(p);
}

/** `ingress default deny`, `egress deny rule, ingress default deny`: which end drops, and how. */
export function dropCause(s: FlowState): string {
  const parts: string[] = [];
  for (const side of ['egress', 'ingress'] as const) {
    if (s[side] === 'DENIED') parts.push(`${side} deny rule`);
    else if (s[side] === 'DEFAULT_DENY') parts.push(`${side} default deny`);
  }
  return parts.join(', ');
}

/** The drop causes of the flows, without repeats. */
export function dropCausesOf(flows: readonly FlowChange[]): string[] {
  return [...new Set(flows.map((f) => dropCause(f.head)).filter((c) => c !== ''))];
}
