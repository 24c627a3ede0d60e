import { KubeManifest } from '../../manifest/types';
import { joinPath, splitPath } from '../../manifest/yaml-source';

/**
 * Values a later step fills in: Flux post-build substitutions (`${VAR}`, `${VAR:=default}`) and
 * documentation placeholders (`<app-label>`).
 */
const PLACEHOLDER = /\$\{[A-Za-z_][A-Za-z0-9_]*(?:[:=+?-][^}]*)?\}|<[A-Za-z][A-Za-z0-9_.-]*>/g;

export function hasPlaceholder(value: string): boolean {
  PLACEHOLDER.lastIndex = 0;
  return PLACEHOLDER.test(value);
}

/** A namespace of punctuation only (`_`, `-`) stands for the one kustomize or Flux sets. */
export function isNamespacePlaceholder(ns: string): boolean {
  return hasPlaceholder(ns) || /^[^A-Za-z0-9]+$/.test(ns);
}

export interface PlaceholderRef {
  /** Path of the value (or of the key, when the key holds the placeholder). */
  readonly path: string;
  readonly placeholders: readonly string[];
}

/** Every string (key or value) of a policy holding an unrendered substitution, in document order. */
export function placeholdersOf(policy: KubeManifest): PlaceholderRef[] {
  const out: PlaceholderRef[] = [];
  const add = (path: string, s: string): void => {
    PLACEHOLDER.lastIndex = 0;
    const found = s.match(PLACEHOLDER);
    if (found) out.push({ path, placeholders: found });
  };
  const visit = (v: unknown, path: string, depth: number): void => {
    if (depth > 64) return;
    if (typeof v === 'string') add(path, v);
    else if (Array.isArray(v)) v.forEach((x, i) => visit(x, joinPath(path, i), depth + 1));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        const at = joinPath(path, k);
        add(at, k);
        visit(x, at, depth + 1);
      }
    }
  };
  if (mayHoldPlaceholder(policy, 0)) visit(policy, '', 0);
  const ns = policy.metadata?.namespace;
  if (typeof ns === 'string' && !hasPlaceholder(ns) && isNamespacePlaceholder(ns))
    out.unshift({ path: 'metadata.namespace', placeholders: [ns] });
  return out;
}

/** Whether any key or string (within the depth `placeholdersOf` reads) holds `${` or `<`: most policies hold neither. */
function mayHoldPlaceholder(v: unknown, depth: number): boolean {
  if (depth > 64) return false;
  if (typeof v === 'string') return v.includes('${') || v.includes('<');
  if (Array.isArray(v)) return v.some((x) => mayHoldPlaceholder(x, depth + 1));
  if (!v || typeof v !== 'object') return false;
  for (const [k, x] of Object.entries(v)) {
    if (k.includes('${') || k.includes('<') || mayHoldPlaceholder(x, depth + 1)) return true;
  }
  return false;
}

/** Whether a finding at `findingPath` is about a value holding a placeholder (the value itself or inside it). */
export function aboutPlaceholder(findingPath: string, refs: readonly PlaceholderRef[]): boolean {
  const at = splitPath(findingPath);
  if (!at) return false;
  return refs.some((r) => {
    const ref = splitPath(r.path);
    return !!ref && ref.length <= at.length && ref.every((seg, i) => seg === at[i]);
  });
}
