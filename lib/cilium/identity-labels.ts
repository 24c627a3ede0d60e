import { Label } from './labels';

/**
 * Cilium's default label filter (`pkg/labelsfilter`; docs/cilium-semantics.md,
 * "Labels outside the identity"): which label keys become part of a security identity. Selectors on the
 * other keys never match anything, and Hubble never shows them.
 *
 * Each rule is a regular expression that must match at the start of the key. A key is kept when
 * no ignore rule matches it, or when the longest matching include rule matches more of it than
 * the shortest matching ignore rule (so `io.kubernetes.pod.namespace` beats `io.kubernetes`).
 */

interface FilterRule {
  readonly pattern: RegExp;
  readonly ignore: boolean;
  /** Why an ignore rule drops a key, for messages. */
  readonly why?: string;
}

const PER_POD = 'is set per pod or per revision by a controller and is filtered out of identities';

const include = (literal: string): FilterRule => ({ pattern: new RegExp(escape(literal)), ignore: false });
const ignore = (pattern: string, why: string): FilterRule => ({
  pattern: new RegExp(pattern),
  ignore: true,
  why,
});
const ignoreLiteral = (literal: string): FilterRule => ignore(escape(literal), `\`${literal}\` ${PER_POD}`);

const DEFAULT_RULES: readonly FilterRule[] = [
  include('io.kubernetes.pod.namespace'),
  include('io.cilium.k8s.namespace.labels'),
  include('app.kubernetes.io'),
  include('io.cilium.k8s.policy.cluster'),
  include('io.cilium.k8s.policy.serviceaccount'),
  ignore(
    'io\\.kubernetes',
    '`io.kubernetes*` keys (other than the pod namespace) are filtered out of identities',
  ),
  ignore('kubernetes\\.io', '`kubernetes.io*` keys are filtered out of identities'),
  ignoreLiteral('statefulset.kubernetes.io/pod-name'),
  ignoreLiteral('apps.kubernetes.io/pod-index'),
  ignoreLiteral('batch.kubernetes.io/job-completion-index'),
  ignoreLiteral('batch.kubernetes.io/controller-uid'),
  ignore('.*beta\\.kubernetes\\.io', '`*beta.kubernetes.io` keys are filtered out of identities'),
  ignore('k8s\\.io', '`k8s.io*` keys are filtered out of identities'),
  ignoreLiteral('pod-template-generation'),
  ignoreLiteral('pod-template-hash'),
  ignoreLiteral('controller-revision-hash'),
  ignoreLiteral('controller-uid'),
  ignore('annotation.*', '`annotation*` keys are filtered out of identities'),
  ignore('etcd_node', '`etcd_node` is filtered out of identities'),
  ignore('topology\\.kubernetes\\.io', '`topology.kubernetes.io*` keys are filtered out of identities'),
];

function escape(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Length of the rule's match at the start of the key, or 0 when it does not match there. */
function matchLength(rule: FilterRule, key: string): number {
  const m = rule.pattern.exec(key);
  return m && m.index === 0 ? m[0].length : 0;
}

/**
 * Why the default label filter drops a label key (given without its `source:`), or undefined
 * when the key is part of identities.
 */
export function identityExclusionReason(key: string): string | undefined {
  let included = 0;
  let ignored = 0;
  let why: string | undefined;
  for (const rule of DEFAULT_RULES) {
    const length = matchLength(rule, key);
    if (length === 0) continue;
    if (!rule.ignore) {
      included = Math.max(included, length);
    } else if (ignored === 0 || length < ignored) {
      ignored = length;
      why = rule.why;
    }
  }
  return ignored === 0 || included > ignored ? undefined : why;
}

/** Keys judged at a time by `isIdentityLabelKey` (a cluster has few); forgotten beyond it. */
const MAX_JUDGED_KEYS = 4096;
const judgedKeys = new Map<string, boolean>();

/** Whether a pod label key (without source) is part of identities. */
export function isIdentityLabelKey(key: string): boolean {
  let kept = judgedKeys.get(key);
  if (kept === undefined) {
    if (judgedKeys.size >= MAX_JUDGED_KEYS) judgedKeys.clear();
    judgedKeys.set(key, (kept = identityExclusionReason(key) === undefined));
  }
  return kept;
}

/**
 * Whether a label stays in the identity. Only labels from workload sources are filtered;
 * reserved, cidr and fqdn labels always stay.
 */
export function isIdentityLabel(l: Label): boolean {
  if (l.source === 'reserved' || l.source === 'cidr' || l.source === 'fqdn') return true;
  return isIdentityLabelKey(l.key);
}
