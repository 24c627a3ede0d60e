import { KubeManifest, SourcedManifest } from '../manifest/types';
import type { SkippedInput } from '../manifest/load';
import type { SourceIssue } from '../manifest/yaml-source';
import { ClusterModel } from './util/cluster';

export type LintSeverity = 'error' | 'warning';

/** One problem found in one policy. */
export interface LintFinding {
  /** Rule ID, e.g. `fqdn-without-dns-proxy`. */
  readonly rule: string;
  readonly severity: LintSeverity;
  /** File the policy was read from (or a construct path), when known. */
  readonly file?: string;
  /** 1-based line of the policy document in `file`, when known. */
  readonly line?: number;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** Location inside the object, e.g. `spec.egress[1].toPorts[0]`. */
  readonly path: string;
  /** One line: the policy (kind ns/name), the path and what is wrong. */
  readonly message: string;
  /** What to write instead. */
  readonly fix: string;
}

/** Everything a rule may look at: the policy being checked and the rest of the run. */
export interface LintContext {
  readonly policy: KubeManifest;
  readonly file?: string;
  readonly line?: number;
  /** Every manifest of the run, indexed: policies, workloads, Services, Namespaces, Nodes. */
  readonly cluster: ClusterModel;
  readonly options: ResolvedLintOptions;
  /** The line of a field of the policy, when it was read from YAML. */
  readonly locate?: (path: string) => number | undefined;
  /** Problems of the YAML text (repeated keys). */
  readonly sourceIssues?: readonly SourceIssue[];
}

export interface LintRuleExamples {
  /** Manifests the rule reports on (a policy plus any Services/workloads it needs). */
  readonly bad: ReadonlyArray<KubeManifest | SourcedManifest>;
  /** The corrected manifests; the rule reports nothing on them. */
  readonly good: ReadonlyArray<KubeManifest | SourcedManifest>;
  /** The YAML text of `bad`, when what the rule sees is in the text only (a repeated key). */
  readonly badYaml?: string;
}

export interface LintRule {
  /** Stable kebab-case ID, used to suppress the rule. */
  readonly id: string;
  readonly severity: LintSeverity;
  /** One-line summary. */
  readonly title: string;
  /** Why it matters, citing a section of docs/cilium-semantics.md by its heading. */
  readonly rationale: string;
  /**
   * Field names the rule reads: it can report only on a policy whose rules (`spec`, `specs`) hold
   * one of them at some depth, and the linter skips it on the others. Unset: every policy.
   */
  readonly fields?: readonly string[];
  check(ctx: LintContext): LintFinding[];
  readonly examples: LintRuleExamples;
}

export interface LintOptions {
  /** Rule IDs to skip. @default none */
  readonly ignoreRules?: readonly string[];
  /**
   * CIDRs that carry in-cluster traffic (pod CIDRs, the Service CIDR, node subnets), for the
   * `cidr-for-in-cluster-peer` rule.
   * @default common defaults: 10.0.0.0/8 (Cilium cluster-pool), 10.96.0.0/12 (kubeadm Services),
   * 10.42.0.0/16 and 10.43.0.0/16 (k3s), 10.244.0.0/16 (kubeadm pod CIDR), 100.64.0.0/10
   */
  readonly clusterCidrs?: readonly string[];
  /** The rules to run. @default ALL_RULES */
  readonly rules?: readonly LintRule[];
  /** What the loader left out (see `loadManifestInputs`), counted and listed in the report. */
  readonly skipped?: readonly SkippedInput[];
}

export interface ResolvedLintOptions {
  readonly ignoreRules: ReadonlySet<string>;
  readonly clusterCidrs: readonly string[];
}

export interface LintSummary {
  readonly errors: number;
  readonly warnings: number;
  /** Cilium policies checked. */
  readonly policies: number;
  /** Distinct source files the manifests came from. */
  readonly files: number;
  /** Files and documents the loader left out (not Kubernetes manifests, templates, ...). */
  readonly skipped: number;
}

export interface LintReport {
  readonly findings: readonly LintFinding[];
  readonly summary: LintSummary;
  /** What the loader left out, and why. */
  readonly skipped: readonly SkippedInput[];
}
