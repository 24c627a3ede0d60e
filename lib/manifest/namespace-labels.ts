import { readLabels } from './workload';
import { asObject, isObject } from '../util/shape';

/**
 * Namespace name -> its labels, from the Namespace manifests among `manifests` (Cilium puts them
 * in the identity of every pod of the namespace). The one reader for the linter, the matrix and
 * the jest matchers.
 */
export function namespaceLabels(manifests: Iterable<unknown>): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const m of manifests) {
    if (!isObject(m) || m.kind !== 'Namespace') continue;
    if (m.apiVersion !== undefined && m.apiVersion !== 'v1') continue;
    const metadata = asObject(m.metadata);
    if (typeof metadata.name !== 'string' || metadata.name === '') continue;
    out.set(metadata.name, readLabels(metadata.labels, 'metadata.labels', []));
  }
  return out;
}
