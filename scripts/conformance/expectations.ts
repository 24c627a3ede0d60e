/**
 * The hand-written vectors' `expect` and `expectRejected` checked against the oracle's output
 * (the oracle is Cilium's code: a mismatch means the vector's expectation is wrong).
 */
import { relative } from 'node:path';
import {
  FlowCase,
  LoadedVector,
  OracleFlowResult,
  OracleVectorResult,
  REPO_ROOT,
  RejectExpectation,
} from './vectors';

export interface Outcome {
  readonly passed: number;
  readonly failures: string[];
}

function checkFlow(c: FlowCase, r: OracleFlowResult | undefined): string[] {
  if (!r) return ['no result from the oracle'];
  const problems: string[] = [];
  const want = c.expect ?? {};
  if (Object.keys(want).length === 0) problems.push('flow has no expect');
  if (want.unsupported !== undefined) {
    if (!r.unsupported) problems.push(`expected unsupported, oracle answered ${r.verdict}`);
    else if (typeof want.unsupported === 'string' && !r.unsupported.includes(want.unsupported)) {
      problems.push(
        `unsupported reason: expected to contain "${want.unsupported}", oracle said "${r.unsupported}"`,
      );
    }
    return problems;
  }
  if (r.unsupported) return [`oracle cannot evaluate this flow: ${r.unsupported}`];
  for (const field of ['verdict', 'egress', 'ingress'] as const) {
    const expected = want[field];
    if (expected !== undefined && expected !== r[field]) {
      problems.push(`${field}: expected ${expected}, oracle ${r[field]}`);
    }
  }
  if (want.l7 !== undefined) {
    const expected = [...want.l7].sort().join(',');
    const actual = [...(r.l7 ?? [])].sort().join(',');
    if (expected !== actual) problems.push(`l7: expected [${expected}], oracle [${actual}]`);
  }
  return problems;
}

function checkRejections(expected: readonly RejectExpectation[], r: OracleVectorResult): string[] {
  const problems: string[] = [];
  const wanted = new Map(expected.map((e) => (typeof e === 'string' ? [e, undefined] : [e.name, e.error])));
  for (const p of r.policies) {
    const id = `${p.kind}${p.namespace ? ` ${p.namespace}/` : ' '}${p.name}`;
    if (!wanted.has(p.name)) {
      if (!p.accepted) problems.push(`${id}: unexpectedly rejected: ${p.error}`);
      continue;
    }
    const error = wanted.get(p.name);
    if (p.accepted) problems.push(`${id}: expected Cilium to reject it, but it was accepted`);
    else if (error !== undefined && !(p.error ?? '').includes(error)) {
      problems.push(`${id}: expected error containing "${error}", Cilium said "${p.error}"`);
    }
  }
  for (const name of wanted.keys()) {
    if (!r.policies.some((p) => p.name === name))
      problems.push(`expectRejected names "${name}", which is not in policies`);
  }
  return problems;
}

export function checkVector(lv: LoadedVector, r: OracleVectorResult): Outcome {
  const where = `${relative(REPO_ROOT, lv.file)} › ${lv.vector.name}`;
  if (r.error) return { passed: 0, failures: [`${where}: oracle error: ${r.error}`] };
  const failures: string[] = [];
  let passed = 0;
  const rejections = checkRejections(lv.vector.expectRejected ?? [], r);
  if (rejections.length === 0) passed++;
  else failures.push(...rejections.map((p) => `${where} › policies: ${p}`));
  lv.vector.flows.forEach((c, i) => {
    const problems = checkFlow(c, r.flows[i]);
    if (problems.length === 0) passed++;
    else failures.push(...problems.map((p) => `${where} › ${c.name}: ${p}`));
  });
  return { passed, failures };
}
