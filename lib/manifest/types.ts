import { PlainObject } from '../util/shape';
import type { SourceIssue } from './yaml-source';
import { describeObject } from './object-ref';

/** A parsed Kubernetes object as plain data (what `kubectl apply` would read). */
export interface KubeManifest {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

/** A manifest together with where it came from, for error messages and reports. */
export interface SourcedManifest {
  readonly manifest: KubeManifest;
  /** File the manifest was read from, or a synthetic origin such as a construct path. */
  readonly file?: string;
  /** 1-based line of the document (or `List` item) start in `file`. */
  readonly line?: number;
  /** The line of a field (lint path notation) in `file`, when the manifest was read from YAML. */
  readonly locate?: (path: string) => number | undefined;
  /** Problems of the YAML text the parsed value hides (repeated keys). */
  readonly sourceIssues?: readonly SourceIssue[];
}

export const CNP_KIND = 'CiliumNetworkPolicy';
export const CCNP_KIND = 'CiliumClusterwideNetworkPolicy';
export const CILIUM_API_VERSION = 'cilium.io/v2';

export type CiliumPolicyKind = typeof CNP_KIND | typeof CCNP_KIND;

export function isCiliumPolicy(m: KubeManifest | undefined | null): boolean {
  return isCiliumPolicyKind(m) && typeof m!.apiVersion === 'string' && m!.apiVersion.startsWith('cilium.io/');
}

/** A CNP or CCNP by its kind alone, whatever its apiVersion (the linter reports a wrong one). */
export function isCiliumPolicyKind(m: KubeManifest | undefined | null): boolean {
  return !!m && typeof m === 'object' && (m.kind === CNP_KIND || m.kind === CCNP_KIND);
}

/** The rules of a policy, with their spec path prefix (`spec` or `specs[i]`). */
export function policyRules(m: KubeManifest): Array<{ readonly rule: PlainObject; readonly path: string }> {
  const out: Array<{ rule: PlainObject; path: string }> = [];
  // Arrays too: the engine and the linter report a spec of the wrong shape themselves.
  if (m.spec && typeof m.spec === 'object') out.push({ rule: m.spec as PlainObject, path: 'spec' });
  if (Array.isArray(m.specs)) {
    m.specs.forEach((rule: unknown, i: number) => {
      if (rule && typeof rule === 'object') out.push({ rule: rule as PlainObject, path: `specs[${i}]` });
    });
  }
  return out;
}

/** `CiliumNetworkPolicy ns/name` or `CiliumClusterwideNetworkPolicy name`. */
export function describeManifest(m: KubeManifest): string {
  return describeObject({
    kind: m.kind,
    namespace: m.metadata?.namespace,
    name: m.metadata?.name ?? '<unnamed>',
  });
}
