import { createHash } from 'crypto';
import { EngineOptions } from '../engine/types';
import { SourcedManifest } from '../manifest/types';
import { byKey } from '../util/order';

/**
 * What a replay's groups depend on besides the flows: the policies, the engine options and the
 * flow filters. Group files record it; only groups with the same scope can be merged.
 */
export interface ReplayScope {
  readonly digests: {
    /** sha256 of the manifests replayed against (independent of file names and order). */
    readonly policies: string;
    /** sha256 of the engine options. */
    readonly engine: string;
    /** sha256 of the flow filters (`--namespace`, `--since`, `--until`). */
    readonly filters: string;
  };
  readonly engine: EngineOptions;
  readonly filters: ReplayFilters;
}

export interface ReplayFilters {
  readonly namespaces?: readonly string[];
  /** RFC 3339, UTC. */
  readonly since?: string;
  readonly until?: string;
}

export function replayScope(
  manifests: readonly SourcedManifest[],
  engine: EngineOptions,
  filters: { namespaces?: readonly string[]; since?: number; until?: number },
): ReplayScope {
  const each = manifests.map((m) => sha256(canonicalJson(m.manifest))).sort();
  const readable: ReplayFilters = {
    ...(filters.namespaces?.length ? { namespaces: [...new Set(filters.namespaces)].sort() } : {}),
    ...(filters.since !== undefined ? { since: new Date(filters.since).toISOString() } : {}),
    ...(filters.until !== undefined ? { until: new Date(filters.until).toISOString() } : {}),
  };
  return {
    digests: {
      policies: sha256(each.join('\n')),
      engine: sha256(canonicalJson(engine)),
      filters: sha256(canonicalJson(readable)),
    },
    engine,
    filters: readable,
  };
}

function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** JSON with object keys sorted at every level (undefined members left out). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(byKey);
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
