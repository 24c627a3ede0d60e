import { ImportEdge, layerOf } from './import-graph';

/**
 * The layers of lib/ and what each may import (README, "Layout"). A layer not listed here fails
 * the test until it is given its place.
 */
const BOTTOM = ['util', 'cilium', 'manifest'];
const ANALYSIS = [...BOTTOM, 'engine'];
const CONSTRUCTS = [...ANALYSIS, 'lint', 'imports'];

export const ALLOWED_LAYERS: Readonly<Record<string, readonly string[]>> = {
  util: [],
  cilium: ['util'],
  manifest: ['util', 'cilium'],
  engine: BOTTOM,
  lint: ANALYSIS,
  policy: CONSTRUCTS,
  patterns: [...CONSTRUCTS, 'policy'],
  helm: [...CONSTRUCTS, 'policy', 'patterns'],
  hubble: ANALYSIS,
  replay: [...ANALYSIS, 'lint', 'hubble'],
  suggest: [...ANALYSIS, 'lint', 'hubble', 'replay'],
  matrix: ANALYSIS,
  diff: [...ANALYSIS, 'matrix'],
  plugin: [...ANALYSIS, 'lint'],
  testing: [...CONSTRUCTS, 'policy', 'patterns', 'matrix'],
  // The `/tools` subpath's entry point: the analysis layers, the replay and its rollout gate, and
  // the value checks of the constructs.
  tools: [...ANALYSIS, 'lint', 'matrix', 'diff', 'policy', 'helm', 'hubble', 'replay'],
  imports: [],
};

/** Packages only some layers may use: the CLI parser, cdk8s and constructs, jest. */
const RESTRICTED_PACKAGES: Readonly<Record<string, readonly string[]>> = {
  commander: ['cli'],
  cdk8s: ['policy', 'patterns', 'helm', 'testing', 'imports', 'index'],
  // Workloads and Services are read from what any construct synthesizes: no cdk8s-plus version in lib/.
  'cdk8s-plus-28': [],
  'cdk8s-plus-33': [],
  constructs: ['policy', 'patterns', 'helm', 'testing', 'imports', 'index'],
  'jest-snapshot': ['testing'],
};

/**
 * Layers that never touch the file system, processes or the network: they take values, callers do
 * the I/O (worker threads are allowed: they compute).
 */
const PURE_LAYERS = new Set(['util', 'cilium', 'engine', 'lint', 'matrix', 'diff']);
const IO_MODULES = new Set([
  'fs',
  'fs/promises',
  'child_process',
  'zlib',
  'os',
  'readline',
  'net',
  'http',
  'https',
]);

/** Why an edge is forbidden, or undefined when the layers allow it. */
export function forbiddenReason(edge: ImportEdge): string | undefined {
  const from = layerOf(edge.file);
  if (from === undefined) return undefined;
  if ('pkg' in edge.target) {
    const pkg = edge.target.pkg;
    const allowed = RESTRICTED_PACKAGES[pkg];
    if (allowed && !allowed.includes(from))
      return allowed.length
        ? `lib/${from} may not use ${pkg} (only ${allowed.join(', ')})`
        : `lib/ does not use ${pkg}`;
    if (PURE_LAYERS.has(from) && IO_MODULES.has(pkg))
      return `lib/${from} does no I/O; the caller reads and writes and passes values (${pkg})`;
    return undefined;
  }
  const to = edge.target.layer;
  if (to === from) return undefined;
  if (to.startsWith('outside lib')) return `lib/ imports ${to}`;
  if (to === 'cli') return 'lib/cli is on top: nothing in lib/ imports it';
  if (to === 'index') return 'lib/index.ts is the package entry point: import the module itself';
  if (from === 'cli' || from === 'index') return undefined;
  const allowed = ALLOWED_LAYERS[from];
  if (!allowed) return `lib/${from} has no place in the layer table (test/architecture/layers.ts)`;
  if (!allowed.includes(to))
    return `lib/${from} may import only ${allowed.length ? allowed.join(', ') : 'no other layer'}, not lib/${to}`;
  return undefined;
}

/** `lib/x.ts:3: lib/engine may import only ..., not lib/matrix ('../matrix/model')`. */
export function violations(edges: readonly ImportEdge[]): string[] {
  const out: string[] = [];
  for (const e of edges) {
    const reason = forbiddenReason(e);
    if (reason) out.push(`${e.file}:${e.line}: ${reason} ('${e.specifier}')`);
  }
  return out;
}
