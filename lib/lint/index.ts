import { KubeManifest, SourcedManifest } from '../manifest/types';
import { ALL_RULES } from './rules';
import { LintContext, LintFinding, LintOptions, LintReport, ResolvedLintOptions } from './types';
import { buildClusterModel, ClusterModel, SourcedPolicy } from './util/cluster';
import { DEFAULT_CLUSTER_CIDRS } from './rules/cidr-for-in-cluster-peer';
import { crdSchema } from './rules/crd-schema';
import { rejectedByAgent } from './rules/rejected-by-agent';
import { unrenderedSubstitution } from './rules/unrendered-substitution';
import { aboutPlaceholder, placeholdersOf } from './util/placeholders';
import { splitPath } from '../manifest/yaml-source';
import { releaseSharedWalk, withSharedWalk } from './util/walk';
import { ANY_FIELD, fieldBits, FieldBits, fieldMaskOf, maskOf } from './util/field-gates';
import { checkInto, CheckInto } from './util/finding';

export * from './types';
export { ALL_RULES } from './rules';
export { renderFindingsText, renderFindingsJson } from './render';

/** Policy annotation listing rule IDs (comma-separated) not to report for that policy. */
export const LINT_IGNORE_ANNOTATION = 'lint.cilium-lockdown.io/ignore';

function resolveOptions(options: LintOptions | undefined): ResolvedLintOptions {
  return {
    ignoreRules: new Set(options?.ignoreRules ?? []),
    clusterCidrs: options?.clusterCidrs ?? DEFAULT_CLUSTER_CIDRS,
  };
}

function ignoredByAnnotation(policy: KubeManifest): ReadonlySet<string> {
  const value = policy.metadata?.annotations?.[LINT_IGNORE_ANNOTATION];
  if (typeof value !== 'string') return NO_RULES;
  return new Set(
    value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

const NO_RULES: ReadonlySet<string> = new Set();

function compareFindings(a: LintFinding, b: LintFinding): number {
  const keys: Array<(f: LintFinding) => string | number> = [
    (f) => f.file ?? '',
    (f) => f.line ?? 0,
    (f) => f.kind,
    (f) => f.namespace ?? '',
    (f) => f.name,
    (f) => f.path,
    (f) => f.rule,
    (f) => f.message,
  ];
  for (const k of keys) {
    const x = k(a);
    const y = k(b);
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

/** Sorts findings deterministically: file, line, kind, namespace, name, path, rule. */
export function sortFindings(findings: readonly LintFinding[]): LintFinding[] {
  return [...findings].sort(compareFindings);
}

function lintPolicies(
  policies: readonly SourcedPolicy[],
  cluster: ClusterModel,
  options: LintOptions | undefined,
): LintFinding[] {
  const resolved = resolveOptions(options);
  const selected = (options?.rules ?? ALL_RULES).filter((rule) => !resolved.ignoreRules.has(rule.id));
  const bits = fieldBits(selected.map((rule) => rule.fields));
  const rules = selected.map((rule) => ({
    id: rule.id,
    check: checkInto(rule),
    fields: rule.fields === undefined ? undefined : maskOf(rule.fields, bits),
  }));
  const out: LintFinding[] = [];
  withSharedWalk(() => {
    for (const p of policies) {
      lintPolicy(p, cluster, resolved, rules, bits, out);
      releaseSharedWalk(p.manifest);
    }
  });
  return sortFindings(out);
}

/** A rule as one run uses it: its reporting check and the bits of its fields (see LintRule.fields). */
interface RunRule {
  readonly id: string;
  readonly check: CheckInto;
  readonly fields: number | undefined;
}

function lintPolicy(
  p: SourcedPolicy,
  cluster: ClusterModel,
  resolved: ResolvedLintOptions,
  rules: ReadonlyArray<RunRule>,
  bits: FieldBits,
  out: LintFinding[],
): void {
  const ignored = ignoredByAnnotation(p.manifest);
  const ctx: LintContext = {
    policy: p.manifest,
    file: p.file,
    line: p.line,
    cluster,
    options: resolved,
    locate: p.locate,
    sourceIssues: p.sourceIssues,
  };
  const own: LintFinding[] = [];
  let present: number | undefined;
  for (const { id, check, fields } of rules) {
    if (ignored !== NO_RULES && ignored.has(id)) continue;
    if (fields !== undefined) {
      present ??= fieldMaskOf(p.manifest, bits);
      if (present !== ANY_FIELD && (present & fields) === 0) continue;
    }
    check(ctx, own);
  }
  if (own.length > 0) out.push(...withoutRepeats(withoutPlaceholderFindings(own, p.manifest)));
}

/** A value still holding `${VAR}` or `<placeholder>` gets one `unrendered-substitution` finding, not an invalid-value error. */
function withoutPlaceholderFindings(findings: LintFinding[], policy: KubeManifest): LintFinding[] {
  if (findings.length === 0) return findings;
  const refs = placeholdersOf(policy);
  if (refs.length === 0) return findings;
  return findings.filter((f) => f.rule === unrenderedSubstitution.id || !aboutPlaceholder(f.path, refs));
}

/** Catch-all rules (CRD schema, agent sanitize) report only what no specific rule explains at the same field. */
const CATCH_ALL = new Set([crdSchema.id, rejectedByAgent.id]);

function withoutRepeats(findings: LintFinding[]): LintFinding[] {
  const segments = (p: string): Array<string | number> => splitPath(p) ?? [p];
  const explained = findings
    .filter((f) => !CATCH_ALL.has(f.rule) && f.severity === 'error')
    .map((f) => segments(f.path));
  const within = (inner: Array<string | number>, outer: Array<string | number>): boolean =>
    outer.length <= inner.length && outer.every((s, i) => s === inner[i]);
  return findings.filter((f) => {
    if (!CATCH_ALL.has(f.rule)) return true;
    const at = segments(f.path);
    if (
      f.rule === rejectedByAgent.id &&
      findings.some((g) => g.rule === crdSchema.id && within(at, segments(g.path)))
    )
      return false;
    return !explained.some((p) => within(at, p) || within(p, at));
  });
}

/**
 * Lints every Cilium policy among the manifests. Other manifests (Services, workloads,
 * Namespaces, Nodes) feed the cross-object rules; non-policy documents are never reported on.
 */
export function lintManifests(
  manifests: ReadonlyArray<SourcedManifest | KubeManifest>,
  options?: LintOptions,
): LintReport {
  const cluster = buildClusterModel(manifests);
  const findings = lintPolicies(cluster.policies, cluster, options);
  const skipped = [...(options?.skipped ?? [])];
  const files = new Set([...cluster.files, ...skipped.map((s) => s.file)]);
  return {
    findings,
    summary: {
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      policies: cluster.policies.length,
      files: files.size,
      skipped: skipped.length,
    },
    skipped,
  };
}

export interface LintPolicyObjectsContext {
  /** The rest of the app's manifests (Services, workloads, other policies) for cross-object rules. */
  readonly manifests?: ReadonlyArray<SourcedManifest | KubeManifest>;
  /** Origin reported as `file` (e.g. the construct path). */
  readonly origin?: string;
  readonly options?: LintOptions;
}

/**
 * Lints the given policy objects only (e.g. a construct's own synthesized output, from
 * `node.addValidation`), with the other manifests as context.
 */
export function lintPolicyObjects(
  policies: readonly KubeManifest[],
  context: LintPolicyObjectsContext = {},
): LintFinding[] {
  const own = new Set<unknown>(policies);
  const others = (context.manifests ?? []).filter(
    (m) => !own.has(m) && !own.has((m as SourcedManifest).manifest),
  );
  const cluster = buildClusterModel([...policies, ...others]);
  const { origin } = context;
  const targets = cluster.policies
    .filter((p) => own.has(p.manifest))
    .map((p) => (origin === undefined ? p : Object.assign({}, p, { file: origin })));
  return lintPolicies(targets, cluster, context.options);
}
