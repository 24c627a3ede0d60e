import { DirectionDecision, EngineOptions, Verdict } from '../engine/types';
import { SourcedManifest } from '../manifest/types';
import { MatrixPort } from '../matrix/model';

/** The connectivity diff's data model: what changes between two revisions of the manifests. */

export interface DiffInput {
  /** The manifests before the change (policies and workloads), e.g. the base branch's `cdk8s synth`. */
  readonly base: readonly SourcedManifest[];
  /** The manifests after the change. */
  readonly head: readonly SourcedManifest[];
  /** Further workload manifests, the same on both sides. */
  readonly workloads?: readonly SourcedManifest[];
}

export interface DiffOptions {
  /** Agent settings both sides are evaluated under. */
  readonly engine: EngineOptions;
  /** Evaluate these ports for every destination instead of the discovered ones (as `matrix --ports`). */
  readonly ports?: readonly MatrixPort[];
  /** Also list flows whose verdict stayed but whose deciding rules changed. @default false */
  readonly includeRuleChanges?: boolean;
}

/**
 * `allowed`: forwarded now, dropped or undecided before; `denied`: dropped (or AUDIT) now,
 * forwarded or undecided before; `undecided`: undecided now, decided before; `rules`: the same
 * verdict, other deciding rules.
 */
export type FlowChangeKind = 'allowed' | 'denied' | 'undecided' | 'rules';
export const FLOW_CHANGE_KINDS: readonly FlowChangeKind[] = ['allowed', 'denied', 'undecided', 'rules'];

/** One side's answer for a flow. */
export interface FlowState {
  readonly verdict: Verdict;
  /** At the source. */
  readonly egress: DirectionDecision;
  /** At the destination. */
  readonly ingress: DirectionDecision;
  /** Deciding rules, `CiliumNetworkPolicy ns/name spec.ingress[0]`, sorted. */
  readonly rules: readonly string[];
  /** False when no policy rule decided (no policy selects either end, or only implicit allows). */
  readonly policyInvolved: boolean;
  /** Why UNDECIDED. */
  readonly reason?: string;
}

export interface FlowChange {
  readonly port: MatrixPort;
  readonly kind: FlowChangeKind;
  readonly base: FlowState;
  readonly head: FlowState;
}

/** The changed flows of one (source, destination), in port order. */
export interface PairChange {
  /** Node ids, as in the matrix: `blog/blog`, `entity:world`, `fqdn:api.github.com`, `cidr:10.0.0.0/8`. */
  readonly from: string;
  readonly to: string;
  readonly flows: readonly FlowChange[];
}

export type PolicyChangeKind = 'added' | 'removed' | 'changed';

export interface PolicyChange {
  readonly change: PolicyChangeKind;
  readonly kind: string;
  /** Undefined for clusterwide policies. */
  readonly namespace?: string;
  readonly name: string;
  /** `file:line` on each side it exists on. */
  readonly base?: string;
  readonly head?: string;
  /** For `changed`: the fields that differ (`spec.ingress[0].toPorts`), at most MAX_CHANGED_FIELDS. */
  readonly fields?: readonly string[];
  /** How many differing fields were left out of `fields`. */
  readonly moreFields?: number;
}

export interface DiffCounts {
  readonly allowed: number;
  readonly denied: number;
  readonly undecided: number;
  /** Counted even when the rule-only changes are not listed. */
  readonly rules: number;
}

export interface ConnectivityDiff {
  /** Some flow is newly allowed, newly denied or newly undecided. */
  readonly changed: boolean;
  readonly counts: DiffCounts;
  /** Pairs with listed changes, in the matrix's node order; rule-only changes only when asked for. */
  readonly pairs: readonly PairChange[];
  readonly rulesListed: boolean;
  /** Sorted by kind, namespace, name. */
  readonly policies: readonly PolicyChange[];
  /** Workload node ids found only on one side. */
  readonly workloads: { readonly added: readonly string[]; readonly removed: readonly string[] };
  readonly nodes: {
    readonly workloads: number;
    readonly entities: number;
    readonly cidrs: number;
    readonly fqdns: number;
  };
  /** Flows evaluated on each side. */
  readonly flowsEvaluated: number;
  readonly policyCounts: { readonly base: number; readonly head: number };
  readonly engineOptions: Required<EngineOptions>;
  /** Pattern -> the example name evaluated for it, from both sides. */
  readonly fqdnExamples: ReadonlyArray<{ readonly pattern: string; readonly example: string }>;
  /** Engine and discovery warnings of each side (base warnings do not block). */
  readonly warnings: { readonly base: readonly string[]; readonly head: readonly string[] };
}
