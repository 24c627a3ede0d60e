import { IConstruct } from 'constructs';

/**
 * A bad prop value. Vocabulary objects throw it while rendering; constructs add their path
 * so the message names the construct path, the field, the bad value and the fix.
 */
export class PolicyPropError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly problem: string,
    readonly fix: string,
    readonly constructPath?: string,
  ) {
    super(formatMessage(constructPath, field, value, problem, fix));
    this.name = 'PolicyPropError';
  }

  /** The same error, located at a construct and under a parent field. */
  at(constructPath: string, fieldPrefix?: string): PolicyPropError {
    const field = fieldPrefix ? joinField(fieldPrefix, this.field) : this.field;
    return new PolicyPropError(field, this.value, this.problem, this.fix, constructPath);
  }
}

function formatMessage(
  path: string | undefined,
  field: string,
  value: unknown,
  problem: string,
  fix: string,
): string {
  const where = path ? `${path}: ` : '';
  return `${where}${field} = ${JSON.stringify(value)}: ${problem}. Fix: ${fix}`;
}

export function joinField(prefix: string, field: string): string {
  if (!field) return prefix;
  return field.startsWith('[') ? `${prefix}${field}` : `${prefix}.${field}`;
}

/** Throws a {@link PolicyPropError}. */
export function invalidProp(field: string, value: unknown, problem: string, fix: string): never {
  throw new PolicyPropError(field, value, problem, fix);
}

/** Runs `fn`, re-throwing prop errors located at `scope` (and under `fieldPrefix`). */
export function atConstruct<T>(scope: IConstruct, fn: () => T, fieldPrefix?: string): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PolicyPropError && !e.constructPath) throw e.at(scope.node.path, fieldPrefix);
    throw e;
  }
}

/** Re-throws prop errors raised by `fn` under a parent field (`ingress[2]`). */
export function underField<T>(fieldPrefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PolicyPropError && !e.constructPath) {
      throw new PolicyPropError(joinField(fieldPrefix, e.field), e.value, e.problem, e.fix);
    }
    throw e;
  }
}
