import { describeValue } from './values-path';

/** A mistake in Helm values: where, what was given, what is wrong and how to fix it. */
export interface ValuesProblem {
  /** The key path, e.g. `hubble.relay.enabled`. */
  readonly path: string;
  readonly value: unknown;
  readonly message: string;
  readonly fix: string;
}

export function formatValuesProblem(problem: ValuesProblem): string {
  return `\`${problem.path}\` = ${describeValue(problem.value)}: ${problem.message}. Fix: ${problem.fix}`;
}
