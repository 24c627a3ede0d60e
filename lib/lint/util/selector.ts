import { CCNP_KIND, KubeManifest } from '../../manifest/types';
import { isSelectorOperator, splitSelectorKey } from '../../cilium/label-keys';
import { CLUSTER_KEY, Label, NAMESPACE_KEY, NAMESPACE_LABELS_PREFIX } from '../../cilium/labels';
import { isNamespacePlaceholder } from './placeholders';

/** The cluster name the linter assumes (Cilium's default `cluster-name`). */
export const DEFAULT_CLUSTER_NAME = 'default';
import { Requirement, requirementHolds } from '../../cilium/requirements';
import { asArray, isObject, PlainObject, text } from '../../util/shape';

/** Every key a selector names, with the raw text and its path (matchLabels and matchExpressions) below the selector's `at`. */
export function selectorKeys(
  selector: unknown,
  at: { readonly path: string },
): Array<{ readonly raw: string; readonly path: string }> {
  if (!isObject(selector)) return [];
  const out: SelectorKey[] = [];
  if (isObject(selector.matchLabels)) {
    for (const k of Object.keys(selector.matchLabels)) out.push(new SelectorKey(k, at, undefined));
  }
  asArray(selector.matchExpressions).forEach((e, i) => {
    if (isObject(e) && typeof e.key === 'string') out.push(new SelectorKey(e.key, at, i));
  });
  return out;
}

/** A key of a selector; its path is written only when a finding asks for it. */
class SelectorKey {
  constructor(
    readonly raw: string,
    private readonly selector: { readonly path: string },
    private readonly expression: number | undefined,
  ) {}

  get path(): string {
    return this.expression === undefined
      ? `${this.selector.path}.matchLabels[${JSON.stringify(this.raw)}]`
      : `${this.selector.path}.matchExpressions[${this.expression}].key`;
  }
}

/** The selector's requirements, or undefined when its shape is not a valid selector. */
export function requirementsOf(selector: unknown): Requirement[] | undefined {
  if (!isObject(selector)) return undefined;
  const out: Requirement[] = [];
  if (selector.matchLabels !== undefined) {
    if (!isObject(selector.matchLabels)) return undefined;
    for (const [k, v] of Object.entries(selector.matchLabels)) {
      const { source, key } = splitSelectorKey(k);
      out.push({ source, key, operator: 'In', values: [typeof v === 'string' ? v : text(v, '')] });
    }
  }
  if (selector.matchExpressions !== undefined) {
    if (!Array.isArray(selector.matchExpressions)) return undefined;
    for (const e of selector.matchExpressions) {
      if (!isObject(e) || typeof e.key !== 'string') return undefined;
      const op = e.operator;
      if (!isSelectorOperator(op)) return undefined;
      const { source, key } = splitSelectorKey(e.key);
      out.push({ source, key, operator: op, values: asArray(e.values).map((v) => text(v)) });
    }
  }
  return out;
}

export function requirementsMatch(reqs: readonly Requirement[], labels: readonly Label[]): boolean {
  return reqs.every((r) => requirementHolds(r, labels));
}

export function hasReservedKey(reqs: readonly Requirement[]): boolean {
  return reqs.some((r) => r.source === 'reserved');
}

/** Whether the selector scopes namespaces itself (pod-namespace key or namespace-labels key). */
export function namesNamespace(reqs: readonly Requirement[]): boolean {
  return reqs.some(
    (r) =>
      (r.key === NAMESPACE_KEY && (r.source === 'k8s' || r.source === 'any')) ||
      r.key.startsWith(NAMESPACE_LABELS_PREFIX),
  );
}

export function isCcnp(policy: KubeManifest): boolean {
  return policy.kind === CCNP_KIND;
}

/**
 * The namespace of a CNP, or undefined when it is unknown: not written (kubectl, kustomize or
 * Flux decide it at apply time) or an unrendered substitution such as `${NAMESPACE}`.
 */
export function policyNamespace(policy: KubeManifest): string | undefined {
  const ns = policy.metadata?.namespace;
  if (typeof ns !== 'string' || ns === '' || isNamespacePlaceholder(ns)) return undefined;
  return ns;
}

/** The requirement a CNP's namespace adds: `In [ns]`, or `Exists` (some namespace) when unknown. */
function namespaceRequirement(policy: KubeManifest): Requirement {
  const ns = policyNamespace(policy);
  return ns === undefined
    ? { source: 'k8s', key: NAMESPACE_KEY, operator: 'Exists', values: [] }
    : { source: 'k8s', key: NAMESPACE_KEY, operator: 'In', values: [ns] };
}

/** Whether a requirement holds for every endpoint of the local cluster (a subject only ever selects local endpoints). */
function holdsForLocalCluster(r: Requirement, clusterName: string): boolean {
  if (r.key !== CLUSTER_KEY || (r.source !== 'k8s' && r.source !== 'any')) return false;
  switch (r.operator) {
    case 'Exists':
      return true;
    case 'In':
      return r.values.includes(clusterName);
    case 'NotIn':
      return !r.values.includes(clusterName);
    case 'DoesNotExist':
      return false;
  }
}

/**
 * The subject selector as the agent applies it (CNP: policy namespace added, 1.6). A requirement
 * every endpoint of the cluster meets (`io.cilium.k8s.policy.cluster: <this cluster>`) is left out.
 */
export function effectiveSubject(
  policy: KubeManifest,
  rule: PlainObject,
  clusterName: string = DEFAULT_CLUSTER_NAME,
): Requirement[] | undefined {
  const reqs = requirementsOf(rule.endpointSelector)?.filter((r) => !holdsForLocalCluster(r, clusterName));
  if (!reqs) return undefined;
  if (isCcnp(policy)) return reqs;
  return [
    ...reqs.filter((r) => !(r.source === 'k8s' && r.key === NAMESPACE_KEY)),
    namespaceRequirement(policy),
  ];
}

/** A peer selector (`fromEndpoints`/`toEndpoints` item) as the agent applies it (1.6). */
export function effectivePeer(policy: KubeManifest, selector: unknown): Requirement[] | undefined {
  const reqs = requirementsOf(selector);
  if (!reqs) return undefined;
  if (hasReservedKey(reqs) || namesNamespace(reqs)) return reqs;
  if (isCcnp(policy)) return [...reqs, { source: 'k8s', key: NAMESPACE_KEY, operator: 'Exists', values: [] }];
  return [...reqs, namespaceRequirement(policy)];
}

/** Whether a selector has no requirement at all (`{}` or empty matchLabels/matchExpressions). */
export function isEmptySelector(selector: unknown): boolean {
  const reqs = requirementsOf(selector);
  return !!reqs && reqs.length === 0;
}

/**
 * Whether every endpoint matching `narrow` also matches `broad`, judged structurally: each
 * requirement of `broad` is implied by one of `narrow`. Conservative: false when unsure.
 */
export function selectorImplies(narrow: readonly Requirement[], broad: readonly Requirement[]): boolean {
  return broad.every((b) => narrow.some((n) => requirementImplies(n, b)));
}

function requirementImplies(n: Requirement, b: Requirement): boolean {
  if (n.key !== b.key) return false;
  if (b.source !== 'any' && n.source !== b.source) return false;
  const nIn = n.operator === 'In';
  switch (b.operator) {
    case 'Exists':
      return nIn || n.operator === 'Exists';
    case 'In':
      return nIn && n.values.every((v) => b.values.includes(v));
    case 'NotIn':
      return (
        (nIn && n.values.every((v) => !b.values.includes(v))) ||
        (n.operator === 'NotIn' && b.values.every((v) => n.values.includes(v))) ||
        n.operator === 'DoesNotExist'
      );
    case 'DoesNotExist':
      return n.operator === 'DoesNotExist';
  }
}

/** Formats a selector's requirements for messages, e.g. `{k8s:app=web, any:tier in (a,b)}`. */
export function formatRequirements(reqs: readonly Requirement[]): string {
  const parts = reqs.map((r) => {
    const k = `${r.source}:${r.key}`;
    switch (r.operator) {
      case 'In':
        return r.values.length === 1 ? `${k}=${r.values[0]}` : `${k} in (${r.values.join(',')})`;
      case 'NotIn':
        return `${k} notin (${r.values.join(',')})`;
      case 'Exists':
        return k;
      case 'DoesNotExist':
        return `!${k}`;
    }
  });
  return `{${parts.join(', ')}}`;
}
