/**
 * The conformance run against Cilium v1.20.0's own code (the Go oracle), in five stages:
 *
 *   vectors     the hand-written vectors' expectations against the oracle
 *   engine      lib/engine against the oracle on every vector (conformance/README.md, "What is compared")
 *   random      lib/engine against the oracle on seeded random vectors; the first disagreement is
 *               shrunk and written to conformance/vectors/regression-*.json
 *   lint        lib/lint: an error on every policy Cilium rejects, none on what it accepts
 *   constructs  every policy the examples and random construct props synthesize is accepted
 *
 *   tsx scripts/conformance/check-oracle.ts [--seed N] [--runs N] [--construct-runs N]
 *       [--mutation-runs N] [--only stage,...] [--no-regression] [vector.json ...]
 *
 * Vector files given limit the vector-based stages to them. Exit 0 when everything agrees, 1 on a
 * disagreement, 2 when the oracle or a vector is unusable. The last line is `conformance: N passed, M failed`.
 */
import { relative } from 'node:path';
import fc from 'fast-check';
import { clusterView, compareEngine, manifestId } from './compare';
import { examplePolicies, randomConstructPolicies, SynthesizedPolicies } from './constructs';
import { crdRejection } from './crd-gate';
import { checkVector } from './expectations';
import { checkLint, JudgedPolicy } from './lint-check';
import { invalidPolicyArbitrary } from './mutations';
import { runRandomized } from './random';
import {
  LoadedVector,
  loadVectors,
  OracleVectorResult,
  REPO_ROOT,
  runOracle,
  runOracleOn,
  vectorFiles,
} from './vectors';

const STAGES = ['vectors', 'engine', 'random', 'lint', 'constructs'] as const;
type Stage = (typeof STAGES)[number];

interface Args {
  readonly seed: number;
  readonly runs: number;
  readonly constructRuns: number;
  readonly mutationRuns: number;
  readonly stages: ReadonlySet<Stage>;
  readonly writeRegression: boolean;
  readonly files: string[];
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Args {
  const numbers: Record<string, number> = {
    '--runs': 2000,
    '--construct-runs': 100,
    '--mutation-runs': 1000,
  };
  let seed = Date.now() % 2 ** 31;
  let stages: Set<Stage> = new Set(STAGES);
  let writeRegression = true;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    const integer = (v: string) => {
      if (!/^[0-9]+$/.test(v)) throw new UsageError(`${a} takes a non-negative integer, got "${v}"`);
      return Number(v);
    };
    if (a === '--seed') seed = integer(value());
    else if (a in numbers) numbers[a] = integer(value());
    else if (a === '--only') {
      const wanted = value()
        .split(',')
        .map((s) => s.trim());
      const bad = wanted.filter((s) => !(STAGES as readonly string[]).includes(s));
      if (bad.length)
        throw new UsageError(`--only: unknown stage ${bad.join(', ')}; stages are ${STAGES.join(', ')}`);
      stages = new Set(wanted as Stage[]);
    } else if (a === '--no-regression') writeRegression = false;
    else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else files.push(a);
  }
  return {
    seed,
    runs: numbers['--runs'],
    constructRuns: numbers['--construct-runs'],
    mutationRuns: numbers['--mutation-runs'],
    stages,
    writeRegression,
    files,
  };
}

interface StageResult {
  passed: number;
  failures: string[];
}

const SHOWN_FAILURES = 40;

function report(stage: string, r: StageResult, detail: string, seconds: number): void {
  for (const f of r.failures.slice(0, SHOWN_FAILURES)) console.log(`✗ ${stage} › ${f}`);
  if (r.failures.length > SHOWN_FAILURES)
    console.log(`✗ ${stage} › ... and ${r.failures.length - SHOWN_FAILURES} more`);
  console.log(
    `${r.failures.length === 0 ? '✓' : '✗'} ${stage}: ${r.passed} passed, ${r.failures.length} failed — ${detail} (${seconds.toFixed(1)} s)`,
  );
}

function timed<T>(f: () => T): [T, number] {
  const t = Date.now();
  const v = f();
  return [v, (Date.now() - t) / 1000];
}

function stageVectors(loaded: readonly LoadedVector[], results: readonly OracleVectorResult[]): StageResult {
  const out: StageResult = { passed: 0, failures: [] };
  loaded.forEach((lv, i) => {
    const o = checkVector(lv, results[i]);
    out.passed += o.passed;
    out.failures.push(...o.failures);
  });
  return out;
}

function stageEngine(loaded: readonly LoadedVector[]): [StageResult, string] {
  const views = loaded.map((lv) => clusterView(lv.vector));
  const results = runOracleOn(views.map((v) => v.vector));
  const out: StageResult = { passed: 0, failures: [] };
  let flows = 0;
  let undecided = 0;
  let unsupported = 0;
  loaded.forEach((lv, i) => {
    const d = compareEngine(lv.vector, views[i], results[i]);
    flows += d.compared;
    undecided += d.excluded['engine-undecided'];
    unsupported += d.excluded['oracle-unsupported'];
    if (d.disagreements.length === 0) out.passed++;
    else
      out.failures.push(
        ...d.disagreements.map((l) => `${relative(REPO_ROOT, lv.file)} › ${lv.vector.name} › ${l}`),
      );
  });
  return [
    out,
    `${loaded.length} vectors, ${flows} flows compared; excluded: ${undecided} engine-UNDECIDED sides, ${unsupported} oracle-unsupported flows`,
  ];
}

/**
 * Pairs policies with the oracle's verdicts (in input order). With `viewOnly`, the oracle ran on
 * the cluster view: policies the CRD gate removed have no verdict of their own (the gate rejects them).
 */
function judged(
  origin: string,
  policies: readonly Record<string, unknown>[],
  oracle: OracleVectorResult,
  viewOnly = false,
): JudgedPolicy[] {
  let next = 0;
  return policies.map((m) => {
    const removed = viewOnly && crdRejection(m) !== undefined;
    const verdict = removed ? { kind: String(m.kind), name: '', accepted: true } : oracle.policies[next++];
    return {
      origin,
      manifest: m,
      oracle: verdict ?? { kind: String(m.kind), name: '', accepted: false, error: 'no oracle result' },
    };
  });
}

function main(): number {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`conformance: ${e.message}`);
      return 2;
    }
    throw e;
  }
  console.log(`conformance against Cilium v1.20.0: seed ${args.seed} (rerun with --seed ${args.seed})`);
  const files = vectorFiles(args.files);
  let loaded: LoadedVector[];
  let results: OracleVectorResult[];
  try {
    loaded = loadVectors(files);
    results = runOracle(files);
    if (results.length !== loaded.length)
      throw new Error(`${loaded.length} vectors but ${results.length} oracle results`);
  } catch (e) {
    console.error(`conformance: ${(e as Error).message}`);
    return 2;
  }
  let passed = 0;
  let failed = 0;
  const add = (stage: string, r: StageResult, detail: string, seconds: number) => {
    report(stage, r, detail, seconds);
    passed += r.passed;
    failed += r.failures.length;
  };
  const lintGroups: JudgedPolicy[][] = loaded.map((lv, i) =>
    judged(`${relative(REPO_ROOT, lv.file)} › ${lv.vector.name}`, lv.vector.policies, results[i]),
  );

  if (args.stages.has('vectors')) {
    const [r, s] = timed(() => stageVectors(loaded, results));
    add('vectors', r, `${loaded.length} vectors in ${files.length} files against the oracle`, s);
  }
  if (args.stages.has('engine')) {
    const [[r, detail], s] = timed(() => stageEngine(loaded));
    add('engine', r, detail, s);
  }
  if (args.stages.has('random') && args.runs > 0) {
    const [rr, s] = timed(() =>
      runRandomized({ seed: args.seed, runs: args.runs, writeRegression: args.writeRegression }),
    );
    const failures = [...rr.disagreements];
    if (rr.regression) {
      failures.push(
        `shrunk to ${rr.regression.file ?? 'a minimal vector (not written: --no-regression)'}: ${rr.regression.disagreements.join(' | ')}`,
      );
    }
    const ex = Object.entries(rr.excluded)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    add(
      'random',
      { passed: rr.vectors - rr.failingVectors, failures },
      `${rr.vectors} random vectors (${rr.failingVectors} disagree), ${rr.comparedFlows}/${rr.flows} flows compared, excluded: ${ex}; ` +
        `generate ${rr.millis.generate} ms, oracle ${rr.millis.oracle} ms, engine ${rr.millis.engine} ms, shrink ${rr.millis.shrink} ms`,
      s,
    );
    lintGroups.push(...rr.samples.map((v, i) => judged(`random #${i}`, v.policies, rr.oracle[i], true)));
  }
  if (args.stages.has('lint')) {
    const [outcome, s] = timed(() => {
      const mutated = fc.sample(invalidPolicyArbitrary(), { seed: args.seed, numRuns: args.mutationRuns });
      const oracle = runOracleOn(mutated.map((m) => ({ name: m.mutation, policies: [m.policy], flows: [] })));
      const harness: string[] = [];
      const groups = [...lintGroups];
      mutated.forEach((m, i) => {
        if (oracle[i].policies[0]?.accepted && crdRejection(m.policy) === undefined) {
          harness.push(
            `mutation "${m.mutation}" #${i}: Cilium accepts the mutated policy; the mutation list is wrong`,
          );
        }
        groups.push(judged(`mutation "${m.mutation}" #${i}`, [m.policy], oracle[i]));
      });
      return { lint: checkLint(groups), harness };
    });
    const r = outcome.lint;
    const deliberate =
      Object.entries(r.deliberate)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'none';
    add(
      'lint',
      { passed: r.checked - r.failures.length, failures: [...r.failures, ...outcome.harness] },
      `${r.checked} policies (${r.rejected} rejected by Cilium, ${args.mutationRuns} of them mutations); deliberate errors on accepted policies: ${deliberate}`,
      s,
    );
  }
  if (args.stages.has('constructs')) {
    const [[r, detail], s] = timed(() => stageConstructs(args));
    add('constructs', r, detail, s);
  }
  console.log(`conformance: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

function stageConstructs(args: Args): [StageResult, string] {
  const examples = examplePolicies();
  const random = randomConstructPolicies(args.seed, args.constructRuns);
  const all: SynthesizedPolicies[] = [...examples, ...random.synthesized];
  const results = runOracleOn(all.map((s) => ({ name: s.origin, policies: s.policies, flows: [] })));
  const out: StageResult = { passed: 0, failures: [] };
  all.forEach((s, i) =>
    s.policies.forEach((m, j) => {
      const o = results[i].policies[j];
      const crd = crdRejection(m);
      const id = manifestId(m);
      if (!o?.accepted)
        out.failures.push(
          `${s.origin} › ${id}: Cilium rejects it: ${o?.error ?? 'no oracle result'}\n    ${JSON.stringify(m)}`,
        );
      else if (crd !== undefined)
        out.failures.push(
          `${s.origin} › ${id}: the API server rejects it (CRD schema: ${crd})\n    ${JSON.stringify(m)}`,
        );
      else out.passed++;
    }),
  );
  const refused = Object.entries(random.refused)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const policies = all.reduce((n, s) => n + s.policies.length, 0);
  return [
    out,
    `${policies} policies from ${examples.length} examples and ${random.synthesized.length} random prop sets ` +
      `(${args.constructRuns} per construct; refused by the constructs' own validation: ${refused})`,
  ];
}

process.exitCode = main();
