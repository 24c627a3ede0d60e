import { CONNECTION_WINDOW_MS } from './connections';
import { GroupFile } from './group-file';
import { accumulatorOf, contentKey, GroupAccumulator, mergeGroupStats } from './group-accumulator';
import { ReplayScope } from './replay-scope';
import { ReplayInputError } from './replay-input-error';
import { addCounts, emptyReplayState } from './record';
import { finishReplay } from './finish';
import { ConnectionSpan, ReplayPartSummary, ReplayResult, ReplayState } from './result';

export interface GroupFilePart {
  /** Where it was read from (named in messages and in the result's `parts`). */
  readonly path: string;
  readonly file: GroupFile;
}

/**
 * Merges group files into the result of one run over their lines, the parts' lines numbered one
 * after the other in the order given: counts, first/last seen, nodes, examples, malformed and
 * skipped lines, clusters, connections (a connection whose events fall in two parts within two
 * minutes counts once, as in one run). Parts must share `scope` (the same policies, engine
 * options and filters); a mismatch is a ReplayInputError.
 */
export function mergeGroupFiles(parts: readonly GroupFilePart[], scope: ReplayScope): ReplayResult {
  if (!parts.length) throw new ReplayInputError('--groups: no group files given');
  checkCompatible(parts, scope);
  const groups = new Map<string, GroupAccumulator>();
  const state = emptyReplayState(
    { name: mergedName(parts), gzip: parts.every((p) => p.file.input.gzip) },
    true,
  );
  const summaries = parts.map((part) => mergePart(state, groups, part));
  return finishReplay(state, undefined, summaries);
}

/** Adds one group file, its lines numbered after those merged before it. */
function mergePart(
  state: ReplayState,
  groups: Map<string, GroupAccumulator>,
  { path, file }: GroupFilePart,
): ReplayPartSummary {
  const offset = state.lines;
  const local = file.groups.map((g) => {
    const acc = accumulatorOf(g, offset + g.firstLine);
    const key = contentKey(acc);
    const known = groups.get(key);
    if (!known) {
      groups.set(key, acc);
      state.groups.push(acc);
    }
    mergeGroupStats(known ?? acc, g);
    return known ?? acc;
  });
  mergeConnections(state.connections!, file, local);
  addCounts(state, { ...file, skippedByReason: Object.entries(file.skippedByReason) });
  const incomplete = file.incomplete
    ? {
        afterLine: offset + file.incomplete.afterLine,
        reason: `${file.input.name} (${path}): ${file.incomplete.reason}`,
      }
    : undefined;
  if (incomplete && !state.incomplete) state.incomplete = incomplete;
  if (file.engineClusterName !== undefined) state.engineClusterName ??= file.engineClusterName;
  return {
    file: path,
    input: file.input.name,
    firstLine: offset + 1,
    lines: file.lines,
    evaluated: file.evaluated,
    skipped: file.skipped,
    malformed: file.malformed,
    ...(incomplete ? { incomplete } : {}),
  };
}

function mergedName(parts: readonly GroupFilePart[]): string {
  const names = parts.map((p) => p.file.input.name);
  return names.length <= 3
    ? names.join(' + ')
    : `${names.slice(0, 2).join(' + ')} + ${names.length - 2} more parts`;
}

function checkCompatible(parts: readonly GroupFilePart[], scope: ReplayScope): void {
  const seen = new Set<string>();
  let cluster: { name: string; path: string } | undefined;
  const first = parts[0];
  for (const { path, file } of parts) {
    if (seen.has(path))
      throw new ReplayInputError(`--groups: ${path} given twice: its flows would be counted twice`);
    seen.add(path);
    const d = file.scope.digests;
    if (d.policies !== scope.digests.policies) {
      throw new ReplayInputError(
        `${path}: saved with other policies (${d.policies}) than --policies (${scope.digests.policies}): save every part with the same manifests, and merge with them`,
      );
    }
    if (d.engine !== scope.digests.engine) {
      throw new ReplayInputError(
        `${path}: saved with other engine options (${JSON.stringify(file.scope.engine)}) than this merge (${JSON.stringify(scope.engine)}): use the same --enforcement, --allow-localhost, --cluster-name and --cidr-match-nodes everywhere`,
      );
    }
    if (d.filters !== first.file.scope.digests.filters) {
      throw new ReplayInputError(
        `${path}: saved with other filters (${JSON.stringify(file.scope.filters)}) than ${first.path} (${JSON.stringify(first.file.scope.filters)}): use the same --namespace, and --since/--until as RFC 3339 times (a duration means a different time on each node)`,
      );
    }
    if (file.engineClusterName !== undefined) {
      if (cluster && cluster.name !== file.engineClusterName) {
        throw new ReplayInputError(
          `${path}: evaluated for cluster ${file.engineClusterName}, ${cluster.path} for cluster ${cluster.name} (taken from the flows): save every part with the same --cluster-name`,
        );
      }
      cluster ??= { name: file.engineClusterName, path };
    }
  }
}

/**
 * A part counted the first event of each of its connections as new. In one run over all parts,
 * that event is not new when an earlier part saw the same 5-tuple within two minutes of it.
 */
function mergeConnections(
  all: Map<string, ConnectionSpan>,
  file: GroupFile,
  local: readonly GroupAccumulator[],
): void {
  const c = file.connections;
  for (let i = 0; i < c.keys.length; i++) {
    const group = local[c.group[i]];
    const known = all.get(c.keys[i]);
    if (!known) {
      all.set(c.keys[i], { first: c.first[i], last: c.last[i], group });
      continue;
    }
    const first = c.first[i];
    const isNew = first !== -1 && known.last !== -1 && Math.abs(first - known.last) > CONNECTION_WINDOW_MS;
    if (!isNew) group.connections--;
    known.last = c.last[i];
  }
}
