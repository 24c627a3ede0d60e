/**
 * The shared conformance vector format (conformance/README.md) and helpers to load vectors and
 * run them through the Go oracle. The TypeScript engine's differential run reads the same files.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DirectionDecision, EngineOptions, Flow, Verdict } from '../../lib/engine/types';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const VECTOR_DIR = join(REPO_ROOT, 'conformance', 'vectors');
export const ORACLE_BIN = join(REPO_ROOT, 'conformance', 'oracle', 'bin', 'oracle');

export interface FlowExpectation {
  readonly verdict?: Verdict;
  readonly egress?: DirectionDecision;
  readonly ingress?: DirectionDecision;
  /** Directions whose matching allow redirects to the L7 proxy (checked when present). */
  readonly l7?: readonly ('egress' | 'ingress')[];
  /** The oracle cannot evaluate this flow (reason substring, or true for any reason). */
  readonly unsupported?: string | true;
}

export interface FlowCase {
  readonly name: string;
  readonly flow: Flow;
  readonly expect: FlowExpectation;
}

/** A policy Cilium must reject: its name, or its name and a substring of Cilium's error. */
export type RejectExpectation = string | { readonly name: string; readonly error?: string };

export interface ConformanceVector {
  readonly name: string;
  readonly section?: string;
  readonly description?: string;
  readonly options?: EngineOptions;
  readonly policies: readonly Record<string, unknown>[];
  readonly flows: readonly FlowCase[];
  readonly expectRejected?: readonly RejectExpectation[];
}

export interface LoadedVector {
  readonly file: string;
  readonly vector: ConformanceVector;
}

export interface OraclePolicyResult {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly accepted: boolean;
  readonly error?: string;
}

export interface OracleFlowResult {
  readonly name: string;
  readonly verdict: Verdict;
  readonly egress: DirectionDecision;
  readonly ingress: DirectionDecision;
  readonly l7?: readonly ('egress' | 'ingress')[];
  readonly unsupported?: string;
}

export interface OracleVectorResult {
  readonly name: string;
  readonly file?: string;
  readonly error?: string;
  readonly policies: readonly OraclePolicyResult[];
  readonly flows: readonly OracleFlowResult[];
}

/** The vector files to run: the given paths, or every `*.json` in conformance/vectors, sorted. */
export function vectorFiles(paths: readonly string[] = []): string[] {
  if (paths.length > 0) return paths.map((p) => resolve(p));
  return readdirSync(VECTOR_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(VECTOR_DIR, f));
}

/** Reads vector files; a file holds one vector or an array of vectors. */
export function loadVectors(files: readonly string[]): LoadedVector[] {
  const out: LoadedVector[] = [];
  for (const file of files) {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`${file}: not valid JSON: ${(e as Error).message}`);
    }
    for (const vector of Array.isArray(data) ? data : [data]) {
      out.push({ file, vector: vector as ConformanceVector });
    }
  }
  return out;
}

/** Runs files through the oracle in one process; results come back in input order. */
export function runOracle(files: readonly string[]): OracleVectorResult[] {
  const stdout = execFileSync(ORACLE_BIN, ['-compact', ...files], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(stdout) as OracleVectorResult[];
}

/** Runs in-memory vectors through one oracle process (stdin); results come back in input order. */
export function runOracleOn(vectors: readonly ConformanceVector[]): OracleVectorResult[] {
  if (vectors.length === 0) return [];
  const stdout = execFileSync(ORACLE_BIN, ['-compact'], {
    input: JSON.stringify(vectors),
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const results = JSON.parse(stdout) as OracleVectorResult[];
  if (results.length !== vectors.length)
    throw new Error(`oracle: ${vectors.length} vectors in, ${results.length} results out`);
  return results;
}
