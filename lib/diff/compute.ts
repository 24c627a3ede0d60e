import { SourcedManifest } from '../manifest/types';
import { computeMatrix } from '../matrix/compute';
import { ConnectivityMatrix, MatrixCell, MatrixNode, MatrixPort } from '../matrix/model';
import { comparePorts, discoverWorkloads } from '../matrix/workloads';
import { DiffInputError } from './errors';
import {
  ConnectivityDiff,
  DiffInput,
  DiffOptions,
  FlowChange,
  FlowChangeKind,
  FlowState,
  PairChange,
} from './model';
import { diffPolicies } from './policies';
import { compareStrings } from '../util/order';

/**
 * Evaluates both sides with the connectivity matrix over the same nodes (the workloads of either
 * side, the peers either side's policies name) and the same ports per destination, then compares
 * cell by cell. Each side keeps its own definition of a workload both define.
 */

/** The engine skipped a policy (Cilium would refuse it too): the diff would not show its effect. */
const SKIPPED = /; policy skipped$/;

/** A pair the matrix leaves out (neither end enforces policy) is forwarded with no policy. */
const UNENFORCED: FlowState = {
  verdict: 'FORWARDED',
  egress: 'NOT_ENFORCED',
  ingress: 'NOT_ENFORCED',
  rules: [],
  policyInvolved: false,
};

function cellKey(from: string, to: string, port: MatrixPort): string {
  return `${from}\u0000${to}\u0000${port.text}`;
}

function state(c: MatrixCell | undefined): FlowState {
  if (!c) return UNENFORCED;
  return {
    verdict: c.verdict,
    egress: c.egress,
    ingress: c.ingress,
    rules: c.rules,
    policyInvolved: c.policyInvolved,
    ...(c.reason !== undefined ? { reason: c.reason } : {}),
  };
}

function verdictClass(s: FlowState): 'allow' | 'deny' | 'undecided' {
  if (s.verdict === 'FORWARDED') return 'allow';
  return s.verdict === 'UNDECIDED' ? 'undecided' : 'deny';
}

export function changeKind(base: FlowState, head: FlowState): FlowChangeKind | undefined {
  const b = verdictClass(base);
  const h = verdictClass(head);
  if (b !== h) return h === 'allow' ? 'allowed' : h === 'deny' ? 'denied' : 'undecided';
  const same =
    base.verdict === head.verdict &&
    base.policyInvolved === head.policyInvolved &&
    base.rules.length === head.rules.length &&
    base.rules.every((r, i) => r === head.rules[i]);
  return same ? undefined : 'rules';
}

/** The same manifest given twice (a directory passed twice) counts once. */
function unique(manifests: readonly SourcedManifest[]): SourcedManifest[] {
  const seen = new Set<string>();
  return manifests.filter((s) => {
    if (!s.file) return true;
    const k = `${s.file}:${s.line ?? 0}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Per destination: the ports `other` evaluates that `m` does not. */
function missingPorts(
  m: ConnectivityMatrix,
  other: ConnectivityMatrix,
): Map<string, MatrixPort[]> | undefined {
  const out = new Map<string, MatrixPort[]>();
  for (const [dst, ports] of other.portsByDestination) {
    const have = new Set((m.portsByDestination.get(dst) ?? []).map((p) => p.text));
    const missing = ports.filter((p) => !have.has(p.text));
    if (missing.length > 0) out.set(dst, missing);
  }
  return out.size > 0 ? out : undefined;
}

/** Both sides' matrices over the same nodes and ports. */
export function alignedMatrices(
  input: DiffInput,
  options: DiffOptions,
): { base: ConnectivityMatrix; head: ConnectivityMatrix } {
  const base = unique(input.base);
  const head = unique(input.head);
  const workloads = unique(input.workloads ?? []);
  const matrix = (own: SourcedManifest[], other: SourcedManifest[], extraPorts?: Map<string, MatrixPort[]>) =>
    computeMatrix(
      { policies: own, workloads, alignWith: other },
      {
        engine: options.engine,
        ...(options.ports ? { ports: options.ports } : {}),
        ...(extraPorts ? { extraPorts } : {}),
      },
    );
  let b = matrix(base, head);
  let h = matrix(head, base);
  // Ports one side's policies name for a destination are evaluated on the other side too.
  const forBase = missingPorts(b, h);
  const forHead = missingPorts(h, b);
  if (forBase) b = matrix(base, head, forBase);
  if (forHead) h = matrix(head, base, forHead);
  const ids = (m: ConnectivityMatrix) => m.nodes.map((n) => n.id).join('\n');
  if (ids(b) !== ids(h)) {
    // Node discovery must honour MatrixInput.alignWith; a diff over different nodes would be wrong.
    throw new Error('internal error: the two sides of the diff have different matrix nodes');
  }
  return { base: b, head: h };
}

export function diffConnectivity(input: DiffInput, options: DiffOptions): ConnectivityDiff {
  const policies = diffPolicies(unique(input.base), unique(input.head));
  const { base, head } = alignedMatrices(input, options);
  const skipped = head.warnings.filter((w) => SKIPPED.test(w));
  if (skipped.length > 0) {
    throw new DiffInputError(
      `head: the evaluator cannot read ${skipped.length === 1 ? 'a policy' : `${skipped.length} policies`} (Cilium refuses them too), ` +
        `so the diff would not show their effect:\n  ${skipped.join('\n  ')}`,
    );
  }
  const defined = (side: readonly SourcedManifest[]) =>
    new Set(discoverWorkloads([...side, ...(input.workloads ?? [])]).map(workloadKey));
  return diffMatrices(
    base,
    head,
    { policies, baseWorkloads: defined(input.base), headWorkloads: defined(input.head) },
    options,
  );
}

function workloadKey(n: MatrixNode): string {
  return `${n.namespace}/${n.name}@${n.workloadKind}`;
}

/** What the matrices do not tell: the policy changes and which side defines which workload. */
export interface DiffContext {
  readonly policies: ConnectivityDiff['policies'];
  /** `namespace/name@Kind` of the workloads each side defines. */
  readonly baseWorkloads: ReadonlySet<string>;
  readonly headWorkloads: ReadonlySet<string>;
}

interface ListedChange {
  readonly from: string;
  readonly to: string;
  readonly change: FlowChange;
}

/** Every cell of either side whose state changed, counted by kind; rule-only changes listed on request. */
function flowChanges(base: ConnectivityMatrix, head: ConnectivityMatrix, includeRuleChanges: boolean) {
  const baseCells = new Map(base.cells.map((c) => [cellKey(c.from, c.to, c.port), c]));
  const headCells = new Map(head.cells.map((c) => [cellKey(c.from, c.to, c.port), c]));
  const keys: Array<{ from: string; to: string; port: MatrixPort }> = [...head.cells];
  for (const c of base.cells) if (!headCells.has(cellKey(c.from, c.to, c.port))) keys.push(c);
  const counts = { allowed: 0, denied: 0, undecided: 0, rules: 0 };
  const listed: ListedChange[] = [];
  for (const k of keys) {
    const key = cellKey(k.from, k.to, k.port);
    const b = baseCells.get(key);
    const h = headCells.get(key);
    const kind = changeKind(b ?? UNENFORCED, h ?? UNENFORCED);
    if (!kind) continue;
    counts[kind] += 1;
    if (kind !== 'rules' || includeRuleChanges)
      listed.push({ from: k.from, to: k.to, change: { port: k.port, kind, base: state(b), head: state(h) } });
  }
  return { counts, listed };
}

/** The changes grouped by (source, destination), in head's node order. */
function pairChanges(listed: ListedChange[], head: ConnectivityMatrix): PairChange[] {
  const order = new Map(head.nodes.map((n, i) => [n.id, i]));
  const rank = (id: string) => order.get(id) ?? Number.MAX_SAFE_INTEGER;
  listed.sort(
    (x, y) =>
      rank(x.from) - rank(y.from) ||
      compareStrings(x.from, y.from) ||
      rank(x.to) - rank(y.to) ||
      compareStrings(x.to, y.to) ||
      comparePorts(x.change.port, y.change.port),
  );
  const pairs: PairChange[] = [];
  for (const l of listed) {
    const last = pairs[pairs.length - 1] as { from: string; to: string; flows: FlowChange[] } | undefined;
    if (last && last.from === l.from && last.to === l.to) last.flows.push(l.change);
    else pairs.push({ from: l.from, to: l.to, flows: [l.change] });
  }
  return pairs;
}

/** Compares two aligned matrices (see alignedMatrices). */
export function diffMatrices(
  base: ConnectivityMatrix,
  head: ConnectivityMatrix,
  context: DiffContext,
  options: Pick<DiffOptions, 'includeRuleChanges'>,
): ConnectivityDiff {
  const { counts, listed } = flowChanges(base, head, !!options.includeRuleChanges);
  const pairs = pairChanges(listed, head);
  const workloads = head.nodes.filter((n) => n.kind === 'workload');
  const count = (kind: string) => head.nodes.filter((n) => n.kind === kind).length;
  const examples = new Map<string, { pattern: string; example: string }>();
  for (const e of [...base.fqdnExamples, ...head.fqdnExamples])
    examples.set(`${e.pattern}\u0000${e.example}`, e);
  return {
    changed: counts.allowed + counts.denied + counts.undecided > 0,
    counts,
    pairs,
    rulesListed: !!options.includeRuleChanges,
    policies: context.policies,
    workloads: {
      added: workloads.filter((n) => !context.baseWorkloads.has(workloadKey(n))).map((n) => n.id),
      removed: workloads.filter((n) => !context.headWorkloads.has(workloadKey(n))).map((n) => n.id),
    },
    nodes: {
      workloads: count('workload'),
      entities: count('entity'),
      cidrs: count('cidr'),
      fqdns: count('fqdn'),
    },
    flowsEvaluated: head.cells.length,
    policyCounts: { base: base.policies.total, head: head.policies.total },
    engineOptions: head.engineOptions,
    fqdnExamples: [...examples.keys()].sort(compareStrings).map((k) => examples.get(k)!),
    warnings: { base: base.warnings, head: head.warnings },
  };
}
