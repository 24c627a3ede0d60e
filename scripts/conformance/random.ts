/**
 * The randomized differential run: a seeded batch of generated vectors through one oracle
 * process, the engine compared on every flow, and the first disagreement shrunk by fast-check
 * (one oracle call per shrink candidate) to a minimal vector, written as a regression vector.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { clusterView, compareEngine, EngineDiff } from './compare';
import { vectorArbitrary } from './generator';
import { minimize } from './minimize';
import {
  ConformanceVector,
  FlowExpectation,
  OracleVectorResult,
  REPO_ROOT,
  runOracleOn,
  VECTOR_DIR,
} from './vectors';

export interface RandomRunOptions {
  readonly seed: number;
  readonly runs: number;
  /** Write the shrunk counterexample to conformance/vectors/regression-*.json. @default true */
  readonly writeRegression?: boolean;
  /** Oracle calls fast-check's shrinker may make, and as many again for the greedy reducer. @default 400 */
  readonly shrinkBudget?: number;
}

export interface RandomRunResult {
  readonly vectors: number;
  readonly flows: number;
  readonly comparedFlows: number;
  readonly excluded: Readonly<Record<string, number>>;
  /** Generated vectors on which the engine and the oracle disagree. */
  readonly failingVectors: number;
  /** Disagreement lines, first vectors first (capped for printing by the caller). */
  readonly disagreements: readonly string[];
  /** The shrunk counterexample and where it was written. */
  readonly regression?: {
    readonly file?: string;
    readonly vector: ConformanceVector;
    readonly disagreements: readonly string[];
  };
  readonly millis: {
    readonly generate: number;
    readonly oracle: number;
    readonly engine: number;
    readonly shrink: number;
  };
  /** The generated vectors and the oracle's results on their cluster views (for the lint stage). */
  readonly samples: readonly ConformanceVector[];
  readonly oracle: readonly OracleVectorResult[];
}

function diffOne(vector: ConformanceVector): EngineDiff {
  const view = clusterView(vector);
  return compareEngine(vector, view, runOracleOn([view.vector])[0]);
}

/** A disagreement line without flow and policy names and engine notes: what kind of disagreement it is. */
function signature(line: string): string {
  return line
    .replace(/^f\d+: /, '')
    .replace(/ \(engine: .*$/, '')
    .replace(/^policies: \S+ \S+: .*?(engine \w+ it).*/, '$1');
}

/** The disagreements of a vector, as signatures; empty for unusable candidates (the reducer may produce those). */
function failures(vector: ConformanceVector): Set<string> {
  try {
    const d = diffOne(vector);
    if (d.disagreements.some((l) => /oracle error|engine threw|no oracle result/.test(l))) return new Set();
    return new Set(d.disagreements.map(signature));
  } catch {
    return new Set();
  }
}

/** The same values fc.check will see for this seed, in order (the property only records them). */
function generate(seed: number, runs: number): ConformanceVector[] {
  const out: ConformanceVector[] = [];
  fc.check(
    fc.property(vectorArbitrary(), (v) => {
      out.push(v);
      return true;
    }),
    { seed, numRuns: runs },
  );
  return out;
}

export function runRandomized(options: RandomRunOptions): RandomRunResult {
  const t0 = Date.now();
  const vectors = generate(options.seed, options.runs);
  const t1 = Date.now();
  const views = vectors.map(clusterView);
  const results = runOracleOn(views.map((v) => v.vector));
  const t2 = Date.now();
  const excluded: Record<string, number> = {};
  const disagreements: string[] = [];
  let comparedFlows = 0;
  let flows = 0;
  let firstFailing = -1;
  let failingVectors = 0;
  vectors.forEach((v, i) => {
    flows += v.flows.length;
    const d = compareEngine(v, views[i], results[i]);
    comparedFlows += d.compared;
    for (const [k, n] of Object.entries(d.excluded)) excluded[k] = (excluded[k] ?? 0) + n;
    if (d.disagreements.length === 0) return;
    failingVectors++;
    if (firstFailing < 0) firstFailing = i;
    disagreements.push(...d.disagreements.map((l) => `random #${i} › ${l}`));
  });
  const t3 = Date.now();
  const regression = firstFailing < 0 ? undefined : shrink(options, firstFailing);
  const t4 = Date.now();
  return {
    vectors: vectors.length,
    flows,
    comparedFlows,
    excluded,
    failingVectors,
    disagreements,
    samples: vectors,
    oracle: results,
    ...(regression ? { regression } : {}),
    millis: { generate: t1 - t0, oracle: t2 - t1, engine: t3 - t2, shrink: t4 - t3 },
  };
}

/** Replays run `index` of the seed (fast-check `path`) and shrinks it, calling the oracle per candidate. */
function shrink(options: RandomRunOptions, index: number): RandomRunResult['regression'] {
  const budget = options.shrinkBudget ?? 400;
  let calls = 0;
  // Shrinking keeps the kind of disagreement first seen, so it cannot drift to another one.
  let wanted: Set<string> | undefined;
  const stillFails = (v: ConformanceVector): boolean => {
    const found = failures(v);
    if (!wanted) wanted = found;
    return [...found].some((s) => wanted!.has(s));
  };
  const outcome = fc.check(
    fc.property(vectorArbitrary(), (v) => {
      // Past the budget every candidate "passes", so shrinking stops at the smallest failure so far.
      if (++calls > budget) return true;
      return !stillFails(v);
    }),
    { seed: options.seed, path: String(index), numRuns: options.runs },
  );
  if (!outcome.failed || !outcome.counterexample) return undefined;
  const minimal = minimize(outcome.counterexample[0], stillFails, budget);
  const view = clusterView(minimal);
  const oracle = runOracleOn([view.vector])[0];
  const d = compareEngine(minimal, view, oracle);
  // Expectations come from the oracle on the vector as written (what check-oracle runs it on).
  const asWritten = view.vector === minimal ? oracle : runOracleOn([minimal])[0];
  const vector = asRegression(minimal, asWritten, options.seed, index, d.disagreements);
  if (options.writeRegression === false) return { vector, disagreements: d.disagreements };
  const hash = createHash('sha256')
    .update(JSON.stringify(vector.policies) + JSON.stringify(vector.flows))
    .digest('hex')
    .slice(0, 10);
  const file = join(VECTOR_DIR, `regression-${hash}.json`);
  writeFileSync(file, `${JSON.stringify({ ...vector, name: `regression-${hash}` }, null, 2)}\n`);
  return { file: relative(REPO_ROOT, file), vector, disagreements: d.disagreements };
}

/** The shrunk vector with the oracle's answers as its expectations (the oracle wins). */
function asRegression(
  v: ConformanceVector,
  oracle: OracleVectorResult,
  seed: number,
  index: number,
  lines: readonly string[],
): ConformanceVector {
  const flows = v.flows.map((c, i) => {
    const o = oracle.flows[i];
    const expect: FlowExpectation = o.unsupported
      ? { unsupported: true }
      : { verdict: o.verdict, egress: o.egress, ingress: o.ingress };
    return { ...c, expect };
  });
  const rejected = oracle.policies.filter((p) => !p.accepted).map((p) => p.name);
  return {
    name: 'regression',
    section: 'random',
    description: `Shrunk from the randomized run (seed ${seed}, run ${index}). Engine disagreed: ${lines.join(' | ')}`,
    ...(v.options && Object.keys(v.options).length ? { options: v.options } : {}),
    policies: v.policies,
    flows,
    ...(rejected.length ? { expectRejected: rejected } : {}),
  };
}
