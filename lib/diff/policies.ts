import { CNP_KIND, isCiliumPolicy, KubeManifest, SourcedManifest } from '../manifest/types';
import { DiffInputError } from './errors';
import { PolicyChange } from './model';
import { compareStrings } from '../util/order';
import { describeObject } from '../manifest/object-ref';
import { isObject } from '../util/shape';

/** Which policies a change adds, removes or edits, and the fields it edits. */

export const MAX_CHANGED_FIELDS = 8;

interface Located {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly where: string;
  readonly content: unknown;
}

function where(s: SourcedManifest): string {
  return s.file ? `${s.file}${s.line ? `:${s.line}` : ''}` : '<inline>';
}

/** What a policy means: its rules, labels and annotations (not metadata the API server sets). */
function content(m: KubeManifest): unknown {
  return {
    spec: m.spec,
    specs: m.specs,
    labels: m.metadata?.labels,
    annotations: m.metadata?.annotations,
  };
}

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.keys(x)
            .sort()
            .map((k) => [k, (x as Record<string, unknown>)[k]]),
        )
      : x,
  );
}

/**
 * The policies of one side by `kind/namespace/name`. A policy given twice with different content
 * is refused: which one applies would depend on the order of the files.
 */
function index(side: 'base' | 'head', manifests: readonly SourcedManifest[]): Map<string, Located> {
  const out = new Map<string, Located>();
  for (const s of manifests) {
    const m = s.manifest;
    if (!isCiliumPolicy(m) || typeof m.metadata?.name !== 'string') continue;
    const namespace = m.kind === CNP_KIND ? m.metadata.namespace || 'default' : undefined;
    const key = `${m.kind}|${namespace ?? ''}|${m.metadata.name}`;
    const located: Located = {
      kind: m.kind!,
      namespace,
      name: m.metadata.name,
      where: where(s),
      content: content(m),
    };
    const prev = out.get(key);
    if (prev && canonical(prev.content) !== canonical(located.content)) {
      const [a, b] = [prev.where, located.where].sort(compareStrings);
      throw new DiffInputError(
        `${side}: ${describeObject({ kind: m.kind, namespace, name: m.metadata.name })} is defined twice with different content (${a}, ${b}); ` +
          'which one applies would depend on the file order: remove one',
      );
    }
    if (!prev || compareStrings(located.where, prev.where) < 0) out.set(key, located);
  }
  return out;
}

/** Paths where two values differ; a list whose length changed is one path. */
function changedPaths(a: unknown, b: unknown, path: string, out: string[]): void {
  if (canonical(a) === canonical(b)) return;
  if (isObject(a) && isObject(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareStrings)) {
      changedPaths(a[k], b[k], path ? `${path}.${k}` : k, out);
    }
  } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => changedPaths(x, b[i], `${path}[${i}]`, out));
  } else {
    out.push(path);
  }
}

function fieldPath(path: string): string {
  return path.replace(/^(labels|annotations)/, 'metadata.$1');
}

export function diffPolicies(
  base: readonly SourcedManifest[],
  head: readonly SourcedManifest[],
): PolicyChange[] {
  const b = index('base', base);
  const h = index('head', head);
  const out: Array<PolicyChange & { key: string }> = [];
  for (const key of new Set([...b.keys(), ...h.keys()])) {
    const before = b.get(key);
    const after = h.get(key);
    const p = (after ?? before)!;
    const id = {
      key,
      kind: p.kind,
      ...(p.namespace !== undefined ? { namespace: p.namespace } : {}),
      name: p.name,
    };
    if (!before) out.push({ change: 'added', ...id, head: after!.where });
    else if (!after) out.push({ change: 'removed', ...id, base: before.where });
    else {
      const paths: string[] = [];
      changedPaths(before.content, after.content, '', paths);
      if (paths.length === 0) continue;
      const fields = paths.map(fieldPath);
      out.push({
        change: 'changed',
        ...id,
        base: before.where,
        head: after.where,
        fields: fields.slice(0, MAX_CHANGED_FIELDS),
        ...(fields.length > MAX_CHANGED_FIELDS ? { moreFields: fields.length - MAX_CHANGED_FIELDS } : {}),
      });
    }
  }
  return out.sort((x, y) => compareStrings(x.key, y.key)).map(({ key: _key, ...rest }) => rest);
}
