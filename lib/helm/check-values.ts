import { ciliumChartKeys } from './chart-keys';
import { checkCiliumRules } from './check-cilium-rules';
import { checkKeyPaths } from './check-keys';
import { checkSchema, ciliumChartDefaults, coalesceHelmValues } from './check-schema';
import { ciliumTemplateKeys } from './template-keys';
import { type ValuesProblem } from './values-problem';

/**
 * Every problem with user-supplied Cilium 1.20 Helm values: key paths the chart's templates never read,
 * schema violations (values.schema.json, on the coalesced values as Helm checks them) and
 * Cilium's own constraints. A schema error below a path already reported as unknown is dropped.
 */
export function checkCiliumValues(values: Record<string, unknown>): ValuesProblem[] {
  const keyProblems = checkKeyPaths(values, ciliumTemplateKeys(), ciliumChartKeys());
  const merged = coalesceHelmValues(ciliumChartDefaults(), values);
  const ruleProblems = checkCiliumRules(merged, values);
  const reported = keyProblems.map((p) => p.path);
  const below = (path: string, parent: string): boolean => path === parent || path.startsWith(`${parent}.`);
  const schemaProblems = checkSchema(values).filter((p) => !reported.some((r) => below(p.path, r)));
  return [...keyProblems, ...schemaProblems, ...ruleProblems];
}
