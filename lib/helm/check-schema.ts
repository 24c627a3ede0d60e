import type { ErrorObject, ValidateFunction } from 'ajv';
import { parsedCiliumValuesYaml } from './chart-files';
import { formatValuesPath, isPlainObject, type ValuesPathSegment } from './values-path';
import { type ValuesProblem } from './values-problem';

/** The options the chart's values.schema.json (draft-07) is compiled with: it is not written for Ajv's strict types. */
export const VALUES_VALIDATOR_OPTIONS = { strict: true, strictTypes: false, allErrors: true } as const;

let validator: ValidateFunction | undefined;
let chartDefaults: Record<string, unknown> | undefined;

/**
 * The chart's values.schema.json validator, which `npm run helm:validator` compiles ahead of time
 * (compiling it at run time cost every synth with Helm values about 0.7 s). Loaded on first use.
 */
function schemaValidator(): ValidateFunction {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  validator ??= (require('./values-validator.generated') as { default: ValidateFunction }).default;
  return validator;
}

/** The chart's default values (values.yaml, as `YAML.parse` reads it), once; callers must not mutate. */
export function ciliumChartDefaults(): Record<string, unknown> {
  if (!chartDefaults) {
    const { doc } = parsedCiliumValuesYaml();
    if (doc.errors.length > 0) throw doc.errors[0];
    chartDefaults = doc.toJS() as Record<string, unknown>;
  }
  return chartDefaults;
}

/**
 * Helm's coalescing of user values over chart defaults: maps merge recursively, a user `null`
 * removes the key, anything else replaces the default.
 */
export function coalesceHelmValues(
  defaults: Record<string, unknown>,
  user: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(user)) {
    if (value === null) delete out[key];
    else if (isPlainObject(value) && isPlainObject(out[key]))
      out[key] = coalesceHelmValues(out[key] as Record<string, unknown>, value);
    else out[key] = value;
  }
  return out;
}

/** Validates the values Helm would compute (defaults coalesced with `user`) against values.schema.json, as `helm install` does. */
export function checkSchema(user: Record<string, unknown>): ValuesProblem[] {
  const merged = coalesceHelmValues(ciliumChartDefaults(), user);
  const validate = schemaValidator();
  if (validate(merged)) return [];
  const errors = validate.errors ?? [];
  const problems = new Map<string, ValuesProblem>();
  for (const error of errors) {
    const segments = pointerToSegments(error.instancePath, merged);
    const covered = errors.some(
      (other) =>
        other !== error &&
        error.keyword.endsWith('Of') &&
        other.instancePath.startsWith(error.instancePath) &&
        !other.keyword.endsWith('Of'),
    );
    if (covered) continue;
    const problem = describeSchemaError(error, segments, valueAt(merged, segments));
    problems.set(`${problem.path}\u0000${problem.message}`, problem);
  }
  return [...problems.values()];
}

function describeSchemaError(
  error: ErrorObject,
  segments: ValuesPathSegment[],
  value: unknown,
): ValuesProblem {
  const path = formatValuesPath(segments);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type': {
      const types = ([] as string[]).concat(params.type as string | string[]).join(' or ');
      return {
        path,
        value,
        message: `values.schema.json requires ${types}`,
        fix: `set \`${path}\` to ${article(types)} ${types}`,
      };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      return {
        path,
        value,
        message: `values.schema.json allows only ${allowed}`,
        fix: `use one of ${allowed}`,
      };
    }
    default:
      return {
        path,
        value,
        message: `values.schema.json: ${error.message ?? error.keyword}`,
        fix: `change \`${path}\` to match the chart's schema (imports/cilium/1.20/values.schema.json)`,
      };
  }
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function pointerToSegments(pointer: string, root: unknown): ValuesPathSegment[] {
  if (pointer === '') return [];
  const segments: ValuesPathSegment[] = [];
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment: ValuesPathSegment = Array.isArray(node) ? Number(token) : token;
    segments.push(segment);
    node = (node as Record<string | number, unknown> | undefined)?.[segment];
  }
  return segments;
}

function valueAt(root: unknown, segments: readonly ValuesPathSegment[]): unknown {
  let node: unknown = root;
  for (const segment of segments) node = (node as Record<string | number, unknown> | undefined)?.[segment];
  return node;
}
