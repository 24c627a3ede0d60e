import { ReplayScope } from './replay-scope';
import { ReplayState } from './result';
import {
  GroupAccumulator,
  GroupIdentityJson,
  groupIdentity,
  GroupStatsJson,
  groupStats,
} from './group-accumulator';

export type { CappedJson } from './group-accumulator';

/**
 * The replay group file (README, "Replay across nodes"): a run's groups with everything needed to
 * merge them with other runs' into exactly the result of one run over all their lines.
 */
export const GROUP_FILE_KIND = 'cilium-lockdown/replay-groups';
export const GROUP_FILE_VERSION = 1;

/** One group: what identifies it and what it counted. */
export type GroupJson = GroupIdentityJson & GroupStatsJson;

export interface GroupFile {
  readonly kind: typeof GROUP_FILE_KIND;
  readonly version: typeof GROUP_FILE_VERSION;
  readonly scope: ReplayScope;
  readonly engineClusterName?: string;
  readonly input: { readonly name: string; readonly gzip: boolean };
  readonly lines: number;
  readonly evaluated: number;
  readonly skipped: number;
  readonly malformed: number;
  readonly skippedByReason: Readonly<Record<string, number>>;
  readonly malformedLines: ReadonlyArray<{ readonly line: number; readonly reason: string }>;
  readonly incomplete?: { readonly afterLine: number; readonly reason: string };
  /** `[cluster, evaluated flows]` in the order the clusters first came. */
  readonly clusters: ReadonlyArray<readonly [string, number]>;
  readonly groups: readonly GroupJson[];
  /**
   * Every connection (64-bit 5-tuple key) with the time of its first and last event (epoch ms,
   * -1 without a time) and the index in `groups` of the group its first event counted in.
   */
  readonly connections: {
    readonly keys: readonly string[];
    readonly first: readonly number[];
    readonly last: readonly number[];
    readonly group: readonly number[];
  };
}

/** The group file of a replay run with `recordConnections`. */
export function toGroupFile(state: ReplayState, scope: ReplayScope): GroupFile {
  const index = new Map<GroupAccumulator, number>();
  state.groups.forEach((g, i) => index.set(g, i));
  const keys: string[] = [];
  const first: number[] = [];
  const last: number[] = [];
  const group: number[] = [];
  for (const [key, span] of state.connections ?? []) {
    keys.push(key);
    first.push(span.first);
    last.push(span.last);
    group.push(index.get(span.group)!);
  }
  return {
    kind: GROUP_FILE_KIND,
    version: GROUP_FILE_VERSION,
    scope,
    ...(state.engineClusterName !== undefined ? { engineClusterName: state.engineClusterName } : {}),
    input: state.input,
    lines: state.lines,
    evaluated: state.evaluated,
    skipped: state.skipped,
    malformed: state.malformed,
    skippedByReason: Object.fromEntries(state.skippedByReason),
    malformedLines: state.malformedLines,
    ...(state.incomplete ? { incomplete: state.incomplete } : {}),
    clusters: [...state.clusters],
    groups: state.groups.map((g) => ({ ...groupIdentity(g), ...groupStats(g) })),
    connections: { keys, first, last, group },
  };
}

/** The group file as JSON text: one group per line, so a diff or `grep` of two files stays readable. */
export function groupFileText(file: GroupFile): string {
  const { groups, connections, ...head } = file;
  const headText = JSON.stringify(head, null, 2).slice(0, -2);
  const groupLines = groups.map((g) => `    ${JSON.stringify(g)}`).join(',\n');
  return `${headText},\n  "groups": [${groups.length ? `\n${groupLines}\n  ` : ''}],\n  "connections": ${JSON.stringify(connections)}\n}\n`;
}
