/** The chart's values validator is compiled ahead of time: current, and judging exactly as ajv compiling values.schema.json at run time. */
import { readFileSync } from 'fs';
import { join } from 'path';
import Ajv, { ErrorObject } from 'ajv';
import { readCiliumValuesSchema } from '../../lib/helm/chart-files';
import {
  ciliumChartDefaults,
  coalesceHelmValues,
  VALUES_VALIDATOR_OPTIONS,
} from '../../lib/helm/check-schema';
import {
  GENERATED_VALUES_VALIDATOR,
  valuesValidatorSource,
} from '../../scripts/helm/values-validator-source';

const ROOT = join(__dirname, '..', '..');

test('lib/helm/values-validator.generated.ts is current (regenerate: npm run helm:validator)', () => {
  const shipped = readFileSync(join(ROOT, GENERATED_VALUES_VALIDATOR), 'utf8');
  expect(shipped === valuesValidatorSource()).toBe(true);
}, 60_000);

/** Everything of the errors but `schemaPath`: the generated code reaches nested properties by `$ref`. */
const errorsOf = (validate: (v: unknown) => boolean, v: unknown): string[] =>
  validate(v)
    ? []
    : ((validate as unknown as { errors: ErrorObject[] }).errors ?? []).map(
        (e) => `${e.instancePath} ${e.keyword} ${e.message} ${JSON.stringify(e.params)}`,
      );

/** Every scalar of the chart's defaults replaced by a value of another type, a few at a time. */
function mutations(defaults: Record<string, unknown>): Record<string, unknown>[] {
  const leaves: string[][] = [];
  const visit = (node: unknown, path: string[]) => {
    if (node !== null && typeof node === 'object' && !Array.isArray(node))
      for (const [k, v] of Object.entries(node)) visit(v, [...path, k]);
    else leaves.push(path);
  };
  visit(defaults, []);
  const wrong = (v: unknown): unknown =>
    typeof v === 'boolean' ? 'yes' : typeof v === 'number' ? String(v) : typeof v === 'string' ? 7 : { x: 1 };
  const out: Record<string, unknown>[] = [];
  for (let start = 0; start < leaves.length; start += 25) {
    const user: Record<string, unknown> = {};
    for (const path of leaves.slice(start, start + 25)) {
      let node = user;
      path.slice(0, -1).forEach((k) => (node = (node[k] ??= {}) as Record<string, unknown>));
      let value: unknown = defaults;
      for (const k of path) value = (value as Record<string, unknown>)[k];
      node[path[path.length - 1]] = wrong(value);
    }
    out.push(coalesceHelmValues(defaults, user));
  }
  return out;
}

test('the generated validator reports exactly what ajv compiling the schema at run time reports', () => {
  const generated = require(join(ROOT, GENERATED_VALUES_VALIDATOR)).default as (v: unknown) => boolean;
  const compiled = new Ajv(VALUES_VALIDATOR_OPTIONS).compile(readCiliumValuesSchema());
  const defaults = ciliumChartDefaults();
  const inputs = [
    defaults,
    coalesceHelmValues(defaults, {
      hubble: { enabled: 'true', metrics: { port: '9965', enabled: ['dns', 7] }, relay: { enabled: 1 } },
      policyEnforcementMode: 'sometimes',
      routingMode: 'carrier-pigeon',
      ipam: { mode: 7 },
    }),
    ...mutations(defaults),
  ];
  const expected = inputs.map((v) => errorsOf(compiled, v));
  expect(expected[0]).toEqual([]);
  expect(expected.slice(1).every((e) => e.length > 0)).toBe(true);
  expect(inputs.map((v) => errorsOf(generated, v))).toEqual(expected);
}, 120_000);
