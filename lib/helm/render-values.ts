import { stringify } from 'yaml';
import { type ChartKey, ciliumChartKeys } from './chart-keys';
import { isPlainObject } from './values-path';

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A copy of `values` whose map keys follow values.yaml's order (commented keys at their comment's
 * line), then keys unknown to the chart (free-form maps) by name: the output never depends on the
 * order in which props or overrides were given. List order is kept, it carries meaning.
 */
export function orderLikeChart(value: unknown, key: ChartKey | undefined = ciliumChartKeys().root): unknown {
  if (Array.isArray(value)) return value.map((item) => orderLikeChart(item, undefined));
  if (!isPlainObject(value)) return value;
  const children = key?.children;
  const names = Object.keys(value).sort((a, b) => {
    const la = children?.get(a)?.line;
    const lb = children?.get(b)?.line;
    if (la !== undefined && lb !== undefined) return la - lb || byName(a, b);
    if (la !== undefined) return -1;
    if (lb !== undefined) return 1;
    return byName(a, b);
  });
  const out: Record<string, unknown> = {};
  for (const name of names) out[name] = orderLikeChart(value[name], children?.get(name));
  return out;
}

/** Deterministic YAML for Helm values, preceded by `header` lines as comments. */
export function renderValuesYaml(values: Record<string, unknown>, header: readonly string[]): string {
  const body = stringify(orderLikeChart(values), { lineWidth: 0, indentSeq: true, aliasDuplicateObjects: false });
  return `${header.map((line) => (line === '' ? '#' : `# ${line}`)).join('\n')}\n${body}`;
}
