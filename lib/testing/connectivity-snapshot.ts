import type { Context } from 'jest-snapshot';
import { EngineOptions } from '../engine/types';
import { KubeManifest, SourcedManifest } from '../manifest/types';
import { computeMatrix } from '../matrix/compute';
import { optionSummary, policySummary } from '../matrix/edges';
import { ConnectivityMatrix, MatrixCell } from '../matrix/model';
import { parsePortList } from '../matrix/ports';

/**
 * Connectivity snapshots: the connectivity matrix of the manifests as a sorted, human-readable
 * table stored with jest's snapshots, so a pull request's snapshot diff reads as
 * `- webapp/webapp -> webapp/postgres 5432/TCP: DROPPED` / `+ ... 5432/TCP: FORWARDED`.
 */

export interface ConnectivitySnapshotOptions {
  /** Agent settings to evaluate under. @default - Cilium's defaults, enforcement on, no audit mode */
  readonly engine?: EngineOptions;
  /** Evaluate these ports for every destination (`'80/TCP,53/UDP'`) instead of the discovered ones. */
  readonly ports?: string;
  /** Add the deciding rules to every line (the snapshot then changes when a rule moves). @default false */
  readonly rules?: boolean;
  /** Further manifests holding workloads. */
  readonly workloads?: readonly KubeManifest[];
  /** Names the snapshot when a test takes more than one. */
  readonly hint?: string;
}

function verdict(c: MatrixCell): string {
  return c.verdict === 'FORWARDED' && !c.policyInvolved ? 'FORWARDED (no policy)' : c.verdict;
}

/**
 * One line per source, destination and port, in the matrix's order (workloads, entities, CIDRs,
 * DNS names; then by id and port), after `#` lines naming the policies and the agent settings.
 */
export function connectivityTable(m: ConnectivityMatrix, options: { readonly rules?: boolean } = {}): string {
  const lines = [`# ${policySummary(m)}; ${optionSummary(m)}`];
  if (m.fqdnExamples.length > 0)
    lines.push(
      `# DNS name examples: ${m.fqdnExamples.map((e) => `${e.example} for ${e.pattern}`).join(', ')}`,
    );
  for (const w of m.warnings) lines.push(`# warning: ${w}`);
  for (const c of m.cells) {
    const rules = options.rules && c.rules.length > 0 ? ` [${c.rules.join('; ')}]` : '';
    lines.push(`${c.from} -> ${c.to} ${c.port.text}: ${verdict(c)}${rules}`);
  }
  return `${lines.join('\n')}\n`;
}

function asSourced(list: readonly KubeManifest[]): SourcedManifest[] {
  return list.map((manifest) => ({ manifest }));
}

export function connectivityTableOf(
  manifests: readonly KubeManifest[],
  options: ConnectivitySnapshotOptions = {},
): string {
  const matrix = computeMatrix(
    { policies: asSourced(manifests), workloads: asSourced(options.workloads ?? []) },
    {
      engine: options.engine ?? {},
      ...(options.ports !== undefined ? { ports: parsePortList(options.ports) } : {}),
    },
  );
  return connectivityTable(matrix, options);
}

/**
 * `expect(manifests).toMatchConnectivitySnapshot()`. Register with
 * `expect.extend(connectivitySnapshotMatchers)`; needs jest (it uses jest's own snapshot files,
 * so `jest -u` updates it and `jest --ci` refuses to write a missing one).
 */
export const connectivitySnapshotMatchers = {
  toMatchConnectivitySnapshot(
    this: unknown,
    received: unknown,
    options: ConnectivitySnapshotOptions = {},
  ): { pass: boolean; message(): string } {
    if (!Array.isArray(received))
      throw new Error(
        'expect(manifests).toMatchConnectivitySnapshot(): pass the manifests, e.g. Testing.synth(chart)',
      );
    const table = connectivityTableOf(received as KubeManifest[], options);
    // Loaded here, not at the top: the library is also used outside jest.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { toMatchSnapshot } = require('jest-snapshot') as typeof import('jest-snapshot');
    // jest's snapshot matcher answers synchronously.
    return (
      options.hint === undefined
        ? toMatchSnapshot.call(this as Context, table)
        : toMatchSnapshot.call(this as Context, table, options.hint)
    ) as { pass: boolean; message(): string };
  },
};

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** The manifests' connectivity table matches the stored snapshot (see ConnectivitySnapshotOptions). */
      toMatchConnectivitySnapshot(options?: ConnectivitySnapshotOptions): R;
    }
  }
}
